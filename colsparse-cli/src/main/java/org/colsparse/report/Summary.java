package org.colsparse.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The summary table a researcher quotes: one row per workload, every cell read from the run's
 * results tree (results.json), never computed elsewhere.
 */
public final class Summary {
    public static final List<String> HEADER = List.of("workload", "group", "modality", "weights", "elem_sparsity",
            "col_sparsity", "gap_pp", "class", "evidence", "cycle_red_consumers", "cycle_red_model", "mem_stall_share",
            "best_layout", "best_layout_gain", "rel_l2_at_primary", "cliff_at");

    private Summary() {
    }

    public static List<List<String>> rows(JsonNode results) {
        double primary = results.path("config").path("primary_threshold").asDouble();
        int tile = results.path("config").path("tile_rows_primary").asInt();
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode w : results.path("workloads")) {
            JsonNode total = primaryTotal(w, primary, tile);
            JsonNode verdict = primaryVerdict(w, primary, tile);
            JsonNode est = w.path("estimate");
            JsonNode sim = w.path("simulate");
            JsonNode acc = primaryAccuracy(w, primary);
            String[] best = bestLayout(sim);
            rows.add(List.of(
                    w.path("id").asText(),
                    w.path("group").asText(),
                    w.path("modality").asText(),
                    w.path("weights").asText().startsWith("real") ? "third-party" : "tiny-trained",
                    pct(total, "element_sparsity"),
                    pct(total, "column_sparsity"),
                    num(total, "gap_pp", "%.1f"),
                    verdict == null ? "n/a" : verdict.path("verdict").asText(),
                    verdict == null ? "" : verdict.path("evidence").asText(),
                    pct(est, "consumer_reduction"),
                    pct(est, "model_reduction"),
                    stallShare(sim),
                    best[0],
                    best[1],
                    acc == null ? "n/a" : num(acc, "relative_l2", "%.4f"),
                    acc == null ? "n/a" : cliffAt(w)));
        }
        return rows;
    }

    static JsonNode primaryTotal(JsonNode w, double primary, int tile) {
        for (JsonNode t : w.path("profile").path("totals")) {
            if (t.path("threshold").asDouble() == primary && t.path("tile_rows").asInt() == tile) {
                return t;
            }
        }
        return null;
    }

    static JsonNode primaryVerdict(JsonNode w, double primary, int tile) {
        for (JsonNode t : w.path("profile").path("total_verdicts")) {
            if (t.path("threshold").asDouble() == primary && t.path("tile_rows").asInt() == tile) {
                return t;
            }
        }
        return null;
    }

    static JsonNode primaryAccuracy(JsonNode w, double primary) {
        for (JsonNode r : w.path("accuracy").path("results")) {
            if (r.path("threshold").asDouble() == primary) {
                return r;
            }
        }
        return null;
    }

    /** The first threshold where the accuracy sweep's cliff rule fires, or "none". */
    private static String cliffAt(JsonNode w) {
        for (JsonNode r : w.path("accuracy").path("results")) {
            if (r.path("cliff").asBoolean()) {
                return r.path("threshold").asText();
            }
        }
        return "none";
    }

    /** Memory-stall share of the dense row-major run: the baseline accelerator without any sparsity. */
    static String stallShare(JsonNode sim) {
        for (JsonNode r : sim.path("results")) {
            if (!r.path("masked").asBoolean() && r.path("layout").asText().equals("row-major")) {
                return String.format(Locale.ROOT, "%.1f%%", 100 * r.path("stall_share").asDouble());
            }
        }
        return "n/a";
    }

    /** The layout whose skipping run is fastest, and its gain over the dense row-major run. */
    static String[] bestLayout(JsonNode sim) {
        long base = -1;
        String best = null;
        long bestCycles = Long.MAX_VALUE;
        for (JsonNode r : sim.path("results")) {
            if (!r.path("masked").asBoolean() && r.path("layout").asText().equals("row-major")) {
                base = r.path("cycles").asLong();
            }
            if (r.path("masked").asBoolean() && r.path("cycles").asLong() < bestCycles) {
                bestCycles = r.path("cycles").asLong();
                best = r.path("layout").asText();
            }
        }
        if (best == null || base <= 0) {
            return new String[] {"n/a", "n/a"};
        }
        return new String[] {best, String.format(Locale.ROOT, "%.1f%%", 100.0 * (1 - (double) bestCycles / base))};
    }

    /** Per layout, the skipping gain of whole simulated calls: 1 - cycles with skipping / the same layout's dense cycles. */
    public static Map<String, Double> skipGains(JsonNode sim) {
        Map<String, Long> dense = new LinkedHashMap<>();
        Map<String, Long> skip = new LinkedHashMap<>();
        for (JsonNode r : sim.path("results")) {
            (r.path("masked").asBoolean() ? skip : dense).put(r.path("layout").asText(), r.path("cycles").asLong());
        }
        Map<String, Double> gain = new LinkedHashMap<>();
        for (Map.Entry<String, Long> d : dense.entrySet()) {
            Long s = skip.get(d.getKey());
            if (s != null && d.getValue() > 0) {
                gain.put(d.getKey(), 1 - (double) s / d.getValue());
            }
        }
        return gain;
    }

    private static String pct(JsonNode n, String field) {
        if (n == null || !n.has(field) || !n.get(field).isNumber()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.1f%%", 100 * n.get(field).asDouble());
    }

    private static String num(JsonNode n, String field, String fmt) {
        if (n == null || !n.has(field) || !n.get(field).isNumber()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, fmt, n.get(field).asDouble());
    }
}
