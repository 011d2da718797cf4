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
    /** How a column's values are shown in tables; CSV always holds the plain number. */
    enum Kind { TEXT, PERCENT, PP, RATIO }

    record Column(String name, Kind kind) {
    }

    public static final List<Column> COLUMNS = List.of(new Column("workload", Kind.TEXT), new Column("modality", Kind.TEXT),
            new Column("weights", Kind.TEXT), new Column("elem_sparsity", Kind.PERCENT), new Column("col_sparsity", Kind.PERCENT),
            new Column("gap_pp", Kind.PP), new Column("class", Kind.TEXT), new Column("evidence", Kind.TEXT),
            new Column("cycle_red_consumers", Kind.PERCENT), new Column("cycle_red_model", Kind.PERCENT),
            new Column("mem_stall_share", Kind.PERCENT), new Column("best_layout", Kind.TEXT), new Column("best_layout_gain", Kind.PERCENT),
            new Column("rel_l2_at_primary", Kind.RATIO), new Column("cliff_at", Kind.TEXT));

    public static final List<String> HEADER = COLUMNS.stream().map(Column::name).toList();

    private Summary() {
    }

    /**
     * One row per workload, as values: a String, a Double (fractions stay fractions: 0.025 is
     * 2.5 %), or null where the stage did not run for that workload.
     */
    public static List<List<Object>> values(JsonNode results) {
        double primary = results.path("config").path("primary_threshold").asDouble();
        int tile = results.path("config").path("tile_rows_primary").asInt();
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode w : results.path("workloads")) {
            JsonNode total = primaryTotal(w, primary, tile);
            JsonNode verdict = primaryVerdict(w, primary, tile);
            JsonNode est = w.path("estimate");
            JsonNode sim = w.path("simulate");
            JsonNode acc = primaryAccuracy(w, primary);
            Object[] best = bestLayout(sim);
            rows.add(java.util.Arrays.asList(
                    w.path("id").asText(),
                    w.path("modality").asText(),
                    w.path("weights").asText().startsWith("real") ? "third-party" : "tiny-trained",
                    number(total, "element_sparsity"),
                    number(total, "column_sparsity"),
                    number(total, "gap_pp"),
                    verdict == null ? null : verdict.path("verdict").asText(),
                    verdict == null ? null : evidence(verdict),
                    number(est, "consumer_reduction"),
                    number(est, "model_reduction"),
                    stallShare(sim),
                    best[0],
                    best[1],
                    acc == null ? null : number(acc, "relative_l2"),
                    acc == null ? null : cliffAt(w)));
        }
        return rows;
    }

    /** The rows as a person reads them: percentages with two decimals, "n/a" where nothing was measured. */
    public static List<List<String>> rows(JsonNode results) {
        return values(results).stream().map(r -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                out.add(show(r.get(i), COLUMNS.get(i).kind()));
            }
            return out;
        }).toList();
    }

    /** The rows for summary.csv: plain numbers (fractions, pp), empty where nothing was measured. */
    public static List<List<String>> csvRows(JsonNode results) {
        return values(results).stream().map(r -> r.stream().map(v -> v == null ? "" : v.toString()).toList()).toList();
    }

    static String show(Object v, Kind kind) {
        if (v == null) {
            return "n/a";
        }
        if (!(v instanceof Double d)) {
            return v.toString();
        }
        return switch (kind) {
            case PERCENT -> percent(d);
            case PP -> fixed(d, 2);
            case RATIO -> fixed(d, 4);
            case TEXT -> d.toString();
        };
    }

    /** Two decimals, and never "-0.00 %" for a tiny negative. */
    static String percent(double fraction) {
        return fixed(100 * fraction, 2) + "%";
    }

    /** {@code decimals} places, without the sign of a value that rounds to zero ("-0.0000"). */
    static String fixed(double v, int decimals) {
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        return s.startsWith("-") && s.substring(1).replace("0", "").replace(".", "").isEmpty() ? s.substring(1) : s;
    }

    /**
     * The verdict's evidence as the taxonomy wrote it (percent and percentage points, the summary's
     * units), less the leading "class: " that the class column already shows. Whatever the class,
     * its evidence is the rule's own line, so a class added to the rule needs nothing here.
     */
    static String evidence(JsonNode v) {
        String e = v.path("evidence").asText();
        String prefix = v.path("verdict").asText() + ": ";
        return e.startsWith(prefix) ? e.substring(prefix.length()) : e;
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
    static Double stallShare(JsonNode sim) {
        for (JsonNode r : sim.path("results")) {
            if (!r.path("skipping").asBoolean() && r.path("layout").asText().equals("row-major")) {
                return r.path("stall_share").asDouble();
            }
        }
        return null;
    }

    /** The layout whose skipping run is fastest, and its gain over the dense row-major run. */
    static Object[] bestLayout(JsonNode sim) {
        long base = -1;
        String best = null;
        long bestCycles = Long.MAX_VALUE;
        for (JsonNode r : sim.path("results")) {
            if (!r.path("skipping").asBoolean() && r.path("layout").asText().equals("row-major")) {
                base = r.path("cycles").asLong();
            }
            if (r.path("skipping").asBoolean() && r.path("cycles").asLong() < bestCycles) {
                bestCycles = r.path("cycles").asLong();
                best = r.path("layout").asText();
            }
        }
        if (best == null || base <= 0) {
            return new Object[] {null, null};
        }
        return new Object[] {best, 1 - (double) bestCycles / base};
    }

    /** Per layout, the skipping gain of whole simulated calls: 1 - cycles with skipping / the same layout's dense cycles. */
    public static Map<String, Double> skipGains(JsonNode sim) {
        Map<String, Long> dense = new LinkedHashMap<>();
        Map<String, Long> skip = new LinkedHashMap<>();
        for (JsonNode r : sim.path("results")) {
            (r.path("skipping").asBoolean() ? skip : dense).put(r.path("layout").asText(), r.path("cycles").asLong());
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

    private static Double number(JsonNode n, String field) {
        if (n == null || !n.has(field) || !n.get(field).isNumber()) {
            return null;
        }
        return n.get(field).asDouble();
    }
}
