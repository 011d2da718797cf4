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
        html.paragraph("elem/col sparsity: near-zero elements and all-near-zero columns (one channel within one row tile of R rows) "
                + "over the whole sampling loop at the primary threshold. cycle_red_consumers: cycle reduction of the GEMMs that read GELU "
                + "outputs; cycle_red_model: of the whole denoiser call (only consumers skip) - both analytic on the full-size shapes. "
                + "mem_stall_share: dense row-major run of the simulated consumer GEMM; best_layout_gain: its fastest skipping layout vs that run.");

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
                double cycles = Math.max(1, r.path("cycles").asDouble());
                compute.add(100 * r.path("compute_cycles").asDouble() / cycles);
                stall.add(100 * r.path("stall_cycles").asDouble() / cycles);
            }
        }
        if (!cats.isEmpty()) {
            Map<String, List<Double>> s = new LinkedHashMap<>();
            s.put("compute", compute);
            s.put("memory stall", stall);
            figure(html, out, "cycles.png", Charts.stackedBars("Cycle breakdown per layout (simulated consumer GEMM slice)", "% of the run's cycles", cats, s),
                    "Compute-busy vs memory-stall share of the cycles of the largest GELU-consuming GEMM (a slice of its rows), per layout, dense and with column skipping; absolute cycles are in simulate.csv.");
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
            items.add(String.format(Locale.ROOT, "%s: %s; profiled %d samples x %d sampler steps, seed %d, %.1f s. %s",
                    w.path("id").asText(), w.path("weights").asText(), p.path("samples").asInt(), p.path("steps").asInt(),
                    p.path("seed").asLong(), p.path("seconds").asDouble(),
                    w.has("estimate") ? "Cycle estimate: " + w.path("estimate").path("method").asText()
                            + " (" + w.path("estimate").path("preset").asText() + "). Simulation mask: " + w.path("simulate").path("mask_note").asText() + "."
                            : "No full-size preset: no cycle estimate or simulation."));
        }
        items.add("Measured: sparsity statistics come from real activations of the models named above during their full sampling loop. "
                + "Estimated: full-size cycle counts apply the tiny model's measured column sparsity to the real model's layer shapes. "
                + "Simulated: the cycle-level accelerator with the GDDR6 command-level model, on a slice of rows of one full-size GEMM with a synthetic mask.");
        html.bullets(items);
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
        return perWorkloadCsv(results, List.of("simulate", "results"), List.of("name", "m", "n", "k", "layout", "masked", "cycles",
                "compute_cycles", "stall_cycles", "stall_share", "bytes_read", "bytes_written", "bandwidth_g_bps", "row_hit_rate"));
    }

    private static String estimateCsv(JsonNode results) {
        return perWorkloadCsv(results, List.of("estimate", "gemms"), List.of("name", "m", "n", "k", "instances", "consumes_site",
                "dense_cycles", "skipped_cycles"));
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
