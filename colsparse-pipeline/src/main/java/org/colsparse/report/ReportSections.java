package org.colsparse.report;

import org.colsparse.accuracy.MotionMetrics;
import org.colsparse.results.AccuracyPoint;
import org.colsparse.results.AccuracyResult;
import org.colsparse.results.EstimateResult;
import org.colsparse.results.Results;
import org.colsparse.results.SimulateResult;
import org.colsparse.results.WorkloadResult;
import org.colsparse.systolic.Dataflow;
import org.colsparse.util.Decimal;
import org.colsparse.workload.Modality;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The report's detail sections below the figures: accuracy per workload, the simulated and the estimated cycles. */
final class ReportSections {
    private ReportSections() {
    }

    /** Per workload, the sweep's task metrics and the dense samples beside every threshold's. */
    static void accuracy(Results results, HtmlReport html, Path dir) {
        boolean any = false;
        for (WorkloadResult w : results.workloads()) {
            List<AccuracyPoint> res = w.accuracy() == null || w.accuracy().results() == null ? List.of() : w.accuracy().results();
            if (res.isEmpty()) {
                continue;
            }
            if (!any) {
                html.heading(2, "Accuracy: task metrics and samples");
                html.paragraph("Each threshold's run zeroes every GELU output |a| <= tau and is compared with the dense run from the same "
                        + "seed. Fields ending in _dense are the dense run's own value of that metric, for scale.");
                any = true;
            }
            String id = w.id();
            html.heading(3, id);
            // a point's fields by key, sorted as results.json holds them: the metric columns come in that order
            List<Map<String, Object>> points = res.stream().map(p -> (Map<String, Object>) new TreeMap<>(p.fields())).toList();
            List<String> fields = new ArrayList<>(List.of("threshold", "element_sparsity", "column_sparsity", "relative_l2"));
            for (Map<String, Object> r : points) {
                r.forEach((f, v) -> {
                    if (!fields.contains(f) && !f.equals("workload") && !f.equals("cliff") && v instanceof Number) {
                        fields.add(f);
                    }
                });
            }
            fields.add("cliff");
            Map<String, NumberColumn> formats = new LinkedHashMap<>();
            for (String f : fields) {
                List<Double> vs = new ArrayList<>();
                points.forEach(r -> {
                    if (r.get(f) instanceof Number n) {
                        vs.add(n.doubleValue());
                    }
                });
                formats.put(f, NumberColumn.of(vs));
            }
            List<List<String>> rows = new ArrayList<>();
            boolean noContact = false;
            for (Map<String, Object> r : points) {
                List<String> row = new ArrayList<>();
                for (String f : fields) {
                    Object v = r.get(f);
                    noContact |= f.startsWith("foot_skate") && !(v instanceof Number);
                    row.add(f.equals("threshold") ? String.valueOf(v) : f.endsWith("_sparsity") ? Summary.percent(((Number) v).doubleValue())
                            : f.equals("cliff") ? (Boolean.TRUE.equals(v) ? "yes" : "no")
                            : v instanceof Number n ? formats.get(f).format(n.doubleValue()) : f.startsWith("psnr") || f.startsWith("snr") ? "inf" : "n/a");
                }
                rows.add(row);
            }
            // foot skate needs a foot on the floor two frames in a row; a metric absent from some rows only is n/a there
            if ((w.modality() == Modality.MOTION || w.modality() == Modality.DANCE) && fields.stream().noneMatch(f -> f.startsWith("foot_skate"))) {
                noContact = true;
            }
            html.table(fields, rows);
            if (noContact) {
                Double jerk = res.get(0).metric(org.colsparse.sweep.Metric.JERK_DENSE);
                html.paragraph(id + ": foot skate is n/a where no toe of the decoded motion is on the floor (within "
                        + Decimal.plain(100 * MotionMetrics.CONTACT_HEIGHT_M) + " cm of its lowest point) two frames in a row, "
                        + "in any sample: there is no planted foot whose sliding could be measured, and 0 would read as a perfect one. "
                        + "Such motion floats or jitters"
                        + (jerk != null ? String.format(Locale.ROOT,
                        " (dense jerk %s m/s^3; real CMU motion at 20 fps: 105-115 m/s^3, docs/accuracy-metrics.md)",
                        formats.get("jerk_dense_m_s3").format(jerk)) : "") + ".");
            }
            pictures(w.accuracy(), id, html, dir);
        }
    }

    private static void pictures(AccuracyResult acc, String id, HtmlReport html, Path dir) {
        List<HtmlReport.Picture> pics = new ArrayList<>();
        for (AccuracyResult.SamplePicture p : Lists.of(acc.samplePictures())) {
            Path f = dir.resolve(p.file());
            if (Files.isRegularFile(f)) {
                try {
                    pics.add(new HtmlReport.Picture(Files.readAllBytes(f), p.label()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        if (!pics.isEmpty()) {
            html.pictureRow(pics, id + ": the dense samples and the same samples with near-zero GELU outputs zeroed at each threshold "
                    + "(same seed and conditions).");
        }
    }

    /** Absolute numbers behind the cycles figure: per workload and layout, dense and with skipping, per denoiser call. */
    static void simulation(Results results, HtmlReport html) {
        List<List<String>> rows = new ArrayList<>();
        for (WorkloadResult w : results.workloads()) {
            for (SimulateResult.LayoutTotals r : Lists.of(w.simulate() == null ? null : w.simulate().results())) {
                double calls = Math.max(1, r.calls());
                rows.add(List.of(w.id(), r.layout().cliName(), r.skipping() ? "with skipping" : "dense",
                        thousands(r.cycles() / calls), thousands(r.computeCycles() / calls),
                        thousands(r.stallCycles() / calls), Summary.percent(r.stallShare()),
                        String.format(Locale.ROOT, "%.3f", r.dramMb() / calls),
                        Double.isNaN(r.rowHitRate()) ? "n/a" : Summary.percent(r.rowHitRate())));
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        html.heading(2, "Simulated cycles, DRAM traffic and row hits per layout");
        html.table(List.of("workload", "layout", "run", "cycles / call", "compute-busy / call", "memory stall / call", "stall share",
                "DRAM MB / call", "row-hit rate"), rows);
        html.paragraph("Cycle-level simulation of whole denoiser calls (mean over the simulated calls); DRAM MB = bytes read plus written. "
                + "Also in simulate.csv (totals over the simulated calls).");
    }

    /** The per-GEMM analytic estimate, folded: a workload has up to a few hundred GEMMs. */
    static void estimate(Results results, HtmlReport html) {
        boolean any = false;
        for (WorkloadResult w : results.workloads()) {
            EstimateResult e = w.estimate();
            if (e == null) {
                continue;
            }
            if (!any) {
                html.heading(2, "Analytic estimate per dataflow and per GEMM");
                html.paragraph("SCALE-Sim-exact dense cycles of every GEMM of one denoiser call of the profiled model; consumers skip with "
                        + "the real recorded masks (mean over the recorded calls). Also in estimate.csv.");
                any = true;
            }
            String id = w.id();
            List<List<String>> flows = new ArrayList<>();
            for (EstimateResult.DataflowCycles f : Lists.of(e.dataflows())) {
                double calls = Math.max(1, e.calls());
                flows.add(List.of(f.dataflow().cliName(), f.skipUnit(), thousands(f.denseCycles() / calls),
                        thousands(f.cyclesWithSkipping() / calls), Summary.percent(f.consumerReduction()),
                        Summary.percent(f.modelReduction())));
            }
            html.heading(3, id);
            html.table(List.of("dataflow", "skip unit", "dense cycles / call", "cycles with skipping / call", "consumer reduction",
                    "model reduction"), flows);
            List<List<String>> gemms = new ArrayList<>();
            for (EstimateResult.GemmCycles g : Lists.of(e.gemms())) {
                List<String> row = new ArrayList<>(List.of(g.name(), Long.toString(g.m()), Long.toString(g.k()), Long.toString(g.n()),
                        Long.toString(g.instances()), g.consumesSite().isEmpty() ? "-" : g.consumesSite()));
                for (Dataflow df : new Dataflow[] {Dataflow.OS, Dataflow.WS, Dataflow.IS}) {
                    row.add(thousands(g.dense(df)));
                    row.add(thousands(g.withSkipping(df)));
                }
                gemms.add(row);
            }
            html.details(id + ": " + gemms.size() + " GEMMs per call", List.of("GEMM", "m", "k", "n", "instances", "reads GELU site",
                    "os dense", "os with skipping", "ws dense", "ws with skipping", "is dense", "is with skipping"), gemms);
        }
    }

    static String thousands(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }
}
