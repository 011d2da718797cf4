package org.colsparse.results;

import org.colsparse.layout.LayoutKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layout analysis on hand-built simulate results; every expected number is worked out by hand in a comment. */
class LayoutAnalysisTest {
    static SimulateResult.LayoutTotals run(LayoutKind layout, boolean skipping, long cycles, double stallShare) {
        return new SimulateResult.LayoutTotals(layout, skipping, 1, cycles, 0, 0, stallShare, 0, 0, 0, 0.5);
    }

    static SimulateResult sim(SimulateResult.LayoutTotals... runs) {
        return new SimulateResult("w", "m", 1, List.of(0), List.of(runs), List.of(), List.of());
    }

    @Test
    void theBestLayoutIsTheFastestWithSkippingAgainstDenseRowMajor() {
        LayoutAnalysis a = LayoutAnalysis.of(sim(run(LayoutKind.ROW_MAJOR, false, 1000, 0.8), run(LayoutKind.ROW_MAJOR, true, 1001, 0.8),
                run(LayoutKind.COLUMN_MAJOR, false, 700, 0.7), run(LayoutKind.COLUMN_MAJOR, true, 699, 0.7)));
        assertEquals(LayoutKind.COLUMN_MAJOR, a.best());
        assertEquals(1 - 699 / 1000.0, a.bestGain(), 1e-15);
        // skipping gains: row-major 1 - 1001 / 1000 = -0.1 %, column-major 1 - 699 / 700
        assertEquals(Map.of(LayoutKind.ROW_MAJOR, 1 - 1001 / 1000.0, LayoutKind.COLUMN_MAJOR, 1 - 699 / 700.0), a.skipGains());
        assertEquals(List.of(LayoutKind.ROW_MAJOR, LayoutKind.COLUMN_MAJOR), List.copyOf(a.skipGains().keySet()), "in results order");
        // the layout alone: column-major dense 1 - 700 / 1000 = 30 %
        assertEquals(0.3, a.layoutGains().get(LayoutKind.COLUMN_MAJOR), 1e-15);
        assertEquals(0.0, a.layoutGains().get(LayoutKind.ROW_MAJOR));
        assertEquals(0.8, a.stallShare(), "the dense row-major run's");
        assertEquals(LayoutKind.COLUMN_MAJOR, a.mostSensitive());
        assertEquals(1 - 699 / 700.0 - (1 - 1001 / 1000.0), a.sensitivity(), 1e-15);
    }

    @Test
    void withoutADenseRowMajorRunThereIsNoBestLayoutNorStallShare() {
        LayoutAnalysis a = LayoutAnalysis.of(sim(run(LayoutKind.TILED, false, 900, 0.6), run(LayoutKind.TILED, true, 600, 0.6)));
        assertNull(a.best());
        assertNull(a.bestGain());
        assertNull(a.stallShare());
        assertTrue(a.layoutGains().isEmpty());
        assertEquals(Map.of(LayoutKind.TILED, 1 - 600 / 900.0), a.skipGains(), "a skipping gain needs only the layout's own dense run");
        assertEquals(1 - 600 / 900.0, a.sensitivity(), 1e-15, "row-major counts as 0 when absent");
    }

    @Test
    void aWorkloadThatWasNotSimulatedHasNoLayoutNumbers() {
        LayoutAnalysis a = LayoutAnalysis.of(null);
        assertNull(a.best());
        assertNull(a.stallShare());
        assertTrue(a.skipGains().isEmpty());
        assertNull(a.mostSensitive());
        assertEquals(0.0, a.sensitivity());
    }

    @Test
    void onEqualCyclesTheFirstLayoutIsTheBest() {
        LayoutAnalysis a = LayoutAnalysis.of(sim(run(LayoutKind.ROW_MAJOR, false, 100, 0.5), run(LayoutKind.ROW_MAJOR, true, 90, 0.5),
                run(LayoutKind.TILED, false, 100, 0.5), run(LayoutKind.TILED, true, 90, 0.5)));
        assertEquals(LayoutKind.ROW_MAJOR, a.best());
        assertEquals(LayoutKind.ROW_MAJOR, a.mostSensitive());
        assertEquals(0.0, a.sensitivity());
    }
}
