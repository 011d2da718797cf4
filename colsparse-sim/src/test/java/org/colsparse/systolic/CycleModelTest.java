package org.colsparse.systolic;

import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CycleModelTest {
    private static final ArrayShape A4 = new ArrayShape(4, 4);

    /** 8 x 8 activation whose non-zero pattern is given by a predicate on (row, col). */
    private static ActivationMask mask(int m, int k, java.util.function.BiPredicate<Integer, Integer> nonZero) {
        double[] v = new double[m * k];
        for (int r = 0; r < m; r++) {
            for (int c = 0; c < k; c++) {
                v[r * k + c] = nonZero.test(r, c) ? 0.5 : 0.001;
            }
        }
        return ActivationMask.of(v, m, k, 0.01);
    }

    @Test
    void allNonZeroMaskGivesDenseCycles() {
        ActivationMask all = mask(8, 8, (r, c) -> true);
        for (Dataflow df : Dataflow.values()) {
            assertEquals(CycleModel.denseCycles(8, 8, 8, A4, df), CycleModel.skippedCycles(8, A4, df, all), df.name());
        }
    }

    @Test
    void allZeroMaskSkipsEverything() {
        ActivationMask none = mask(8, 8, (r, c) -> false);
        for (Dataflow df : Dataflow.values()) {
            assertEquals(0, CycleModel.skippedCycles(8, A4, df, none), df.name());
        }
    }

    @Test
    void oneNonZeroColumnByHand() {
        // only channel 3 is active, in every token
        ActivationMask one = mask(8, 8, (r, c) -> c == 3);
        // os: 2 row tiles x 2 col tiles, each streams k_t = 1: 4 * (4 + 4 + 1 - 2) - 1 = 27 (dense 4 * 14 - 1 = 55)
        assertEquals(27, CycleModel.skippedCycles(8, A4, Dataflow.OS, one));
        // ws: K-slice 0 (channels 0..3) holds the active channel for all 8 tokens, slice 1 none:
        // 2 col tiles * (2*4 + 4 + 8 - 2) - 1 = 35 (dense 2 * 2 * 18 - 1 = 71)
        assertEquals(35, CycleModel.skippedCycles(8, A4, Dataflow.WS, one));
        // is: each of the 2 token tiles (C = 4 tokens) pins 1 channel: 1 fold each of 2*4 + 4 + 8 - 2 = 18
        assertEquals(35, CycleModel.skippedCycles(8, A4, Dataflow.IS, one));
    }

    @Test
    void tileLocalColumnsByHand() {
        // rows 0..3 use channels 0..5, rows 4..7 only channel 7
        ActivationMask m = mask(8, 8, (r, c) -> r < 4 ? c < 6 : c == 7);
        assertEquals(Arrays.toString(new int[] {6, 1}), Arrays.toString(m.nonZeroColumnsPerTile(4)));
        // os: 2 * (6 + 6) + 2 * (6 + 1) - 1 = 37
        assertEquals(37, CycleModel.skippedCycles(8, A4, Dataflow.OS, m));
        // ws: slice 0 (ch 0..3) active in tokens 0..3, slice 1 (ch 4..7) in all 8:
        // 2 * (10 + 4) + 2 * (10 + 8) - 1 = 63
        assertEquals(Arrays.toString(new int[] {4, 8}), Arrays.toString(m.tokensPerChannelSlice(4)));
        assertEquals(63, CycleModel.skippedCycles(8, A4, Dataflow.WS, m));
        // is: token tile 0 pins 6 channels -> 2 folds, tile 1 pins 1 -> 1 fold; 3 * 18 - 1 = 53
        assertEquals(53, CycleModel.skippedCycles(8, A4, Dataflow.IS, m));
    }

    @Test
    void thresholdIsInclusiveAndExact() {
        assertEquals(true, ActivationMask.nearZero(0.01, 0.01));
        assertEquals(true, ActivationMask.nearZero(-0.01, 0.01));
        // 0.05f is 0.0500000007..., above 0.05: not near zero
        assertEquals(false, ActivationMask.nearZero(0.05f, 0.05));
        assertEquals(true, ActivationMask.nearZero(Math.nextDown(0.05f), 0.05));
        assertThrows(InputException.class, () -> ActivationMask.of(new double[] {0, Double.NaN}, 1, 2, 0.01));
    }

    @Test
    void instancesMultiplyAndEstimateCarriesReduction() {
        Gemm g = new Gemm("ffn2", 8, 8, 8, 3, "site");
        ActivationMask one = mask(8, 8, (r, c) -> c == 3);
        GemmEstimate e = GemmEstimate.withMask(g, A4, Dataflow.OS, one);
        assertEquals(3 * 55, e.denseCycles());
        assertEquals(3 * 27, e.skippedCycles());
        assertEquals(1 - 27.0 / 55, e.cycleReduction(), 1e-12);
        // the analyzer's per-tile counts give the same answer without the mask
        assertEquals(e, GemmEstimate.osWithTileCounts(g, A4, new int[] {1, 1}));
    }

    @Test
    void gemmTopologyNeedsNoTrailingComma() {
        List<Gemm> g = Topology.parse(List.of("Layer, M, N, K", "a, 3, 4, 5", "", "b,6,7,8,"), "t.csv");
        assertEquals(2, g.size());
        assertEquals(List.of(6L, 7L, 8L), List.of(g.get(1).m(), g.get(1).n(), g.get(1).k()));
        assertThrows(InputException.class, () -> Topology.parse(List.of("Layer, M, N, K", "a, 3, x, 5"), "t.csv"));
        assertThrows(InputException.class, () -> Topology.parse(List.of("foo,bar", "a, 3"), "t.csv"));
    }

    @Test
    void fullSizeModelListIsFast() {
        long t0 = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < 1000; i++) {
            for (Dataflow df : Dataflow.values()) {
                sum += CycleModel.denseCycles(8192, 1280 + i, 5120, new ArrayShape(128, 128), df);
            }
        }
        assertEquals(true, sum > 0);
        assertEquals(true, System.nanoTime() - t0 < 500_000_000L);
    }

    @Test
    void countsThatOverflowALongThrowInsteadOfWrapping() {
        // 2e9^3 / 128^2 folds-worth of work: the wrapped product was printed as a negative cycle count
        long big = 2_000_000_000L;
        assertThrows(ArithmeticException.class, () -> CycleModel.denseCycles(big, big, big, new ArrayShape(128, 128), Dataflow.OS));
        assertThrows(ArithmeticException.class, () -> GemmEstimate.dense(new Gemm("g", 1L << 40, 1L << 40, 4, 1, ""), A4, Dataflow.OS));
        // still exact near the top of the range: m = Long.MAX_VALUE on a 1x1 array, n = k = 1 -> folds = m, 1 line each
        assertEquals(Long.MAX_VALUE - 1, CycleModel.denseCycles(Long.MAX_VALUE, 1, 1, new ArrayShape(1, 1), Dataflow.OS));
    }
}
