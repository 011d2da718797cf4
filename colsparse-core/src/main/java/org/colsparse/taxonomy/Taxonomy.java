package org.colsparse.taxonomy;

import org.colsparse.sparsity.SiteStats;
import org.colsparse.util.Decimal;

import java.util.List;

/** Classifies sites and workload totals by the rule documented in {@link TaxonomyRule}. */
public final class Taxonomy {
    private Taxonomy() {
    }

    public static TaxonomyVerdict classify(SiteStats s) {
        return classify(s, TaxonomyRule.DEFAULT);
    }

    public static List<TaxonomyVerdict> classifyAll(List<SiteStats> stats, TaxonomyRule rule) {
        return stats.stream().map(s -> classify(s, rule)).toList();
    }

    public static TaxonomyVerdict classify(SiteStats s, TaxonomyRule rule) {
        double rowsPerCall = s.calls() == 0 ? 0.0 : (double) s.rows() / s.calls();
        double effective = Math.min(s.tileRows(), rowsPerCall);
        double excessPp = s.excessOverBaseline() * 100.0;
        SparsityClass verdict;
        String evidence;
        if (rowsPerCall <= rule.maxTokenRows()) {
            verdict = SparsityClass.TOKEN_LIMITED;
            evidence = "token-limited: " + num(rowsPerCall) + " rows per call <= " + num(rule.maxTokenRows())
                    + ", so tiles of R=" + s.tileRows() + " hold " + num(effective) + " rows; column sparsity "
                    + two(s.columnSparsity()) + " tracks element sparsity " + two(s.elementSparsity())
                    + " (independence baseline " + two(s.independenceBaseline()) + ")";
        } else if (s.elementSparsity() * 100.0 < rule.minElementSparsityPct()) {
            verdict = SparsityClass.INCONCLUSIVE;
            evidence = "inconclusive: element sparsity " + two(s.elementSparsity()) + " < floor " + two(rule.minElementSparsityPct() / 100.0)
                    + ", too few near-zero elements to tell concentration from dispersion (column sparsity " + two(s.columnSparsity())
                    + " vs independence baseline " + two(s.independenceBaseline()) + ", excess " + num(excessPp) + " pp; concentration needs >= "
                    + num(rule.minExcessPp()) + " pp)";
        } else if (excessPp >= rule.minExcessPp()) {
            verdict = SparsityClass.CONCENTRATION;
            evidence = "concentration: column sparsity " + two(s.columnSparsity()) + " vs independence baseline "
                    + two(s.independenceBaseline()) + " (excess " + num(excessPp) + " pp >= " + num(rule.minExcessPp())
                    + " pp)";
        } else {
            verdict = SparsityClass.DISPERSION;
            evidence = "dispersion: column sparsity " + two(s.columnSparsity()) + " vs independence baseline "
                    + two(s.independenceBaseline()) + " (excess " + num(excessPp) + " pp < " + num(rule.minExcessPp())
                    + " pp) at element sparsity " + two(s.elementSparsity());
        }
        return new TaxonomyVerdict(s.site(), s.threshold(), s.tileRows(), verdict, s.elementSparsity(),
                s.columnSparsity(), s.independenceBaseline(), excessPp, rowsPerCall, effective, rule, evidence);
    }

    /* Decimal, not String.format: the Formatter's set-up is 40 ms of a one-shot analyze run. */

    /** Up to two decimals, without trailing zeros and never "-0": "39.41", "0.07", "5", "6". */
    private static String num(double v) {
        String x = Decimal.fixed(Math.abs(v) < 0.005 ? 0.0 : v, 2);
        x = x.endsWith("0") ? x.substring(0, x.length() - 1) : x;
        x = x.endsWith("0") ? x.substring(0, x.length() - 1) : x;
        return x.endsWith(".") ? x.substring(0, x.length() - 1) : x;
    }

    /** A fraction as a percentage with two decimals, as run's summary prints it: 0.0565 is "5.65%". */
    private static String two(double v) {
        return Decimal.fixed(v * 100, 2) + "%";
    }
}
