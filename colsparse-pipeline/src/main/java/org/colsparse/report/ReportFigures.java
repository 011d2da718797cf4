package org.colsparse.report;

import org.colsparse.results.AccuracyPoint;
import org.colsparse.results.LayoutAnalysis;
import org.colsparse.results.Primary;
import org.colsparse.results.ProfileResult;
import org.colsparse.results.Results;
import org.colsparse.results.SimulateResult;
import org.colsparse.results.WorkloadResult;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.taxonomy.TaxonomyVerdict;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/** The report's figures, each written as a PNG into figures/ and embedded in the page with its caption. */
final class ReportFigures {
    private final Results results;
    private final HtmlReport html;
    private final AtomicOutput out;
    private final Primary primary;

    ReportFigures(Results results, HtmlReport html, AtomicOutput out) {
        this.results = results;
        this.html = html;
        this.out = out;
        this.primary = results.primary();
    }

    void write() {
        double tau = primary.threshold();
        int tile = primary.tileRows();
        html.heading(2, "Figures");
        List<String> ids = new ArrayList<>();
        List<Double> elem = new ArrayList<>();
        List<Double> col = new ArrayList<>();
        TreeSet<Integer> heights = new TreeSet<>();
        Map<String, Map<Integer, Double>> byTile = new LinkedHashMap<>();
        Map<String, double[][]> overSteps = new LinkedHashMap<>();
        for (WorkloadResult w : results.workloads()) {
            SiteStats t = w.profile() == null ? null : w.profile().primaryTotal(primary);
            if (t == null) {
                continue;
            }
            ids.add(w.id());
            elem.add(100 * t.elementSparsity());
            col.add(100 * t.columnSparsity());
            Map<Integer, Double> pts = new TreeMap<>();
            for (SiteStats x : w.profile().totalsAtThreshold(primary)) {
                pts.put(x.tileRows(), 100 * x.columnSparsity());
                heights.add(x.tileRows());
            }
            byTile.put(w.id(), pts);
            List<double[]> steps = new ArrayList<>();
            List<ProfileResult.BucketResult> buckets = Lists.of(w.profile().timesteps());
            for (ProfileResult.BucketResult b : buckets) {
                steps.add(new double[] {(b.bucket() + 0.5) / buckets.size(), 100 * b.total().columnSparsity()});
            }
            if (!steps.isEmpty()) {
                overSteps.put(w.id(), xy(steps));
            }
        }
        if (!ids.isEmpty()) {
            Map<String, List<Double>> bars = new LinkedHashMap<>();
            bars.put("element sparsity", elem);
            bars.put("column sparsity, R = " + tile, col);
            figure("sparsity.png", Charts.panels(List.of(new Charts.Panel("Element vs column sparsity (tau = " + fmt(tau)
                            + ", R = " + tile + "), one scale", "% near zero (of elements / of columns)", ids, bars, false, true)),
                            1, Math.max(700, 110 * ids.size() + 200), 480),
                    "Element sparsity (share of GELU outputs near zero) beside column sparsity (share of columns, one channel within a tile of R = "
                            + tile + " rows, that are near zero throughout) on one y scale, each bar labelled with its value in %: the "
                            + "difference between the two bars of a workload is the gap a systolic array loses. The independence baseline "
                            + "is in the summary's evidence.");
            List<String> rs = heights.stream().map(String::valueOf).toList();
            Map<String, List<Double>> lines = new LinkedHashMap<>();
            byTile.forEach((w, pts) -> lines.put(w, heights.stream().map(r -> pts.get(r)).toList()));
            figure("tile-height.png", Charts.categoryLines("Column sparsity vs tile height (tau = " + fmt(tau) + ")",
                            "tile height R (rows), the measured values", "column sparsity %", rs, lines),
                    "Column sparsity at each measured tile height R (" + String.join(", ", rs) + "; equal steps on the axis): scattered "
                            + "near-zeros make it fall as s^R, concentration keeps it up. Tiles are cut within a call, so where a call's "
                            + "rows are not a multiple of R the last tile is short and its columns are zero more often: the curve can rise "
                            + "from one height to the next." + shortTiles(heights));
        }
        if (!overSteps.isEmpty()) {
            figure("over-steps.png", Charts.lines("Column sparsity over the sampling loop", "fraction of sampling steps (0 = noisiest)",
                    "column sparsity %", false, overSteps), "Column sparsity per timestep bucket (R = " + tile + ").");
        }
        for (WorkloadResult w : results.workloads()) {
            String site = heatSite(w);
            double[][] heat = site == null ? null : heatMap(w, site);
            if (heat != null) {
                String id = w.id();
                String role = w.site(site) == null ? "unknown role" : w.site(site).role().cliName();
                figure("activity-" + id + ".png", Charts.heatMap("Per-channel activity, " + id + ": " + site + " (" + role + ")",
                                "channel", "timestep bucket (0 = noisiest)", "fraction of outputs not near zero", heat),
                        id + ", site " + site + " (role " + role + ", the widest headline site): colour = fraction of the channel's outputs "
                                + "with |a| > tau in that timestep bucket, from white (0: always near zero) to dark blue (1: never near zero). "
                                + "A channel that could be skipped shows as a white or light vertical stripe.");
            }
        }
        cycles();
        accuracy();
    }

    /**
     * Where a workload's tile-height curve rises from one height to the next, the short last tile
     * that explains it, from its rows per call (the primary verdict's): the first such workload.
     */
    private String shortTiles(SortedSet<Integer> heights) {
        for (WorkloadResult w : results.workloads()) {
            TaxonomyVerdict v = w.profile() == null ? null : w.profile().primaryVerdict(primary);
            long rows = v == null ? 0 : Math.round(v.rowsPerCall());
            Map<Integer, Double> col = new LinkedHashMap<>();
            if (w.profile() != null) {
                for (SiteStats x : w.profile().totalsAtThreshold(primary)) {
                    col.put(x.tileRows(), x.columnSparsity());
                }
            }
            Integer before = null;
            for (int r : heights) {
                if (before != null && col.containsKey(before) && col.containsKey(r) && col.get(r) > col.get(before) && rows > r && rows % r != 0) {
                    return String.format(Locale.ROOT, " In this run %s rises from R = %d to %d: it has %d rows per call, so R = %d leaves "
                            + "a %d-row tile.", w.id(), before, r, rows, r, rows % r);
                }
                before = r;
            }
        }
        return "";
    }

    /**
     * Output drift per threshold, with the primary threshold as a vertical line and the points
     * where the cliff rule fires circled, both named in the legend.
     */
    private void accuracy() {
        double tau = primary.threshold();
        Map<String, double[][]> acc = new LinkedHashMap<>();
        List<double[]> cliffs = new ArrayList<>();
        List<String> cliffNames = new ArrayList<>();
        for (WorkloadResult w : results.workloads()) {
            List<double[]> pts = new ArrayList<>();
            for (AccuracyPoint r : Lists.of(w.accuracy() == null ? null : w.accuracy().results())) {
                // +inf (an output identical to dense, null in results.json) is drawn at 0, as it always was
                double[] p = {r.threshold(), r.relativeL2() == null ? 0 : r.relativeL2()};
                pts.add(p);
                if (r.cliff()) {
                    cliffs.add(p);
                    cliffNames.add(w.id() + " at tau = " + fmt(p[0]));
                }
            }
            if (!pts.isEmpty()) {
                acc.put(w.id(), xy(pts));
            }
        }
        if (acc.isEmpty()) {
            return;
        }
        WorkloadResult first = results.workloads().get(0);
        String rule = first.accuracy() == null || first.accuracy().cliffRule() == null ? "see the accuracy section"
                : first.accuracy().cliffRule().text();
        double[][] c = xy(cliffs);
        figure("accuracy.png", Charts.lines("Output drift vs threshold", "threshold tau", "relative L2 vs dense output", true, acc,
                        List.of(new Charts.Mark(tau, "primary tau = " + fmt(tau))),
                        List.of(new Charts.Highlight("cliff", c[0], c[1]))),
                "Relative L2 distance of the final outputs from the dense run when near-zero GELU outputs are zeroed. Dashed vertical "
                        + "line: the primary threshold tau = " + fmt(tau) + ". Marked 'cliff': the steps the cliff rule calls a cliff ("
                        + (cliffNames.isEmpty() ? "none in this run" : String.join(", ", cliffNames)) + "); rule: " + rule + ".");
    }

    /**
     * One panel per workload, each on its own scale: one bar per layout and run, compute-busy under
     * memory stall. A panel whose skipping bars cannot be told from the dense ones says so in its
     * title, with how far apart they are at most.
     */
    private void cycles() {
        List<Charts.Panel> panels = new ArrayList<>();
        List<String> coincide = new ArrayList<>();
        List<String> drawn = new ArrayList<>();
        double within = 0;
        for (WorkloadResult w : results.workloads()) {
            List<String> cats = new ArrayList<>();
            List<Double> compute = new ArrayList<>();
            List<Double> stall = new ArrayList<>();
            for (SimulateResult.LayoutTotals r : Lists.of(w.simulate() == null ? null : w.simulate().results())) {
                cats.add(r.layout().cliName() + (r.skipping() ? " skipping" : " dense"));
                double calls = Math.max(1, r.calls());
                compute.add(r.computeCycles() / calls / 1e3);
                stall.add(r.stallCycles() / calls / 1e3);
            }
            if (!cats.isEmpty()) {
                // millions past a million: XChart drops the last bar's label when wide numbers (7,000) narrow the plot
                boolean millions = false;
                for (int i = 0; i < compute.size(); i++) {
                    millions |= compute.get(i) + stall.get(i) >= 1000;
                }
                double scale = millions ? 1e-3 : 1;
                Map<String, List<Double>> s = new LinkedHashMap<>();
                s.put("compute-busy", compute.stream().map(v -> v * scale).toList());
                s.put("memory stall", stall.stream().map(v -> v * scale).toList());
                String id = w.id();
                String title = id;
                Map<?, Double> gains = LayoutAnalysis.of(w.simulate()).skipGains();
                double most = gains.values().stream().mapToDouble(Math::abs).max().orElse(Double.NaN);
                // 1 % of a bar is about a pixel at this size: below that the two bars look the same
                drawn.add(id);
                if (!gains.isEmpty() && most < 0.01) {
                    title = id + ": skipping = dense (within " + Summary.percent(most) + ")";
                    coincide.add(id);
                    within = Math.max(within, most);
                }
                panels.add(new Charts.Panel(title, (millions ? "million" : "thousand") + " cycles per call", cats, s, true));
            }
        }
        if (!panels.isEmpty()) {
            figure("cycles.png", Charts.panels(panels, 2, 550, 460),
                    "Array cycles of one whole denoiser call of the profiled model (mean over the simulated calls), one panel per workload "
                            + "on its own scale: per activation layout, dense and with column skipping from the real recorded masks, "
                            + "compute-busy cycles (bottom) and memory-stall cycles (top). "
                            + (coincide.isEmpty() ? "" : "The skipping and dense bars coincide, the cycles differing by at most "
                            + Summary.percent(within) + " in any layout, for " + Summary.who(coincide, drawn) + " (each panel's title says "
                            + "how close): skipping saves nothing visible there; layouts differ, not skipping. ")
                            + "Exact numbers: the section 'Simulated cycles, DRAM traffic and row hits per layout' and simulate.csv.");
        }
    }

    /** Rows = timestep buckets, columns = the channels of {@code site} at the primary threshold. */
    private static double[][] heatMap(WorkloadResult w, String site) {
        List<double[]> rows = new ArrayList<>();
        for (ProfileResult.BucketResult b : Lists.of(w.profile().timesteps())) {
            for (SiteStats s : Lists.of(b.sites())) {
                if (s.site().equals(site)) {
                    rows.add(s.channelActivity());
                }
            }
        }
        return rows.isEmpty() ? null : rows.toArray(new double[0][]);
    }

    /** The widest headline site (an FFN or conv activation, never a time-embedding MLP), or null. */
    private static String heatSite(WorkloadResult w) {
        if (w.profile() == null || w.profile().timesteps() == null || w.profile().timesteps().isEmpty()) {
            return null;
        }
        String best = null;
        int widest = -1;
        for (SiteStats s : Lists.of(w.profile().timesteps().get(0).sites())) {
            WorkloadResult.SiteRoleEntry role = w.site(s.site());
            if (role != null && role.headline() && s.cols() > widest) {
                widest = s.cols();
                best = s.site();
            }
        }
        return best;
    }

    private void figure(String file, byte[] png, String caption) {
        out.write("figures/" + file, png);
        html.figure(file, png, caption);
    }

    private static double[][] xy(List<double[]> pts) {
        double[][] r = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            r[0][i] = pts.get(i)[0];
            r[1][i] = pts.get(i)[1];
        }
        return r;
    }

    static String fmt(double d) {
        return Double.toString(d);
    }
}
