package org.colsparse.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.colsparse.taxonomy.SparsityClass;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes report.html, results.json, CSV tables and PNG figures from the results tree alone, so
 * every number in the report is one that results.json holds.
 */
public final class ReportWriter {
    private final ObjectMapper mapper;

    public ReportWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void write(JsonNode results, AtomicOutput out) {
        try {
            out.write("results.json", mapper.writeValueAsBytes(results));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write("summary.csv", Csv.table(Summary.HEADER, Summary.csvRows(results)));
        out.write("sites.csv", sitesCsv(results));
        out.write("simulate.csv", simulateCsv(results));
        out.write("estimate.csv", estimateCsv(results));
        out.write("accuracy.csv", accuracyCsv(results));

        JsonNode cfg = results.path("config");
        double primary = cfg.path("primary_threshold").asDouble();
        int tile = cfg.path("tile_rows_primary").asInt();
        HtmlReport html = new HtmlReport("colsparse: exploitable GELU sparsity on a systolic array");
        html.paragraph(String.format(Locale.ROOT, "Array %s (%s dataflow), DRAM %s; primary threshold tau = %s, tile height R = %d (the array's rows).",
                cfg.path("array").asText(), cfg.path("dataflow").asText(), cfg.path("dram").asText(), fmt(primary), tile));
        findings(results, html);
        summary(results, html);
        taxonomyVsLayout(results, html);
        otherSites(results, html, primary, tile);

        figures(results, html, out, primary, tile);
        accuracyTables(results, html, out.dir());
        simulationTable(results, html);
        estimateTables(results, html);
        provenance(results, html);
        out.write("report.html", html.render());
    }

    /** The first screen: what this run found, in plain words, every number computed from it ({@link Summary#findings}). */
    private static void findings(JsonNode results, HtmlReport html) {
        List<String> found = Summary.findings(results);
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
    private static void summary(JsonNode results, HtmlReport html) {
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
        List<List<String>> shown = Summary.rows(results);
        JsonNode workloads = results.path("workloads");
        for (int i = 0; i < shown.size(); i++) {
            List<String> r = shown.get(i);
            List<String> row = new ArrayList<>(r);
            JsonNode sim = workloads.path(i).path("simulate");
            Double skip = Summary.skipGains(sim).get(String.valueOf(Summary.bestLayout(sim)[0]));
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

    /** Per workload, the sweep's task metrics and the dense samples beside every threshold's. */
    private static void accuracyTables(JsonNode results, HtmlReport html, java.nio.file.Path dir) {
        boolean any = false;
        for (JsonNode w : results.path("workloads")) {
            JsonNode res = w.path("accuracy").path("results");
            if (res.isEmpty()) {
                continue;
            }
            if (!any) {
                html.heading(2, "Accuracy: task metrics and samples");
                html.paragraph("Each threshold's run zeroes every GELU output |a| <= tau and is compared with the dense run from the same "
                        + "seed. Fields ending in _dense are the dense run's own value of that metric, for scale.");
                any = true;
            }
            String id = w.path("id").asText();
            html.heading(3, id);
            List<String> fields = new ArrayList<>(List.of("threshold", "element_sparsity", "column_sparsity", "relative_l2"));
            for (JsonNode r : res) {
                r.fieldNames().forEachRemaining(f -> {
                    if (!fields.contains(f) && !f.equals("workload") && !f.equals("cliff") && r.get(f).isNumber()) {
                        fields.add(f);
                    }
                });
            }
            fields.add("cliff");
            Map<String, NumberColumn> formats = new LinkedHashMap<>();
            for (String f : fields) {
                List<Double> vs = new ArrayList<>();
                res.forEach(r -> {
                    if (r.path(f).isNumber()) {
                        vs.add(r.path(f).asDouble());
                    }
                });
                formats.put(f, NumberColumn.of(vs));
            }
            List<List<String>> rows = new ArrayList<>();
            boolean noContact = false;
            for (JsonNode r : res) {
                List<String> row = new ArrayList<>();
                for (String f : fields) {
                    JsonNode v = r.path(f);
                    noContact |= f.startsWith("foot_skate") && !v.isNumber();
                    row.add(f.equals("threshold") ? v.asText() : f.endsWith("_sparsity") ? Summary.percent(v.asDouble())
                            : f.equals("cliff") ? (v.asBoolean() ? "yes" : "no")
                            : v.isNumber() ? formats.get(f).format(v.asDouble()) : f.startsWith("psnr") || f.startsWith("snr") ? "inf" : "n/a");
                }
                rows.add(row);
            }
            // foot skate needs a foot on the floor two frames in a row; a metric absent from some rows only is n/a there
            if (w.path("modality").asText().matches("motion|dance") && fields.stream().noneMatch(f -> f.startsWith("foot_skate"))) {
                noContact = true;
            }
            html.table(fields, rows);
            if (noContact) {
                html.paragraph(id + ": foot skate is n/a where no toe of the decoded motion is on the floor (within "
                        + Summary.plain(100 * org.colsparse.accuracy.MotionMetrics.CONTACT_HEIGHT_M) + " cm of its lowest point) two frames in a row, "
                        + "in any sample: there is no planted foot whose sliding could be measured, and 0 would read as a perfect one. "
                        + "Such motion floats or jitters"
                        + (res.path(0).path("jerk_dense_m_s3").isNumber() ? String.format(Locale.ROOT,
                        " (dense jerk %s m/s^3; real CMU motion at 20 fps: 105-115 m/s^3, docs/accuracy-metrics.md)", formats.get("jerk_dense_m_s3").format(
                                res.path(0).path("jerk_dense_m_s3").asDouble())) : "") + ".");
            }
            List<HtmlReport.Picture> pics = new ArrayList<>();
            for (JsonNode p : w.path("accuracy").path("sample_pictures")) {
                java.nio.file.Path f = dir.resolve(p.path("file").asText());
                if (java.nio.file.Files.isRegularFile(f)) {
                    try {
                        pics.add(new HtmlReport.Picture(java.nio.file.Files.readAllBytes(f), p.path("label").asText()));
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
    }

    /** Absolute numbers behind the cycles figure: per workload and layout, dense and with skipping, per denoiser call. */
    private static void simulationTable(JsonNode results, HtmlReport html) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode w : results.path("workloads")) {
            for (JsonNode r : w.path("simulate").path("results")) {
                double calls = Math.max(1, r.path("calls").asDouble());
                rows.add(List.of(w.path("id").asText(), r.path("layout").asText(), r.path("skipping").asBoolean() ? "with skipping" : "dense",
                        thousands(r.path("cycles").asDouble() / calls), thousands(r.path("compute_cycles").asDouble() / calls),
                        thousands(r.path("stall_cycles").asDouble() / calls), Summary.percent(r.path("stall_share").asDouble()),
                        String.format(Locale.ROOT, "%.3f", r.path("dram_mb").asDouble() / calls),
                        r.path("row_hit_rate").isNumber() ? Summary.percent(r.path("row_hit_rate").asDouble()) : "n/a"));
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
    private static void estimateTables(JsonNode results, HtmlReport html) {
        boolean any = false;
        for (JsonNode w : results.path("workloads")) {
            JsonNode e = w.path("estimate");
            if (!e.isObject()) {
                continue;
            }
            if (!any) {
                html.heading(2, "Analytic estimate per dataflow and per GEMM");
                html.paragraph("SCALE-Sim-exact dense cycles of every GEMM of one denoiser call of the profiled model; consumers skip with "
                        + "the real recorded masks (mean over the recorded calls). Also in estimate.csv.");
                any = true;
            }
            String id = w.path("id").asText();
            List<List<String>> flows = new ArrayList<>();
            for (JsonNode f : e.path("dataflows")) {
                double calls = Math.max(1, e.path("calls").asDouble());
                flows.add(List.of(f.path("dataflow").asText(), f.path("skip_unit").asText(), thousands(f.path("dense_cycles").asDouble() / calls),
                        thousands(f.path("cycles_with_skipping").asDouble() / calls), Summary.percent(f.path("consumer_reduction").asDouble()),
                        Summary.percent(f.path("model_reduction").asDouble())));
            }
            html.heading(3, id);
            html.table(List.of("dataflow", "skip unit", "dense cycles / call", "cycles with skipping / call", "consumer reduction",
                    "model reduction"), flows);
            List<List<String>> gemms = new ArrayList<>();
            for (JsonNode g : e.path("gemms")) {
                List<String> row = new ArrayList<>(List.of(g.path("name").asText(), g.path("m").asText(), g.path("k").asText(),
                        g.path("n").asText(), g.path("instances").asText(), g.path("consumes_site").asText().isEmpty() ? "-" : g.path("consumes_site").asText()));
                for (String df : new String[] {"os", "ws", "is"}) {
                    row.add(thousands(g.path("dense_cycles_" + df).asDouble()));
                    row.add(thousands(g.path("cycles_with_skipping_" + df).asDouble()));
                }
                gemms.add(row);
            }
            html.details(id + ": " + gemms.size() + " GEMMs per call", List.of("GEMM", "m", "k", "n", "instances", "reads GELU site",
                    "os dense", "os with skipping", "ws dense", "ws with skipping", "is dense", "is with skipping"), gemms);
        }
    }

    private static String thousands(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    /**
     * One number format for a whole table column, so digits line up and a value beside its dense
     * value (jerk 10475.15 vs 10475.34) never rounds to the same digits: fixed decimals enough for
     * four significant digits of the column's smallest non-zero value (at most six), or
     * scientific for the whole column when that value is below 1e-4.
     */
    record NumberColumn(boolean scientific, int decimals) {
        static NumberColumn of(List<Double> values) {
            double smallest = Double.POSITIVE_INFINITY;
            for (double v : values) {
                if (v != 0 && Double.isFinite(v)) {
                    smallest = Math.min(smallest, Math.abs(v));
                }
            }
            if (smallest == Double.POSITIVE_INFINITY || smallest >= 1) {
                return new NumberColumn(false, 2);
            }
            if (smallest < 1e-4) {
                return new NumberColumn(true, 3);
            }
            return new NumberColumn(false, Math.min(6, 3 - (int) Math.floor(Math.log10(smallest))));
        }

        String format(double v) {
            if (Double.isNaN(v)) {
                return "NaN";
            }
            if (Double.isInfinite(v)) {
                return v > 0 ? "inf" : "-inf";
            }
            return scientific ? String.format(Locale.ROOT, "%." + decimals + "e", v) : Summary.fixed(v, decimals);
        }
    }

    private void figures(JsonNode results, HtmlReport html, AtomicOutput out, double primary, int tile) {
        html.heading(2, "Figures");
        List<String> ids = new ArrayList<>();
        List<Double> elem = new ArrayList<>();
        List<Double> col = new ArrayList<>();
        java.util.TreeSet<Integer> heights = new java.util.TreeSet<>();
        Map<String, Map<Integer, Double>> byTile = new LinkedHashMap<>();
        Map<String, double[][]> overSteps = new LinkedHashMap<>();
        for (JsonNode w : results.path("workloads")) {
            JsonNode t = Summary.primaryTotal(w, primary, tile);
            if (t == null) {
                continue;
            }
            ids.add(w.path("id").asText());
            elem.add(100 * t.path("element_sparsity").asDouble());
            col.add(100 * t.path("column_sparsity").asDouble());
            Map<Integer, Double> pts = new java.util.TreeMap<>();
            for (JsonNode x : w.path("profile").path("totals")) {
                if (x.path("threshold").asDouble() == primary) {
                    pts.put(x.path("tile_rows").asInt(), 100 * x.path("column_sparsity").asDouble());
                    heights.add(x.path("tile_rows").asInt());
                }
            }
            byTile.put(w.path("id").asText(), pts);
            List<double[]> steps = new ArrayList<>();
            JsonNode buckets = w.path("profile").path("timesteps");
            for (JsonNode b : buckets) {
                steps.add(new double[] {(b.path("bucket").asDouble() + 0.5) / buckets.size(), 100 * b.path("total").path("column_sparsity").asDouble()});
            }
            if (!steps.isEmpty()) {
                overSteps.put(w.path("id").asText(), xy(steps));
            }
        }
        if (!ids.isEmpty()) {
            Map<String, List<Double>> bars = new LinkedHashMap<>();
            bars.put("element sparsity", elem);
            bars.put("column sparsity, R = " + tile, col);
            figure(html, out, "sparsity.png", Charts.panels(List.of(new Charts.Panel("Element vs column sparsity (tau = " + fmt(primary)
                            + ", R = " + tile + "), one scale", "% near zero (of elements / of columns)", ids, bars, false, true)),
                            1, Math.max(700, 110 * ids.size() + 200), 480),
                    "Element sparsity (share of GELU outputs near zero) beside column sparsity (share of columns, one channel within a tile of R = "
                            + tile + " rows, that are near zero throughout) on one y scale, each bar labelled with its value in %: the "
                            + "difference between the two bars of a workload is the gap a systolic array loses. The independence baseline "
                            + "is in the summary's evidence.");
            List<String> rs = heights.stream().map(String::valueOf).toList();
            Map<String, List<Double>> lines = new LinkedHashMap<>();
            byTile.forEach((w, pts) -> lines.put(w, heights.stream().map(r -> pts.get(r)).toList()));
            figure(html, out, "tile-height.png", Charts.categoryLines("Column sparsity vs tile height (tau = " + fmt(primary) + ")",
                            "tile height R (rows), the measured values", "column sparsity %", rs, lines),
                    "Column sparsity at each measured tile height R (" + String.join(", ", rs) + "; equal steps on the axis): scattered "
                            + "near-zeros make it fall as s^R, concentration keeps it up. Tiles are cut within a call, so where a call's "
                            + "rows are not a multiple of R the last tile is short and its columns are zero more often: the curve can rise "
                            + "from one height to the next." + shortTiles(results, heights));
        }
        if (!overSteps.isEmpty()) {
            figure(html, out, "over-steps.png", Charts.lines("Column sparsity over the sampling loop", "fraction of sampling steps (0 = noisiest)",
                    "column sparsity %", false, overSteps), "Column sparsity per timestep bucket (R = " + tile + ").");
        }
        for (JsonNode w : results.path("workloads")) {
            String site = heatSite(w);
            double[][] heat = site == null ? null : heatMap(w, site);
            if (heat != null) {
                String id = w.path("id").asText();
                String role = siteRole(w, site);
                figure(html, out, "activity-" + id + ".png", Charts.heatMap("Per-channel activity, " + id + ": " + site + " (" + role + ")",
                                "channel", "timestep bucket (0 = noisiest)", "fraction of outputs not near zero", heat),
                        id + ", site " + site + " (role " + role + ", the widest headline site): colour = fraction of the channel's outputs "
                                + "with |a| > tau in that timestep bucket, from white (0: always near zero) to dark blue (1: never near zero). "
                                + "A channel that could be skipped shows as a white or light vertical stripe.");
            }
        }
        cyclesFigure(results, html, out);
        accuracyFigure(results, html, out, primary);
    }

    /**
     * Where a workload's tile-height curve rises from one height to the next, the short last tile
     * that explains it, from its rows per call (the primary verdict's): the first such workload.
     */
    private static String shortTiles(JsonNode results, java.util.SortedSet<Integer> heights) {
        double primary = results.path("config").path("primary_threshold").asDouble();
        int tile = results.path("config").path("tile_rows_primary").asInt();
        for (JsonNode w : results.path("workloads")) {
            JsonNode v = Summary.primaryVerdict(w, primary, tile);
            long rows = v == null ? 0 : Math.round(v.path("rows_per_call").asDouble());
            Map<Integer, Double> col = new LinkedHashMap<>();
            for (JsonNode x : w.path("profile").path("totals")) {
                if (x.path("threshold").asDouble() == primary) {
                    col.put(x.path("tile_rows").asInt(), x.path("column_sparsity").asDouble());
                }
            }
            Integer before = null;
            for (int r : heights) {
                if (before != null && col.containsKey(before) && col.containsKey(r) && col.get(r) > col.get(before) && rows > r && rows % r != 0) {
                    return String.format(Locale.ROOT, " In this run %s rises from R = %d to %d: it has %d rows per call, so R = %d leaves "
                            + "a %d-row tile.", w.path("id").asText(), before, r, rows, r, rows % r);
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
    private static void accuracyFigure(JsonNode results, HtmlReport html, AtomicOutput out, double primary) {
        Map<String, double[][]> acc = new LinkedHashMap<>();
        List<double[]> cliffs = new ArrayList<>();
        List<String> cliffNames = new ArrayList<>();
        for (JsonNode w : results.path("workloads")) {
            List<double[]> pts = new ArrayList<>();
            for (JsonNode r : w.path("accuracy").path("results")) {
                double[] p = {r.path("threshold").asDouble(), r.path("relative_l2").asDouble()};
                pts.add(p);
                if (r.path("cliff").asBoolean()) {
                    cliffs.add(p);
                    cliffNames.add(w.path("id").asText() + " at tau = " + fmt(p[0]));
                }
            }
            if (!pts.isEmpty()) {
                acc.put(w.path("id").asText(), xy(pts));
            }
        }
        if (acc.isEmpty()) {
            return;
        }
        double[][] c = xy(cliffs);
        figure(html, out, "accuracy.png", Charts.lines("Output drift vs threshold", "threshold tau", "relative L2 vs dense output", true, acc,
                        List.of(new Charts.Mark(primary, "primary tau = " + fmt(primary))),
                        List.of(new Charts.Highlight("cliff", c[0], c[1]))),
                "Relative L2 distance of the final outputs from the dense run when near-zero GELU outputs are zeroed. Dashed vertical "
                        + "line: the primary threshold tau = " + fmt(primary) + ". Marked 'cliff': the steps the cliff rule calls a cliff ("
                        + (cliffNames.isEmpty() ? "none in this run" : String.join(", ", cliffNames)) + "); rule: "
                        + results.path("workloads").path(0).path("accuracy").path("cliff_rule").path("text").asText("see the accuracy section") + ".");
    }

    /**
     * One panel per workload, each on its own scale: one bar per layout and run, compute-busy under
     * memory stall. A panel whose skipping bars cannot be told from the dense ones says so in its
     * title, with how far apart they are at most.
     */
    private static void cyclesFigure(JsonNode results, HtmlReport html, AtomicOutput out) {
        List<Charts.Panel> panels = new ArrayList<>();
        List<String> coincide = new ArrayList<>();
        List<String> drawn = new ArrayList<>();
        double within = 0;
        for (JsonNode w : results.path("workloads")) {
            List<String> cats = new ArrayList<>();
            List<Double> compute = new ArrayList<>();
            List<Double> stall = new ArrayList<>();
            for (JsonNode r : w.path("simulate").path("results")) {
                cats.add(r.path("layout").asText() + (r.path("skipping").asBoolean() ? " skipping" : " dense"));
                double calls = Math.max(1, r.path("calls").asDouble());
                compute.add(r.path("compute_cycles").asDouble() / calls / 1e3);
                stall.add(r.path("stall_cycles").asDouble() / calls / 1e3);
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
                String id = w.path("id").asText();
                String title = id;
                Map<String, Double> gains = Summary.skipGains(w.path("simulate"));
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
            figure(html, out, "cycles.png", Charts.panels(panels, 2, 550, 460),
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
    private static double[][] heatMap(JsonNode w, String site) {
        List<double[]> rows = new ArrayList<>();
        for (JsonNode b : w.path("profile").path("timesteps")) {
            for (JsonNode s : b.path("sites")) {
                if (s.path("site").asText().equals(site)) {
                    JsonNode a = s.path("channel_activity");
                    double[] row = new double[a.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = a.get(i).asDouble();
                    }
                    rows.add(row);
                }
            }
        }
        return rows.isEmpty() ? null : rows.toArray(new double[0][]);
    }

    /** The widest headline site (an FFN or conv activation, never a time-embedding MLP), or null. */
    private static String heatSite(JsonNode w) {
        String best = null;
        int widest = -1;
        for (JsonNode s : w.path("profile").path("timesteps").path(0).path("sites")) {
            String name = s.path("site").asText();
            if (isHeadline(w, name) && s.path("cols").asInt() > widest) {
                widest = s.path("cols").asInt();
                best = name;
            }
        }
        return best;
    }

    private static boolean isHeadline(JsonNode w, String site) {
        for (JsonNode r : w.path("site_roles")) {
            if (r.path("site").asText().equals(site)) {
                return r.path("headline").asBoolean();
            }
        }
        return false;
    }

    private static String siteRole(JsonNode w, String site) {
        for (JsonNode r : w.path("site_roles")) {
            if (r.path("site").asText().equals(site)) {
                return r.path("role").asText();
            }
        }
        return "unknown role";
    }

    /**
     * The method once, for every workload, then a table of what differs between workloads: their
     * weights, how long they were sampled, which calls were recorded and simulated, how the
     * accuracy sweep decoded their outputs, and a method text where one workload's differs from
     * the others' (the most common one is the shared method).
     */
    private void provenance(JsonNode results, HtmlReport html) {
        html.heading(2, "How these numbers were made");
        JsonNode cfg = results.path("config");
        List<String> settings = new ArrayList<>();
        cfg.fields().forEachRemaining(f -> settings.add(f.getKey().replace('_', ' ') + ": "
                + (f.getValue().isArray() ? join(f.getValue()) : f.getValue().asText())));
        JsonNode workloads = results.path("workloads");
        String estimate = common(workloads, "estimate", "method");
        String simulate = common(workloads, "simulate", "method");
        List<String> method = new ArrayList<>();
        method.add("Configuration: " + String.join("; ", settings) + ".");
        method.add("Profile: each workload's whole sampling loop runs with a tap on every GELU site, streamed into the analyzer (nothing "
                + "is stored); one sample per denoiser call, sample i from seed + i. A few calls of the first sample are recorded whole "
                + "(masks/<workload>.npz): every site's near-zero bits and the call's GEMMs, each with the site it reads.");
        method.add("Accuracy: the sweep runs the sampling loop again once per threshold from the same seed and conditions, with every "
                + "GELU output |a| <= tau replaced by 0, and compares the final outputs with the dense run's.");
        if (estimate != null) {
            method.add("Cycle estimate: " + estimate + ".");
        }
        if (simulate != null) {
            method.add("Simulation: " + simulate + ".");
        }
        method.add("Measured: every sparsity statistic comes from real activations of the models named below during their full "
                + "sampling loop. Estimated and simulated: the profiled model's own GEMMs, replaying its real recorded masks; no "
                + "synthetic mask is used. Full-size numbers, where shown, are projections and labelled so.");
        html.bullets(method);

        List<List<String>> rows = new ArrayList<>();
        for (JsonNode w : workloads) {
            JsonNode p = w.path("profile");
            JsonNode e = w.path("estimate");
            JsonNode run = w.path("accuracy").path("runs").path(0);
            List<String> differs = new ArrayList<>();
            if (!w.has("estimate")) {
                differs.add("no GEMMs recorded: no cycle estimate or simulation");
            } else {
                if (!e.path("method").asText().equals(estimate)) {
                    differs.add("cycle estimate: " + difference(estimate, e.path("method").asText()));
                }
                if (!w.path("simulate").path("method").asText().equals(simulate)) {
                    differs.add("simulation: " + difference(simulate, w.path("simulate").path("method").asText()));
                }
            }
            if (e.path("projection").isObject()) {
                differs.add(String.format(Locale.ROOT, "projection onto the full-size %s (not a measurement): consumer reduction %s, "
                                + "model %s", e.path("projection").path("preset").asText(),
                        Summary.percent(e.path("projection").path("consumer_reduction").asDouble()),
                        Summary.percent(e.path("projection").path("model_reduction").asDouble())));
            }
            rows.add(List.of(w.path("id").asText(), w.path("weights").asText(),
                    String.format(Locale.ROOT, "%d x %d", p.path("samples").asInt(), p.path("steps").asInt()),
                    String.format(Locale.ROOT, "%.1f s", p.path("seconds").asDouble()),
                    steps(p.path("mask_steps")), steps(w.path("simulate").path("call_steps")),
                    run.isMissingNode() ? "n/a" : String.format(Locale.ROOT, "%d x %d", run.path("samples").asInt(), run.path("steps").asInt()),
                    run.isMissingNode() ? "n/a" : run.path("sampler").asText() + "; " + run.path("decoding").asText(),
                    differs.isEmpty() ? "-" : String.join("; ", differs)));
        }
        html.wrappedTable(List.of("workload", "weights", "profile: samples x steps", "profile time", "masks recorded at steps",
                "simulated calls at steps", "accuracy: samples x steps", "sampler; accuracy decoding", "differences from the method above"), rows);
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

    /** The text of {@code stage.field} most workloads share, or null when no workload has one. */
    private static String common(JsonNode workloads, String stage, String field) {
        Map<String, Integer> count = new LinkedHashMap<>();
        for (JsonNode w : workloads) {
            JsonNode v = w.path(stage).path(field);
            if (v.isTextual()) {
                count.merge(v.asText(), 1, Integer::sum);
            }
        }
        return count.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    private static String steps(JsonNode array) {
        if (!array.isArray() || array.isEmpty()) {
            return "-";
        }
        return join(array);
    }

    /**
     * Class and layout sensitivity side by side (the reference characterization's claim (docs/definitions.md): layout sensitivity follows the
     * taxonomy). A layout's skipping gain is 1 - cycles with skipping / its own dense cycles;
     * sensitivity is the best layout's gain minus row-major's.
     */
    private void taxonomyVsLayout(JsonNode results, HtmlReport html) {
        List<List<String>> rows = new ArrayList<>();
        Map<String, List<Double>> byClass = new LinkedHashMap<>();
        List<String> layouts = new ArrayList<>();
        boolean slower = false;
        double primary = results.path("config").path("primary_threshold").asDouble();
        int tile = results.path("config").path("tile_rows_primary").asInt();
        for (JsonNode w : results.path("workloads")) {
            JsonNode v = Summary.primaryVerdict(w, primary, tile);
            Map<String, Double> gain = Summary.skipGains(w.path("simulate"));
            if (v == null || gain.isEmpty()) {
                continue;
            }
            double rowMajor = gain.getOrDefault("row-major", 0.0);
            String best = null;
            for (Map.Entry<String, Double> g : gain.entrySet()) {
                if (best == null || g.getValue() > gain.get(best)) {
                    best = g.getKey();
                }
            }
            double sensitivity = gain.get(best) - rowMajor;
            byClass.computeIfAbsent(v.path("verdict").asText(), k -> new ArrayList<>()).add(sensitivity);
            if (layouts.isEmpty()) {
                layouts.addAll(gain.keySet());
            }
            List<String> r = new ArrayList<>(List.of(w.path("id").asText(), v.path("verdict").asText()));
            for (String layout : layouts) {
                String shown = gain.containsKey(layout) ? Summary.percent(gain.get(layout)) : "n/a";
                slower |= shown.startsWith("-");
                r.add(shown.startsWith("-") ? shown + " (bitmap reads > savings)" : shown);
            }
            r.add(best + String.format(Locale.ROOT, " (+%.2f pp)", 100 * sensitivity));
            rows.add(r);
        }
        if (rows.isEmpty()) {
            return;
        }
        html.heading(2, "Taxonomy vs layout");
        List<String> header = new ArrayList<>(List.of("workload", "class"));
        layouts.forEach(l -> header.add(l + " skipping gain"));
        header.add("layout sensitivity");
        html.table(header, rows);
        StringBuilder verdict = new StringBuilder("Skipping gain: 1 - cycles with skipping / the same layout's dense cycles, whole "
                + "simulated calls. Layout sensitivity = the best layout's skipping gain minus row-major's. Mean per class: ");
        for (Map.Entry<String, List<Double>> c : byClass.entrySet()) {
            verdict.append(String.format(Locale.ROOT, "%s %.2f pp (%d workload%s); ", c.getKey(),
                    100 * c.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(0), c.getValue().size(),
                    c.getValue().size() == 1 ? "" : "s"));
        }
        if (byClass.size() < 2) {
            verdict.append("every workload has the same class, so whether layout gain tracks the class cannot be tested on this run.");
        } else {
            // the reference characterization's claim (docs/definitions.md) is about these two classes; any other class is reported in the means above and left out here
            double conc = byClass.getOrDefault(SparsityClass.CONCENTRATION.label(), List.of()).stream().mapToDouble(Double::doubleValue)
                    .average().orElse(Double.NaN);
            double disp = byClass.getOrDefault(SparsityClass.DISPERSION.label(), List.of()).stream().mapToDouble(Double::doubleValue)
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

    private static String join(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(v -> parts.add(v.asText()));
        return String.join(", ", parts);
    }

    /** Sites outside the headline (time-embedding MLPs), reported beside it, never pooled in. */
    private void otherSites(JsonNode results, HtmlReport html, double primary, int tile) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode w : results.path("workloads")) {
            for (JsonNode t : w.path("profile").path("other_totals")) {
                if (t.path("threshold").asDouble() == primary && t.path("tile_rows").asInt() == tile) {
                    rows.add(List.of(w.path("id").asText(), Summary.percent(t.path("element_sparsity").asDouble()),
                            Summary.percent(t.path("column_sparsity").asDouble()),
                            String.format(Locale.ROOT, "%.1f", t.path("mean_tile_height").asDouble())));
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
    private static String otherConsumers(JsonNode results) {
        List<String> parts = new ArrayList<>();
        String dataflow = results.path("config").path("dataflow").asText();
        for (JsonNode w : results.path("workloads")) {
            for (JsonNode f : w.path("estimate").path("dataflows")) {
                if (f.path("dataflow").asText().equals(dataflow) && f.path("other_consumer_reduction").isNumber()) {
                    double calls = Math.max(1, w.path("estimate").path("calls").asDouble());
                    parts.add(String.format(Locale.ROOT, "%s %s of their %s cycles per call (%s)", w.path("id").asText(),
                            thousands((f.path("other_consumer_dense_cycles").asDouble() - f.path("other_consumer_cycles_with_skipping").asDouble()) / calls),
                            thousands(f.path("other_consumer_dense_cycles").asDouble() / calls),
                            Summary.percent(f.path("other_consumer_reduction").asDouble())));
                }
            }
        }
        return parts.isEmpty() ? "" : " The GEMMs that read them run dense in every cycle number; skipping with their masks would save ("
                + dataflow + ", analytic): " + String.join("; ", parts) + ".";
    }

    private static void figure(HtmlReport html, AtomicOutput out, String file, byte[] png, String caption) {
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

    private static String sitesCsv(JsonNode results) {
        return perWorkloadCsv(results, List.of("profile", "sites"), List.of("site", "threshold", "tile_rows", "rows", "cols", "elements",
                "near_zero_elements", "element_sparsity", "columns", "zero_columns", "column_sparsity", "gap_pp",
                "independence_baseline", "gini", "top10_share", "dead_channels"));
    }

    private static String simulateCsv(JsonNode results) {
        return perWorkloadCsv(results, List.of("simulate", "results"), List.of("layout", "skipping", "calls", "cycles",
                "compute_cycles", "stall_cycles", "stall_share", "bytes_read", "bytes_written", "dram_mb", "row_hit_rate"));
    }

    private static String estimateCsv(JsonNode results) {
        return perWorkloadCsv(results, List.of("estimate", "gemms"), List.of("name", "m", "n", "k", "instances", "consumes_site",
                "consumes_role", "dense_cycles_os", "cycles_with_skipping_os", "dense_cycles_ws", "cycles_with_skipping_ws", "dense_cycles_is",
                "cycles_with_skipping_is"));
    }

    /** One row per entry of the array at {@code path} in each workload, led by the workload id. */
    private static String perWorkloadCsv(JsonNode results, List<String> path, List<String> fields) {
        List<String> header = new ArrayList<>(List.of("workload"));
        header.addAll(fields);
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode w : results.path("workloads")) {
            JsonNode entries = w;
            for (String p : path) {
                entries = entries.path(p);
            }
            for (JsonNode e : entries) {
                List<String> r = new ArrayList<>();
                r.add(w.path("id").asText());
                for (String f : fields) {
                    r.add(e.path(f).asText());
                }
                rows.add(r);
            }
        }
        return Csv.table(header, rows);
    }

    private static String accuracyCsv(JsonNode results) {
        List<String> header = new ArrayList<>(List.of("workload"));
        List<JsonNode> entries = new ArrayList<>();
        for (JsonNode w : results.path("workloads")) {
            for (JsonNode r : w.path("accuracy").path("results")) {
                entries.add(r);
                r.fieldNames().forEachRemaining(f -> {
                    if (!header.contains(f)) {
                        header.add(f);
                    }
                });
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : entries) {
            List<String> row = new ArrayList<>();
            for (String h : header) {
                row.add(r.path(h).isValueNode() ? r.path(h).asText() : "");
            }
            rows.add(row);
        }
        return Csv.table(header, rows);
    }

    private static String fmt(double d) {
        return Double.toString(d);
    }
}
