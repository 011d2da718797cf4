package org.colsparse.report;

import org.colsparse.layout.LayoutKind;
import org.colsparse.results.AccuracyPoint;
import org.colsparse.results.LayoutAnalysis;
import org.colsparse.results.Primary;
import org.colsparse.results.Results;
import org.colsparse.results.RunConfig;
import org.colsparse.results.WorkloadResult;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.taxonomy.TaxonomyVerdict;
import org.colsparse.util.Decimal;

import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The summary table a researcher quotes: one row per workload, every cell a function of the run's
 * typed results (results.json), never computed elsewhere.
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
    public static List<List<Object>> values(Results results) {
        Primary primary = results.primary();
        List<List<Object>> rows = new ArrayList<>();
        for (WorkloadResult w : results.workloads()) {
            SiteStats total = w.profile() == null ? null : w.profile().primaryTotal(primary);
            TaxonomyVerdict verdict = w.profile() == null ? null : w.profile().primaryVerdict(primary);
            AccuracyPoint acc = w.accuracy() == null ? null : w.accuracy().atPrimary(primary);
            LayoutAnalysis layouts = LayoutAnalysis.of(w.simulate());
            rows.add(java.util.Arrays.asList(
                    w.id(),
                    w.modality() == null ? "" : w.modality().cliName(),
                    w.thirdPartyWeights() ? "third-party" : w.onnxGraph() ? "onnx-graph" : "tiny-trained",
                    total == null ? null : total.elementSparsity(),
                    total == null ? null : total.columnSparsity(),
                    total == null ? null : total.gapPp(),
                    verdict == null ? null : verdict.verdict().label(),
                    verdict == null ? null : evidence(verdict),
                    w.estimate() == null ? null : w.estimate().consumerReduction(),
                    w.estimate() == null ? null : w.estimate().modelReduction(),
                    layouts.stallShare(),
                    layouts.best() == null ? null : layouts.best().cliName(),
                    layouts.bestGain(),
                    acc == null ? null : acc.relativeL2(),
                    acc == null ? null : cliffAt(w)));
        }
        return rows;
    }

    /** The rows as a person reads them: percentages with two decimals, "n/a" where nothing was measured. */
    public static List<List<String>> rows(Results results) {
        return rows(values(results));
    }

    /** {@link #rows(Results)} of rows already computed by {@link #values}. */
    static List<List<String>> rows(List<List<Object>> values) {
        return values.stream().map(r -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                out.add(show(r.get(i), COLUMNS.get(i).kind()));
            }
            return out;
        }).toList();
    }

    /** The rows for summary.csv: plain numbers (fractions, pp), empty where nothing was measured. */
    public static List<List<String>> csvRows(Results results) {
        return csvRows(values(results));
    }

    /** {@link #csvRows(Results)} of rows already computed by {@link #values}. */
    static List<List<String>> csvRows(List<List<Object>> values) {
        return values.stream().map(r -> r.stream().map(v -> v == null ? "" : v.toString()).toList()).toList();
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
    static String evidence(TaxonomyVerdict v) {
        String e = v.evidence();
        String prefix = v.verdict().label() + ": ";
        return e.startsWith(prefix) ? e.substring(prefix.length()) : e;
    }

    /** The first threshold where the accuracy sweep's cliff rule fires, or "none". */
    private static String cliffAt(WorkloadResult w) {
        AccuracyPoint cliff = w.accuracy().firstCliff();
        return cliff == null ? "none" : Double.toString(cliff.threshold());
    }

    /**
     * The findings of this run in plain words, one sentence each, every number computed from
     * {@code results} (what the README's "What this says" says of the default run): how much
     * element sparsity there is, how little of it survives as whole columns, the classes, what
     * skipping saves, how much of the time is memory stall, what the best layout is worth and that
     * it is a layout effect, and what zeroing costs in accuracy. A stage that did not run for any
     * workload leaves its sentence out.
     */
    public static List<String> findings(Results results) {
        return findings(results, values(results));
    }

    /** {@link #findings(Results)} with the summary rows already computed by {@link #values}. */
    static List<String> findings(Results results, List<List<Object>> rows) {
        RunConfig cfg = results.config();
        String tau = Decimal.plain(cfg.primaryThreshold());
        int tile = cfg.tileRowsPrimary();
        int id = HEADER.indexOf("workload");
        List<String> out = new ArrayList<>();
        List<String> all = rows.stream().map(r -> (String) r.get(id)).toList();

        Map<String, List<String>> byWeights = new LinkedHashMap<>();
        for (List<Object> r : rows) {
            byWeights.computeIfAbsent((String) r.get(HEADER.indexOf("weights")), k -> new ArrayList<>()).add((String) r.get(id));
        }
        if (!byWeights.isEmpty()) {
            List<String> parts = new ArrayList<>();
            byWeights.forEach((weights, ids) -> parts.add(String.join(", ", ids) + switch (weights) {
                case "third-party" -> (ids.size() == 1 ? " runs" : " run") + " third-party trained weights";
                case "onnx-graph" -> (ids.size() == 1 ? " is an ONNX graph" : " are ONNX graphs") + " run as exported, with the weights in the graph";
                default -> (ids.size() == 1 ? " is a" : " are") + " tiny model" + (ids.size() == 1 ? "" : "s") + " trained by colsparse";
            }));
            // only built-in workloads stand for a full-size family; an ONNX graph is the model itself
            boolean builtIn = byWeights.keySet().stream().anyMatch(k -> !k.equals("onnx-graph"));
            out.add("What was measured: " + String.join("; ", parts) + ". The numbers are real measurements of these models"
                    + (builtIn ? ", not of the full-size models of the same families." : "."));
        }

        Extremes elem = extremes(rows, "elem_sparsity");
        if (elem != null) {
            out.add(elem.single() ? elem.lowId() + ": " + percent(elem.low()) + " of the GELU outputs of the headline sites are near zero"
                    + " (|a| <= " + tau + ")."
                    : "Element sparsity: " + percent(elem.low()) + " to " + percent(elem.high()) + " of the GELU outputs of the headline"
                    + " sites are near zero (|a| <= " + tau + "), most in " + elem.highId() + ", least in " + elem.lowId() + ".");
        }
        Extremes col = extremes(rows, "col_sparsity");
        Extremes gap = extremes(rows, "gap_pp");
        if (col != null && gap != null) {
            // per workload, the share of its element sparsity that survives as whole columns, in three bands
            String[] bands = {"nearly all of the element sparsity is lost in ", "most of it is lost in ", "much of it survives as whole columns in "};
            List<List<String>> ids = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            double[] most = new double[3];
            for (List<Object> r : rows) {
                if (r.get(HEADER.indexOf("elem_sparsity")) instanceof Double e && e > 0 && r.get(HEADER.indexOf("col_sparsity")) instanceof Double c) {
                    int band = c / e < 0.1 ? 0 : c / e < 0.5 ? 1 : 2;
                    ids.get(band).add((String) r.get(id));
                    most[band] = Math.max(most[band], c / e);
                }
            }
            List<String> parts = new ArrayList<>();
            for (int b = 0; b < 3; b++) {
                if (!ids.get(b).isEmpty()) {
                    parts.add(bands[b] + who(ids.get(b), all) + " (column sparsity " + (ids.get(b).size() == 1 ? "" : "at most ")
                            + percent(most[b]) + " of " + (parts.isEmpty() ? "the element sparsity" : "it") + ")");
                }
            }
            String kept = String.join("; ", parts);
            out.add("Column sparsity at array granularity (tile height R = " + tile + "): " + (col.single() ? "" : "at most ")
                    + percent(col.high()) + " (" + col.highId() + "); the gap to element sparsity is " + (gap.single() ? "" : "up to ")
                    + fixed(gap.high(), 2) + " pp (" + gap.highId() + ")." + (kept.isEmpty() ? ""
                    : " " + Character.toUpperCase(kept.charAt(0)) + kept.substring(1) + "."));
        }

        Map<String, List<String>> byClass = new LinkedHashMap<>();
        for (List<Object> r : rows) {
            Object c = r.get(HEADER.indexOf("class"));
            if (c != null) {
                byClass.computeIfAbsent(c.toString(), k -> new ArrayList<>()).add((String) r.get(id));
            }
        }
        if (!byClass.isEmpty()) {
            List<String> parts = new ArrayList<>();
            byClass.forEach((c, ids) -> parts.add(c + ": " + (byClass.size() == 1 ? String.join(", ", ids) : who(ids, all))));
            out.add("Taxonomy: " + String.join("; ", parts) + (byClass.size() == 1 ? " (every workload has the same class)" : "")
                    + ". Each verdict's evidence is under the summary.");
        }

        Extremes consumers = extremes(rows, "cycle_red_consumers");
        Extremes model = extremes(rows, "cycle_red_model");
        if (consumers != null && model != null) {
            out.add("Skipping the near-zero columns of the real recorded masks saves " + range(consumers) + " of the cycles of the GEMMs"
                    + " that read GELU outputs" + (consumers.single() ? "" : " (most in " + consumers.highId() + ")") + ", and "
                    + range(model) + " of a whole denoiser call (analytic, " + cfg.dataflow().cliName() + " dataflow).");
        }
        Extremes stall = extremes(rows, "mem_stall_share");
        if (stall != null) {
            List<String> waiting = new ArrayList<>();
            for (List<Object> r : rows) {
                if (r.get(HEADER.indexOf("mem_stall_share")) instanceof Double v && v > 0.5) {
                    waiting.add((String) r.get(id));
                }
            }
            out.add("Memory stalls are " + range(stall) + " of the cycles of whole simulated denoiser calls (dense, row-major, "
                    + cfg.dram() + ")" + (stall.low() > 0.5 ? ": the array waits for DRAM more than it computes" + (stall.single() ? "" : ", in every workload")
                    : waiting.isEmpty() ? "" : ": the array waits for DRAM more than it computes in " + who(waiting, all)) + ".");
        }

        // the best layout's gain, split into what its dense run alone gains (the layout) and what skipping adds
        String bestId = null;
        LayoutKind bestLayout = null;
        double best = Double.NEGATIVE_INFINITY;
        double skipLow = Double.POSITIVE_INFINITY;
        double skipHigh = Double.NEGATIVE_INFINITY;
        for (WorkloadResult w : results.workloads()) {
            LayoutAnalysis b = LayoutAnalysis.of(w.simulate());
            if (b.bestGain() != null && b.bestGain() > best) {
                best = b.bestGain();
                bestId = w.id();
                bestLayout = b.best();
            }
            for (double g : b.skipGains().values()) {
                skipLow = Math.min(skipLow, g);
                skipHigh = Math.max(skipHigh, g);
            }
        }
        if (bestId != null) {
            String skipping = "skipping changes a layout's cycles by " + (skipLow == skipHigh ? percent(skipLow) : percent(skipLow) + " to "
                    + percent(skipHigh)) + (skipLow < 0 ? " (negative: skipping was slower than dense)" : "") + " (Taxonomy vs layout)";
            LayoutAnalysis there = LayoutAnalysis.of(results.workload(bestId).simulate());
            Double layoutOnly = there.layoutGains().get(bestLayout);
            Double skipThere = there.skipGains().get(bestLayout);
            if (bestLayout == LayoutAnalysis.BASELINE || layoutOnly == null || skipThere == null) {
                out.add("Layout: no layout with skipping is faster than dense row-major by more than " + percent(best) + " (" + bestId
                        + ", " + bestLayout.cliName() + "); " + skipping + ".");
            } else if (Math.abs(skipThere) <= 0.1 * Math.abs(best)) {
                out.add("Layout: the fastest layout with skipping beats dense row-major by up to " + percent(best) + " (" + bestId + ", "
                        + bestLayout.cliName() + "). That is a layout effect, not a sparsity effect: " + bestLayout.cliName() + " alone, dense, is "
                        + percent(layoutOnly) + " faster, and " + skipping + ".");
            } else {
                out.add("Layout: the fastest layout with skipping beats dense row-major by up to " + percent(best) + " (" + bestId + ", "
                        + bestLayout.cliName() + "): " + percent(layoutOnly) + " from the layout (its dense run) and " + percent(skipThere)
                        + " from skipping in it; " + skipping + ".");
            }
        }

        Extremes drift = extremes(rows, "rel_l2_at_primary");
        if (drift != null) {
            Map<String, List<String>> byCliff = new LinkedHashMap<>();
            for (List<Object> r : rows) {
                Object c = r.get(HEADER.indexOf("cliff_at"));
                if (c != null) {
                    byCliff.computeIfAbsent(c.toString(), k -> new ArrayList<>()).add((String) r.get(id));
                }
            }
            List<String> cliffs = new ArrayList<>();
            byCliff.forEach((at, ids) -> cliffs.add(at.equals("none") ? "nowhere for " + String.join(", ", ids)
                    : "at tau = " + at + " for " + String.join(", ", ids)));
            out.add("Accuracy: zeroing the near-zero GELU outputs at tau = " + tau + " moves the final outputs by " + range(drift)
                    + " (relative L2 to the dense run); the cliff rule fires " + String.join(", ", cliffs) + ".");
        }
        return out;
    }

    /** The lowest and highest value of a column over the workloads that have it. */
    private record Extremes(double low, String lowId, double high, String highId, int count) {
        boolean single() {
            return count == 1;
        }
    }

    private static Extremes extremes(List<List<Object>> rows, String column) {
        int c = HEADER.indexOf(column);
        int id = HEADER.indexOf("workload");
        Extremes e = null;
        for (List<Object> r : rows) {
            if (r.get(c) instanceof Double v) {
                String w = (String) r.get(id);
                e = e == null ? new Extremes(v, w, v, w, 1) : new Extremes(v < e.low() ? v : e.low(), v < e.low() ? w : e.lowId(),
                        v > e.high() ? v : e.high(), v > e.high() ? w : e.highId(), e.count() + 1);
            }
        }
        return e;
    }

    /**
     * Names a group of workloads shortly: "every workload", "every workload but mld" when that is
     * shorter than the list, else the list.
     */
    static String who(List<String> ids, List<String> all) {
        if (ids.size() == all.size() && all.size() > 1) {
            return "every workload";
        }
        List<String> rest = all.stream().filter(w -> !ids.contains(w)).toList();
        return ids.size() > 2 && rest.size() < ids.size() ? "every workload but " + String.join(", ", rest) : String.join(", ", ids);
    }

    /** "0.05%" or "0.05% to 0.36%". */
    private static String range(Extremes e) {
        return e.single() || percent(e.low()).equals(percent(e.high())) ? percent(e.high()) : percent(e.low()) + " to " + percent(e.high());
    }
}
