package org.colsparse.report;

import org.colsparse.layout.LayoutKind;
import org.colsparse.results.EstimateResult;
import org.colsparse.results.LayoutAnalysis;
import org.colsparse.results.Primary;
import org.colsparse.results.ProfileResult;
import org.colsparse.results.Results;
import org.colsparse.results.RunConfig;
import org.colsparse.results.WorkloadResult;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.taxonomy.SparsityClass;
import org.colsparse.taxonomy.TaxonomyVerdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes report.html, results.json, CSV tables and PNG figures from the typed results alone, so
 * every number in the report is one that results.json holds.
 */
public final class ReportWriter {
    public void write(Results results, AtomicOutput out) {
        out.write("results.json", results.toJson());
        // the summary rows feed summary.csv, the findings and the summary table alike
        List<List<Object>> values = Summary.values(results);
        out.write("summary.csv", Csv.table(Summary.HEADER, Summary.csvRows(values)));
        out.write("sites.csv", ResultCsv.sites(results));
        out.write("simulate.csv", ResultCsv.simulate(results));
        out.write("estimate.csv", ResultCsv.estimate(results));
        out.write("accuracy.csv", ResultCsv.accuracy(results));

        RunConfig cfg = results.config();
        HtmlReport html = new HtmlReport("colsparse: exploitable GELU sparsity on a systolic array");
        html.paragraph(String.format(Locale.ROOT, "Array %s (%s dataflow), DRAM %s; primary threshold tau = %s, tile height R = %d (the array's rows).",
                cfg.array(), cfg.dataflow().cliName(), cfg.dram(), ReportFigures.fmt(cfg.primaryThreshold()), cfg.tileRowsPrimary()));
        findings(results, values, html);
        summary(results, values, html);
        taxonomyVsLayout(results, html);
        otherSites(results, html);

        new ReportFigures(results, html, out).write();
        ReportSections.accuracy(results, html, out.dir());
        ReportSections.simulation(results, html);
        ReportSections.estimate(results, html);
        Provenance.write(results, html);
        out.write("report.html", html.render());
    }

    /** The first screen: what this run found, in plain words, every number computed from it ({@link Summary#findings(Results)}). */
    private static void findings(Results results, List<List<Object>> values, HtmlReport html) {
        List<String> found = Summary.findings(results, values);
        if (!found.isEmpty()) {
            html.heading(2, "Findings");
            html.bullets(found);
        }
    }

    /**
     * The summary without its evidence column, which follows as a list: a sentence per cell would
     * make every row a dozen lines high. Beside the best layout's gain goes the part of it that
     * skipping makes (the layout's own skipping gain), so the gain reads as the layout effect it is.
     */
    private static void summary(Results results, List<List<Object>> values, HtmlReport html) {
        html.heading(2, "Summary");
        int evidence = Summary.HEADER.indexOf("evidence");
        int gain = Summary.HEADER.indexOf("best_layout_gain");
        List<String> header = new ArrayList<>();
        for (String h : Summary.HEADER) {
            header.add(h.equals("best_layout_gain") ? "best layout gain vs dense row-major" : h.replace('_', ' '));
        }
        header.add(gain + 1, "of which skipping");
        header.remove(evidence);
        List<List<String>> rows = new ArrayList<>();
        List<String> because = new ArrayList<>();
        List<List<String>> shown = Summary.rows(values);
        for (int i = 0; i < shown.size(); i++) {
            List<String> r = shown.get(i);
            List<String> row = new ArrayList<>(r);
            LayoutAnalysis layouts = LayoutAnalysis.of(results.workloads().get(i).simulate());
            Double skip = layouts.best() == null ? null : layouts.skipGains().get(layouts.best());
            row.add(gain + 1, skip == null ? "n/a" : Summary.percent(skip));
            row.remove(evidence);
            rows.add(row);
            because.add(r.get(0) + " is " + r.get(Summary.HEADER.indexOf("class")) + ": " + r.get(evidence));
        }
        html.table(header, rows);
        html.paragraph("elem/col sparsity: near-zero elements and all-near-zero columns (one channel within one row tile of R rows of one "
                + "denoiser call) over the whole sampling loop at the primary threshold, over the headline sites: "
                + org.colsparse.workload.SiteRole.rule() + ". gap pp: element minus column sparsity in percentage points. "
                + "cycle red consumers: cycle reduction of the GEMMs that read headline GELU outputs; cycle red model: of the whole denoiser call "
                + "(only those consumers skip) - both analytic on the profiled model's own GEMMs with its real recorded masks. mem stall share: "
                + "dense row-major simulation of whole calls; best layout gain: the fastest layout with skipping vs that run, which is mostly "
                + "the layout itself (its dense run is nearly as fast); of which skipping: that layout's cycles with skipping vs without. "
                + "rel l2 at primary: output drift at the primary threshold; cliff at: the first threshold where the cliff rule fires.");
        html.heading(3, "Why each class");
        html.bullets(because);
    }

    /**
     * Class and layout sensitivity side by side (the reference characterization's claim (docs/definitions.md): layout sensitivity follows the
     * taxonomy). A layout's skipping gain is 1 - cycles with skipping / its own dense cycles;
     * sensitivity is the best layout's gain minus row-major's ({@link LayoutAnalysis#sensitivity}).
     */
    private static void taxonomyVsLayout(Results results, HtmlReport html) {
        List<List<String>> rows = new ArrayList<>();
        Map<SparsityClass, List<Double>> byClass = new LinkedHashMap<>();
        List<LayoutKind> layouts = new ArrayList<>();
        boolean slower = false;
        Primary primary = results.primary();
        for (WorkloadResult w : results.workloads()) {
            TaxonomyVerdict v = w.profile() == null ? null : w.profile().primaryVerdict(primary);
            LayoutAnalysis a = LayoutAnalysis.of(w.simulate());
            Map<LayoutKind, Double> gain = a.skipGains();
            if (v == null || gain.isEmpty()) {
                continue;
            }
            LayoutKind best = a.mostSensitive();
            double sensitivity = a.sensitivity();
            byClass.computeIfAbsent(v.verdict(), k -> new ArrayList<>()).add(sensitivity);
            if (layouts.isEmpty()) {
                layouts.addAll(gain.keySet());
            }
            List<String> r = new ArrayList<>(List.of(w.id(), v.verdict().label()));
            for (LayoutKind layout : layouts) {
                String shown = gain.containsKey(layout) ? Summary.percent(gain.get(layout)) : "n/a";
                slower |= shown.startsWith("-");
                r.add(shown.startsWith("-") ? shown + " (bitmap reads > savings)" : shown);
            }
            r.add(best.cliName() + String.format(Locale.ROOT, " (+%.2f pp)", 100 * sensitivity));
            rows.add(r);
        }
        if (rows.isEmpty()) {
            return;
        }
        html.heading(2, "Taxonomy vs layout");
        List<String> header = new ArrayList<>(List.of("workload", "class"));
        layouts.forEach(l -> header.add(l.cliName() + " skipping gain"));
        header.add("layout sensitivity");
        html.table(header, rows);
        StringBuilder verdict = new StringBuilder("Skipping gain: 1 - cycles with skipping / the same layout's dense cycles, whole "
                + "simulated calls. Layout sensitivity = the best layout's skipping gain minus row-major's. Mean per class: ");
        for (Map.Entry<SparsityClass, List<Double>> c : byClass.entrySet()) {
            verdict.append(String.format(Locale.ROOT, "%s %.2f pp (%d workload%s); ", c.getKey().label(),
                    100 * c.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(0), c.getValue().size(),
                    c.getValue().size() == 1 ? "" : "s"));
        }
        if (byClass.size() < 2) {
            verdict.append("every workload has the same class, so whether layout gain tracks the class cannot be tested on this run.");
        } else {
            // the reference characterization's claim (docs/definitions.md) is about these two classes; any other class is reported in the means above and left out here
            double conc = byClass.getOrDefault(SparsityClass.CONCENTRATION, List.of()).stream().mapToDouble(Double::doubleValue)
                    .average().orElse(Double.NaN);
            double disp = byClass.getOrDefault(SparsityClass.DISPERSION, List.of()).stream().mapToDouble(Double::doubleValue)
                    .average().orElse(Double.NaN);
            if (!Double.isNaN(conc) && !Double.isNaN(disp)) {
                verdict.append(conc > disp ? "concentration workloads gain more from a layout change than dispersion ones: layout gain tracks the class."
                        : "concentration workloads do not gain more from a layout change than dispersion ones: layout gain does not track the class here.");
            } else {
                verdict.append("no concentration/dispersion pair to compare.");
            }
        }
        if (slower) {
            verdict.append(" A negative gain is real, not a rounding: with skipping the accelerator also reads each row tile's skip "
                    + "bitmap (ceil(K/8) bytes, in a DRAM row of its own), and where few columns are zero that costs more than they save "
                    + "(row-major and tiled drop a 32-byte burst only where all its channels are zero columns); the changed request stream "
                    + "also moves the DRAM's scheduling, by up to a few tenths of a percent of a memory-bound call either way. "
                    + "docs/simulator.md, 'When skipping is slower than dense'.");
        }
        html.paragraph(verdict.toString());
    }

    /** Sites outside the headline (time-embedding MLPs), reported beside it, never pooled in. */
    private static void otherSites(Results results, HtmlReport html) {
        List<List<String>> rows = new ArrayList<>();
        Primary primary = results.primary();
        for (WorkloadResult w : results.workloads()) {
            ProfileResult p = w.profile();
            for (SiteStats t : Lists.of(p == null ? null : p.otherTotals())) {
                if (primary.of(t)) {
                    rows.add(List.of(w.id(), Summary.percent(t.elementSparsity()), Summary.percent(t.columnSparsity()),
                            String.format(Locale.ROOT, "%.1f", t.meanTileHeight())));
                }
            }
        }
        if (!rows.isEmpty()) {
            html.heading(3, "Sites outside the headline");
            html.table(List.of("workload", "elem sparsity", "col sparsity", "mean rows per tile"), rows);
            html.paragraph("Time-embedding MLP sites: one row per sample per call, so a column is a single element and column sparsity "
                    + "equals element sparsity by construction. They are shown here and left out of the summary." + otherConsumers(results));
        }
    }

    /** What the consumers of those sites would save if they skipped too: beside the headline, where they run dense. */
    private static String otherConsumers(Results results) {
        List<String> parts = new ArrayList<>();
        var dataflow = results.config().dataflow();
        for (WorkloadResult w : results.workloads()) {
            EstimateResult.DataflowCycles f = w.estimate() == null ? null : w.estimate().of(dataflow);
            if (f != null && f.otherConsumerReduction() != null) {
                double calls = Math.max(1, w.estimate().calls());
                parts.add(String.format(Locale.ROOT, "%s %s of their %s cycles per call (%s)", w.id(),
                        ReportSections.thousands((f.otherConsumerDenseCycles() - (double) f.otherConsumerCyclesWithSkipping()) / calls),
                        ReportSections.thousands(f.otherConsumerDenseCycles() / calls), Summary.percent(f.otherConsumerReduction())));
            }
        }
        return parts.isEmpty() ? "" : " The GEMMs that read them run dense in every cycle number; skipping with their masks would save ("
                + dataflow.cliName() + ", analytic): " + String.join("; ", parts) + ".";
    }

    /**
     * The clauses ("; "-separated) of {@code own} that the shared method text does not have, with
     * a note that the rest is as above; all of {@code own} when it shares none.
     */
    static String difference(String shared, String own) {
        List<String> common = shared == null ? List.of() : List.of(shared.split("; "));
        List<String> parts = new ArrayList<>();
        for (String p : own.split("; ")) {
            if (!common.contains(p)) {
                parts.add(p);
            }
        }
        return parts.size() == own.split("; ").length ? own : String.join("; ", parts) + " (otherwise as above)";
    }

    /** The text most workloads share, or null when no workload has one. */
    static <T> String common(List<WorkloadResult> workloads, Function<WorkloadResult, String> text) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (WorkloadResult w : workloads) {
            String v = text.apply(w);
            if (v != null) {
                count.merge(v, 1, Integer::sum);
            }
        }
        return count.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }
}
