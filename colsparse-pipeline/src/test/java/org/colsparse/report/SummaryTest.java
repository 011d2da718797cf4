package org.colsparse.report;

import org.colsparse.layout.LayoutKind;
import org.colsparse.results.AccuracyPoint;
import org.colsparse.results.AccuracyResult;
import org.colsparse.results.EstimateResult;
import org.colsparse.results.ProfileResult;
import org.colsparse.results.Results;
import org.colsparse.results.RunConfig;
import org.colsparse.results.SimulateResult;
import org.colsparse.results.WorkloadResult;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.systolic.Dataflow;
import org.colsparse.taxonomy.SparsityClass;
import org.colsparse.taxonomy.TaxonomyRule;
import org.colsparse.taxonomy.TaxonomyVerdict;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The summary table on hand-built typed results (no profiling): every cell, its rendering and the n/a cases. */
class SummaryTest {
    static final RunConfig CONFIG = new RunConfig("128x128", Dataflow.OS, "gddr6 test", 2, 1000, 0.01, List.of(0.001, 0.01),
            List.of(8, 128), 128, 0, 10, "tiny", 4, 2, "one sample per call", List.of(LayoutKind.ROW_MAJOR, LayoutKind.TILED), "rule", "sites");

    static SiteStats total(String site, double threshold, int tile, double elem, double col) {
        return new SiteStats(site, 100, 4, threshold, tile, 400, 0, elem, 0, 0, col, (elem - col) * 100, 0, 0, tile, 0, 0, 0, 0,
                new double[0], 1);
    }

    static TaxonomyVerdict verdict(String site, double threshold, int tile, SparsityClass c) {
        return new TaxonomyVerdict(site, threshold, tile, c, 0, 0, 0, 0, 784, 128, TaxonomyRule.DEFAULT, c.label() + ": the evidence");
    }

    static ProfileResult profile(String id, double elem, double col, SparsityClass c) {
        // a decoy at another threshold and another tile height: only the primary point (0.01, 128) may be read
        return new ProfileResult(id, 1, 2, 0, 1.5, List.of(), List.of(total(id, 0.001, 128, 0.9, 0.9), total(id, 0.01, 8, 0.8, 0.8),
                total(id, 0.01, 128, elem, col)), List.of(), List.of(), List.of(verdict(id, 0.001, 128, SparsityClass.CONCENTRATION),
                verdict(id, 0.01, 128, c)), List.of(), "samples.png", "masks.npz", List.of(0));
    }

    static AccuracyResult accuracy(String id, double relL2AtPrimary, boolean cliffAtPrimary) {
        return new AccuracyResult(List.of(0L), null, List.of(), List.of(
                new AccuracyPoint(id, 0.001, 0.001, Map.of(), 0.1, 0.0, false),
                new AccuracyPoint(id, 0.01, relL2AtPrimary, Map.of(), 0.2, 0.0, cliffAtPrimary),
                new AccuracyPoint(id, 0.05, 0.5, Map.of(), 0.3, 0.0, true)), List.of());
    }

    static EstimateResult estimate(double consumers, double model) {
        return new EstimateResult("w", "analytic", "128x128", Dataflow.OS, 1, List.of(0), consumers, model, List.of(), List.of(), null);
    }

    static SimulateResult simulate(long rowDense, long rowSkip, long tiledDense, long tiledSkip, double stall) {
        return new SimulateResult("w", "sim", 1, List.of(0), List.of(
                new SimulateResult.LayoutTotals(LayoutKind.ROW_MAJOR, false, 1, rowDense, 0, 0, stall, 0, 0, 0, 0.9),
                new SimulateResult.LayoutTotals(LayoutKind.ROW_MAJOR, true, 1, rowSkip, 0, 0, stall, 0, 0, 0, 0.9),
                new SimulateResult.LayoutTotals(LayoutKind.TILED, false, 1, tiledDense, 0, 0, 0.1, 0, 0, 0, 0.9),
                new SimulateResult.LayoutTotals(LayoutKind.TILED, true, 1, tiledSkip, 0, 0, 0.1, 0, 0, 0, 0.9)), List.of(), List.of());
    }

    static WorkloadResult workload(String id, String weights, ProfileResult p, AccuracyResult a, EstimateResult e, SimulateResult s) {
        return new WorkloadResult(id, WorkloadGroup.values()[0], Modality.IMAGE, org.colsparse.workload.GeluVariant.EXACT, "d", "tiny", weights, List.of(), p, a, e, s);
    }

    @Test
    void everyCellComesFromThePrimaryPointOfTheTypedResults() {
        Results r = new Results(CONFIG, List.of(workload("full", WorkloadResult.THIRD_PARTY, profile("full", 0.25, 0.05,
                SparsityClass.DISPERSION), accuracy("full", 0.02, false), estimate(0.003, 0.002), simulate(1000, 990, 800, 600, 0.75))));
        // best: tiled with skipping, 1 - 600 / 1000 = 40 %; cliff: first fires at 0.05
        assertEquals(List.of(Arrays.asList("full", "image", "third-party", 0.25, 0.05, (0.25 - 0.05) * 100, "dispersion", "the evidence",
                0.003, 0.002, 0.75, "tiled", 1 - 600 / 1000.0, 0.02, "0.05")), Summary.values(r));
        assertEquals(List.of(List.of("full", "image", "third-party", "25.00%", "5.00%", "20.00", "dispersion", "the evidence", "0.30%",
                "0.20%", "75.00%", "tiled", "40.00%", "0.0200", "0.05")), Summary.rows(r));
        assertEquals(List.of(List.of("full", "image", "third-party", "0.25", "0.05", Double.toString((0.25 - 0.05) * 100), "dispersion",
                "the evidence", "0.003", "0.002", "0.75", "tiled", Double.toString(1 - 600 / 1000.0), "0.02", "0.05")), Summary.csvRows(r));
    }

    @Test
    void aStageThatDidNotRunIsNotApplicableNotZero() {
        Results r = new Results(CONFIG, List.of(workload("bare", "tiny model trained by colsparse",
                profile("bare", 0.01, 0.0, SparsityClass.INCONCLUSIVE), null, null, null)));
        assertEquals(List.of(List.of("bare", "image", "tiny-trained", "1.00%", "0.00%", "1.00", "inconclusive", "the evidence", "n/a",
                "n/a", "n/a", "n/a", "n/a", "n/a", "n/a")), Summary.rows(r));
        assertEquals(List.of(List.of("bare", "image", "tiny-trained", "0.01", "0.0", "1.0", "inconclusive", "the evidence", "", "", "", "",
                "", "", "")), Summary.csvRows(r));
    }

    @Test
    void aSweepWhoseCliffNeverFiresSaysNone() {
        AccuracyResult calm = new AccuracyResult(List.of(0L), null, List.of(), List.of(new AccuracyPoint("c", 0.01, null, Map.of(), 0, 0,
                false)), List.of());
        Results r = new Results(CONFIG, List.of(workload("c", WorkloadResult.TINY, profile("c", 0.5, 0.4, SparsityClass.CONCENTRATION),
                calm, null, null)));
        List<String> row = Summary.rows(r).get(0);
        // relative L2 +inf (an output identical to dense) is null in results.json: n/a, and the cliff column says none
        assertEquals(List.of("n/a", "none"), row.subList(13, 15));
    }

    @Test
    void percentagesNeverShowANegativeZero() {
        assertEquals("0.00%", Summary.percent(-1e-7));
        assertEquals("-0.10%", Summary.percent(-0.001));
        assertEquals("0.0000", Summary.fixed(-1e-9, 4));
    }
}
