package org.colsparse.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
        List<List<String>> summary = Summary.rows(results);
        out.write("summary.csv", Csv.table(Summary.HEADER, summary));
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
        html.heading(2, "Summary");
        html.table(Summary.HEADER, summary);
        html.paragraph("elem/col sparsity: near-zero elements and all-near-zero columns (one channel within one row tile of R rows of one "
                + "denoiser call) over the whole sampling loop at the primary threshold, over the headline sites: "
                + org.colsparse.workload.SiteRoles.rule() + ". cycle_red_consumers: cycle reduction of the GEMMs that read GELU "
                + "outputs; cycle_red_model: of the whole denoiser call (only consumers skip) - both analytic on the profiled model's own GEMMs "
                + "with its real recorded masks. mem_stall_share: dense row-major simulation of whole calls; best_layout_gain: the fastest "
                + "layout with skipping vs that run.");
        taxonomyVsLayout(results, html);
        otherSites(results, html, primary, tile);

        figures(results, html, out, primary, tile);
        provenance(results, html);
        out.write("report.html", html.render());
    }

    private void figures(JsonNode results, HtmlReport html, AtomicOutput out, double primary, int tile) {
        html.heading(2, "Figures");
        List<String> ids = new ArrayList<>();
        List<Double> elem = new ArrayList<>();
        List<Double> col = new ArrayList<>();
        List<Double> base = new ArrayList<>();
        Map<String, double[][]> byTile = new LinkedHashMap<>();
        Map<String, double[][]> overSteps = new LinkedHashMap<>();
        for (JsonNode w : results.path("workloads")) {
            JsonNode t = Summary.primaryTotal(w, primary, tile);
            if (t == null) {
                continue;
            }
            ids.add(w.path("id").asText());
            elem.add(100 * t.path("element_sparsity").asDouble());
            col.add(100 * t.path("column_sparsity").asDouble());
            base.add(100 * t.path("independence_baseline").asDouble());
            List<double[]> pts = new ArrayList<>();
            for (JsonNode x : w.path("profile").path("totals")) {
                if (x.path("threshold").asDouble() == primary) {
                    pts.add(new double[] {x.path("tile_rows").asDouble(), 100 * x.path("column_sparsity").asDouble()});
                }
            }
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            byTile.put(w.path("id").asText(), xy(pts));
            List<double[]> steps = new ArrayList<>();
            JsonNode buckets = w.path("profile").path("timesteps");
            for (JsonNode b : buckets) {
                steps.add(new double[] {(b.path("bucket").asDouble() + 0.5) / buckets.size(), 100 * b.path("total").path("column_sparsity").asDouble()});
            }
            overSteps.put(w.path("id").asText(), xy(steps));
        }
        if (!ids.isEmpty()) {
            Map<String, List<Double>> bars = new LinkedHashMap<>();
            bars.put("element sparsity", elem);
            bars.put("column sparsity", col);
            bars.put("independence baseline", base);
            figure(html, out, "sparsity.png", Charts.bars("Element vs column sparsity (tau = " + fmt(primary) + ", R = " + tile + ")",
                    "% of elements / columns", ids, bars), "Element vs column sparsity per workload, with the independence baseline s^R.");
            figure(html, out, "tile-height.png", Charts.lines("Column sparsity vs tile height (tau = " + fmt(primary) + ")", "tile height R (rows)",
                    "column sparsity %", true, byTile), "Column sparsity falls with the tile height; concentration keeps it up.");
            figure(html, out, "over-steps.png", Charts.lines("Column sparsity over the sampling loop", "fraction of sampling steps (0 = noisiest)",
                    "column sparsity %", false, overSteps), "Column sparsity per timestep bucket (R = " + tile + ").");
        }
        for (JsonNode w : results.path("workloads")) {
            double[][] heat = heatMap(w);
            if (heat != null) {
                String id = w.path("id").asText();
                figure(html, out, "activity-" + id + ".png", Charts.heatMap("Per-channel activity, " + id + " site " + heatSite(w),
                        "channel", "timestep bucket (0 = noisiest)", heat),
                        id + ": fraction of non-near-zero outputs per channel (x) and timestep bucket (y); dark columns are channels that stay near zero.");
            }
        }
        List<String> cats = new ArrayList<>();
        List<Double> compute = new ArrayList<>();
        List<Double> stall = new ArrayList<>();
        for (JsonNode w : results.path("workloads")) {
            for (JsonNode r : w.path("simulate").path("results")) {
                cats.add(w.path("id").asText() + " " + r.path("layout").asText() + (r.path("masked").asBoolean() ? " skip" : " dense"));
                double calls = Math.max(1, r.path("calls").asDouble());
                compute.add(r.path("compute_cycles").asDouble() / calls / 1e6);
                stall.add(r.path("stall_cycles").asDouble() / calls / 1e6);
            }
        }
        if (!cats.isEmpty()) {
            Map<String, List<Double>> s = new LinkedHashMap<>();
            s.put("compute", compute);
            s.put("memory stall", stall);
            figure(html, out, "cycles.png", Charts.stackedBars("Cycles per denoiser call, per layout (simulated, real masks)", "million array cycles per call", cats, s),
                    "Compute-busy and memory-stall cycles of one whole denoiser call of the profiled model (mean over the simulated calls), "
                    + "per activation layout, dense and with column skipping from the real recorded masks; numbers in simulate.csv.");
        }
        Map<String, double[][]> acc = new LinkedHashMap<>();
        for (JsonNode w : results.path("workloads")) {
            List<double[]> pts = new ArrayList<>();
            for (JsonNode r : w.path("accuracy").path("results")) {
                pts.add(new double[] {r.path("threshold").asDouble(), r.path("relative_l2").asDouble()});
            }
            if (!pts.isEmpty()) {
                acc.put(w.path("id").asText(), xy(pts));
            }
        }
        if (!acc.isEmpty()) {
            figure(html, out, "accuracy.png", Charts.lines("Output drift vs threshold", "threshold tau", "relative L2 vs dense output", true, acc),
                    "Relative L2 distance of the final outputs from the dense run when near-zero GELU outputs are zeroed.");
        }
    }

    /** Rows = timestep buckets, columns = channels of the widest site at the primary threshold. */
    private static double[][] heatMap(JsonNode w) {
        String site = heatSite(w);
        if (site == null) {
            return null;
        }
        JsonNode buckets = w.path("profile").path("timesteps");
        List<double[]> rows = new ArrayList<>();
        for (JsonNode b : buckets) {
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

    private static String heatSite(JsonNode w) {
        String best = null;
        int widest = -1;
        JsonNode first = w.path("profile").path("timesteps").path(0).path("sites");
        for (JsonNode s : first) {
            if (s.path("cols").asInt() > widest) {
                widest = s.path("cols").asInt();
                best = s.path("site").asText();
            }
        }
        return best;
    }

    private void provenance(JsonNode results, HtmlReport html) {
        html.heading(2, "How these numbers were made");
        List<String> items = new ArrayList<>();
        JsonNode cfg = results.path("config");
        items.add("Configuration: " + cfg.toString());
        for (JsonNode w : results.path("workloads")) {
            JsonNode p = w.path("profile");
            JsonNode e = w.path("estimate");
            items.add(String.format(Locale.ROOT, "%s: %s; profiled %d samples x %d sampler steps (one sample per denoiser call), seed %d, %.1f s; "
                            + "masks recorded at steps %s of the first sample. %s",
                    w.path("id").asText(), w.path("weights").asText(), p.path("samples").asInt(), p.path("steps").asInt(),
                    p.path("seed").asLong(), p.path("seconds").asDouble(), p.path("mask_steps").toString(),
                    w.has("estimate") ? "Cycle estimate: " + e.path("method").asText() + ". Simulation: " + w.path("simulate").path("method").asText()
                            + " (steps " + w.path("simulate").path("call_steps") + ")."
                            + (e.path("projection").isObject() ? " Full-size " + e.path("projection").path("label").asText() + String.format(Locale.ROOT,
                            ": consumer reduction %.1f%%, model %.1f%%.", 100 * e.path("projection").path("consumer_reduction").asDouble(),
                            100 * e.path("projection").path("model_reduction").asDouble()) : "")
                            : "No GEMMs recorded: no cycle estimate or simulation."));
        }
        items.add("Measured: sparsity statistics come from real activations of the models named above during their full sampling loop, "
                + "one sample per denoiser call. Estimated and simulated: the profiled model's own GEMMs, replaying the real masks recorded "
                + "in masks/<workload>.npz; no synthetic mask is used. Full-size numbers, where shown, are projections and labelled so.");
        html.bullets(items);
    }

    /**
     * Class and layout sensitivity side by side (DESIGN §1's claim: layout sensitivity follows the
     * taxonomy). A layout's skipping gain is 1 - cycles with skipping / its own dense cycles;
     * sensitivity is the best layout's gain minus row-major's.
     */
    private void taxonomyVsLayout(JsonNode results, HtmlReport html) {
        List<List<String>> rows = new ArrayList<>();
        Map<String, List<Double>> byClass = new LinkedHashMap<>();
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
            List<String> r = new ArrayList<>(List.of(w.path("id").asText(), v.path("verdict").asText()));
            for (Map.Entry<String, Double> g : gain.entrySet()) {
                r.add(g.getKey() + " " + String.format(Locale.ROOT, "%.2f%%", 100 * g.getValue()));
            }
            r.add(best + String.format(Locale.ROOT, " (+%.2f pp)", 100 * sensitivity));
            rows.add(r);
        }
        if (rows.isEmpty()) {
            return;
        }
        html.heading(2, "Taxonomy vs layout");
        html.table(List.of("workload", "class", "skipping gain per layout (vs the same layout dense)", "", "", "", "layout sensitivity"),
                rows.stream().map(r -> pad(r, 7)).toList());
        StringBuilder verdict = new StringBuilder("Layout sensitivity = the best layout's skipping gain minus row-major's. Mean per class: ");
        for (Map.Entry<String, List<Double>> c : byClass.entrySet()) {
            verdict.append(String.format(Locale.ROOT, "%s %.2f pp (%d workloads); ", c.getKey(),
                    100 * c.getValue().stream().mapToDouble(Double::doubleValue).average().orElse(0), c.getValue().size()));
        }
        if (byClass.size() < 2) {
            verdict.append("every workload has the same class, so whether layout gain tracks the class cannot be tested on this run.");
        } else {
            double conc = byClass.getOrDefault("concentration", List.of()).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double disp = byClass.getOrDefault("dispersion", List.of()).stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            if (!Double.isNaN(conc) && !Double.isNaN(disp)) {
                verdict.append(conc > disp ? "concentration workloads gain more from a layout change than dispersion ones: layout gain tracks the class."
                        : "concentration workloads do not gain more from a layout change than dispersion ones: layout gain does not track the class here.");
            } else {
                verdict.append("no concentration/dispersion pair to compare.");
            }
        }
        html.paragraph(verdict.toString());
    }

    private static List<String> pad(List<String> r, int n) {
        List<String> out = new ArrayList<>(r);
        while (out.size() < n) {
            out.add(out.size() - 1, "");
        }
        return out;
    }

    /** Sites outside the headline (time-embedding MLPs), reported beside it, never pooled in. */
    private void otherSites(JsonNode results, HtmlReport html, double primary, int tile) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode w : results.path("workloads")) {
            for (JsonNode t : w.path("profile").path("other_totals")) {
                if (t.path("threshold").asDouble() == primary && t.path("tile_rows").asInt() == tile) {
                    rows.add(List.of(w.path("id").asText(), String.format(Locale.ROOT, "%.1f%%", 100 * t.path("element_sparsity").asDouble()),
                            String.format(Locale.ROOT, "%.1f%%", 100 * t.path("column_sparsity").asDouble()),
                            String.format(Locale.ROOT, "%.1f", t.path("mean_tile_height").asDouble())));
                }
            }
        }
        if (!rows.isEmpty()) {
            html.heading(3, "Sites outside the headline");
            html.table(List.of("workload", "elem_sparsity", "col_sparsity", "mean rows per tile"), rows);
            html.paragraph("Time-embedding MLP sites: one row per sample per call, so a column is a single element and column sparsity "
                    + "equals element sparsity by construction. They are shown here and left out of the summary.");
        }
    }

    private static void figure(HtmlReport html, AtomicOutput out, String file, byte[] png, String caption) {
        out.write("figures/" + file, png);
        html.figure(png, caption);
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
        return perWorkloadCsv(results, List.of("simulate", "results"), List.of("layout", "masked", "calls", "cycles",
                "compute_cycles", "stall_cycles", "stall_share", "bytes_read", "bytes_written", "dram_mb", "row_hit_rate"));
    }

    private static String estimateCsv(JsonNode results) {
        return perWorkloadCsv(results, List.of("estimate", "gemms"), List.of("name", "m", "n", "k", "instances", "consumes_site",
                "dense_cycles_os", "cycles_with_skipping_os", "dense_cycles_ws", "cycles_with_skipping_ws", "dense_cycles_is",
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
