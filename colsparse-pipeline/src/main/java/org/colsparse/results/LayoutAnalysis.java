package org.colsparse.results;

import org.colsparse.layout.LayoutKind;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a workload's simulation says about layouts, against the baseline accelerator (dense
 * row-major, no sparsity): the skipping gain of each layout, what each layout alone is worth, and
 * the fastest layout with skipping. Computed from the typed simulate results only.
 *
 * @param skipGains   per layout, 1 - cycles with skipping / the same layout's dense cycles, in results order
 * @param layoutGains per layout, 1 - its dense cycles / dense row-major's (empty without a row-major run)
 * @param best        the layout whose skipping run is fastest; null without one or without a dense row-major run
 * @param bestGain    its gain over dense row-major; null with {@code best}
 * @param stallShare  memory-stall share of the dense row-major run; null without one
 */
public record LayoutAnalysis(Map<LayoutKind, Double> skipGains, Map<LayoutKind, Double> layoutGains, LayoutKind best, Double bestGain,
                             Double stallShare) {
    public static final LayoutKind BASELINE = LayoutKind.ROW_MAJOR;

    public LayoutAnalysis {
        skipGains = Collections.unmodifiableMap(new LinkedHashMap<>(skipGains));
        layoutGains = Collections.unmodifiableMap(new LinkedHashMap<>(layoutGains));
    }

    /** The analysis of {@code sim}; all empty for a workload that was not simulated (null). */
    public static LayoutAnalysis of(SimulateResult sim) {
        List<SimulateResult.LayoutTotals> results = sim == null || sim.results() == null ? List.of() : sim.results();
        Map<LayoutKind, Long> dense = new LinkedHashMap<>();
        Map<LayoutKind, Long> skip = new LinkedHashMap<>();
        Double stall = null;
        LayoutKind best = null;
        long bestCycles = Long.MAX_VALUE;
        for (SimulateResult.LayoutTotals r : results) {
            (r.skipping() ? skip : dense).put(r.layout(), r.cycles());
            if (!r.skipping() && r.layout() == BASELINE && stall == null) {
                stall = r.stallShare();
            }
            if (r.skipping() && r.cycles() < bestCycles) {
                bestCycles = r.cycles();
                best = r.layout();
            }
        }
        Map<LayoutKind, Double> skipGains = new LinkedHashMap<>();
        dense.forEach((layout, d) -> {
            Long s = skip.get(layout);
            if (s != null && d > 0) {
                skipGains.put(layout, 1 - (double) s / d);
            }
        });
        Map<LayoutKind, Double> layoutGains = new LinkedHashMap<>();
        Long base = dense.get(BASELINE);
        if (base != null && base > 0) {
            dense.forEach((layout, d) -> layoutGains.put(layout, 1 - (double) d / base));
        }
        boolean found = best != null && base != null && base > 0;
        return new LayoutAnalysis(skipGains, layoutGains, found ? best : null, found ? 1 - (double) bestCycles / base : null, stall);
    }

    /** The layout with the largest skipping gain (the first on ties), or null. */
    public LayoutKind mostSensitive() {
        LayoutKind top = null;
        for (Map.Entry<LayoutKind, Double> g : skipGains.entrySet()) {
            if (top == null || g.getValue() > skipGains.get(top)) {
                top = g.getKey();
            }
        }
        return top;
    }

    /** Layout sensitivity: the most sensitive layout's skipping gain minus the baseline's (0 when it has none). */
    public double sensitivity() {
        LayoutKind top = mostSensitive();
        return top == null ? 0 : skipGains.get(top) - skipGains.getOrDefault(BASELINE, 0.0);
    }
}
