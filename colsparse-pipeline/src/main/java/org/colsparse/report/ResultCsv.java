package org.colsparse.report;

import org.colsparse.results.AccuracyPoint;
import org.colsparse.results.EstimateResult;
import org.colsparse.results.Results;
import org.colsparse.results.SimulateResult;
import org.colsparse.results.WorkloadResult;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.systolic.Dataflow;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The CSV tables beside report.html, one row per entry of a stage's list in each workload, led by
 * the workload id; every cell written as results.json writes the value.
 */
final class ResultCsv {
    private ResultCsv() {
    }

    static String sites(Results results) {
        return perWorkload(results, w -> w.profile() == null ? null : w.profile().sites(), List.of("site", "threshold", "tile_rows", "rows",
                "cols", "elements", "near_zero_elements", "element_sparsity", "columns", "zero_columns", "column_sparsity", "gap_pp",
                "independence_baseline", "gini", "top10_share", "dead_channels"), (SiteStats s) -> List.of(s.site(), s.threshold(),
                s.tileRows(), s.rows(), s.cols(), s.elements(), s.nearZeroElements(), s.elementSparsity(), s.columns(), s.zeroColumns(),
                s.columnSparsity(), s.gapPp(), s.independenceBaseline(), s.gini(), s.top10Share(), s.deadChannels()));
    }

    static String simulate(Results results) {
        return perWorkload(results, w -> w.simulate() == null ? null : w.simulate().results(), List.of("layout", "skipping", "calls",
                "cycles", "compute_cycles", "stall_cycles", "stall_share", "bytes_read", "bytes_written", "dram_mb", "row_hit_rate"),
                (SimulateResult.LayoutTotals r) -> List.of(r.layout().cliName(), r.skipping(), r.calls(), r.cycles(), r.computeCycles(),
                        r.stallCycles(), r.stallShare(), r.bytesRead(), r.bytesWritten(), r.dramMb(), r.rowHitRate()));
    }

    static String estimate(Results results) {
        List<String> fields = List.of("name", "m", "n", "k", "instances", "consumes_site", "consumes_role", "dense_cycles_os",
                "cycles_with_skipping_os", "dense_cycles_ws", "cycles_with_skipping_ws", "dense_cycles_is", "cycles_with_skipping_is");
        return perWorkload(results, w -> w.estimate() == null ? null : w.estimate().gemms(), fields, (EstimateResult.GemmCycles g) -> {
            List<Object> row = new ArrayList<>(List.of(g.name(), g.m(), g.n(), g.k(), g.instances(), g.consumesSite(), g.consumesRole()));
            for (Dataflow d : Dataflow.values()) {
                row.add(g.dense(d));
                row.add(g.withSkipping(d));
            }
            return row;
        });
    }

    /** Every metric a point of any workload has, in order of first appearance, as the header. */
    static String accuracy(Results results) {
        List<String> header = new ArrayList<>(List.of("workload"));
        List<Map<String, Object>> entries = new ArrayList<>();
        for (WorkloadResult w : results.workloads()) {
            if (w.accuracy() == null) {
                continue;
            }
            for (AccuracyPoint p : w.accuracy().results()) {
                // results.json holds a point's keys sorted (the shared mapper sorts map keys): the columns follow that order
                Map<String, Object> f = new java.util.TreeMap<>(p.fields());
                entries.add(f);
                f.keySet().forEach(k -> {
                    if (!header.contains(k)) {
                        header.add(k);
                    }
                });
            }
        }
        List<List<String>> rows = new ArrayList<>();
        for (Map<String, Object> f : entries) {
            List<String> row = new ArrayList<>();
            for (String h : header) {
                // a metric that is +inf is null in results.json, which this table has always written as "null"
                row.add(!f.containsKey(h) ? "" : f.get(h) == null ? "null" : text(f.get(h)));
            }
            rows.add(row);
        }
        return Csv.table(header, rows);
    }

    private static <T> String perWorkload(Results results, Function<WorkloadResult, List<T>> entries, List<String> fields,
                                          Function<T, List<Object>> cells) {
        List<String> header = new ArrayList<>(List.of("workload"));
        header.addAll(fields);
        List<List<String>> rows = new ArrayList<>();
        for (WorkloadResult w : results.workloads()) {
            List<T> list = entries.apply(w);
            for (T e : list == null ? List.<T>of() : list) {
                List<String> r = new ArrayList<>();
                r.add(w.id());
                cells.apply(e).forEach(c -> r.add(text(c)));
                rows.add(r);
            }
        }
        return Csv.table(header, rows);
    }

    /** A value as results.json writes it (Jackson's text of a JSON number is Java's). */
    private static String text(Object v) {
        return v == null ? "" : v.toString();
    }
}
