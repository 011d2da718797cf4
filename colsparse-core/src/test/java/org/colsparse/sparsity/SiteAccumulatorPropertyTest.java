package org.colsparse.sparsity;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Properties of docs/definitions.md, and agreement with a direct transcription of the definitions (one
 * column at a time, no tile-maximum nesting, no vectors) on random data with channel structure,
 * odd channel counts, more channels than the kernel's 1024-channel strip (2500: two full strips and a
 * partial one), short last tiles and tile heights that do not divide each other.
 */
class SiteAccumulatorPropertyTest {
    private static final double[] TAUS = {0.001, 0.01, 0.05, 0.1, 0.3};

    /** Activations with per-channel scale so some channels are mostly near zero. */
    private static float[] data(Random rnd, int rows, int k) {
        float[] d = new float[rows * k];
        for (int c = 0; c < k; c++) {
            double scale = Math.pow(10, -3 + 3 * rnd.nextDouble());
            for (int r = 0; r < rows; r++) {
                d[r * k + c] = (float) (rnd.nextGaussian() * scale);
            }
        }
        return d;
    }

    /** The definitions, literally: for each call, each tile, each channel, are all |a| <= tau? */
    private static long[] naive(List<float[]> calls, int k, double tau, int r) {
        float lim = AnalysisConfig.floatThreshold(tau);
        long nearZero = 0;
        long columns = 0;
        long zero = 0;
        for (float[] call : calls) {
            int m = call.length / k;
            for (int i = 0; i < call.length; i++) {
                if (Math.abs(call[i]) <= lim) {
                    nearZero++;
                }
            }
            for (int start = 0; start < m; start += r) {
                for (int c = 0; c < k; c++) {
                    columns++;
                    boolean all = true;
                    for (int row = start; row < Math.min(start + r, m); row++) {
                        all &= Math.abs(call[row * k + c]) <= lim;
                    }
                    if (all) {
                        zero++;
                    }
                }
            }
        }
        return new long[] {nearZero, columns, zero};
    }

    @Test
    void agreesWithTheDefinitionsForNestingAndNonNestingHeights() {
        Random rnd = new Random(42);
        int[][] heightSets = {{8, 32, 128, 256}, {3, 8, 12, 20}, {1, 7}, {5}};
        for (int[] heights : heightSets) {
            for (int k : new int[] {1, 11, 64, 2500}) {
                AnalysisConfig cfg = new AnalysisConfig(TAUS, heights);
                SiteAccumulator acc = new SiteAccumulator("s", k, cfg);
                List<float[]> calls = new ArrayList<>();
                for (int rows : new int[] {300, 6, 1, 257, 0}) {
                    float[] d = data(rnd, rows, k);
                    calls.add(d);
                    acc.acceptCall(d, 0, rows);
                }
                List<SiteStats> res = acc.results();
                int i = 0;
                for (double tau : TAUS) {
                    for (int r : heights) {
                        SiteStats s = res.get(i++);
                        long[] want = naive(calls, k, tau, r);
                        String where = "tau " + tau + " R " + r + " K " + k;
                        assertEquals(tau, s.threshold(), where);
                        assertEquals(r, s.tileRows(), where);
                        assertEquals(want[0], s.nearZeroElements(), where);
                        assertEquals(want[1], s.columns(), where);
                        assertEquals(want[2], s.zeroColumns(), where);
                    }
                }
            }
        }
    }

    @Test
    void doubleKernelAgreesWithFloatKernelOnFloatValues() {
        // Values that are exactly floats, thresholds that are exactly floats: both comparisons agree.
        Random rnd = new Random(7);
        int k = 13;
        AnalysisConfig cfg = new AnalysisConfig(new double[] {0.0009765625, 0.0625, 0.25}, new int[] {4, 6, 16});
        SiteAccumulator f = new SiteAccumulator("s", k, cfg);
        SiteAccumulator d = new SiteAccumulator("s", k, cfg);
        for (int rows : new int[] {50, 3, 17}) {
            float[] x = data(rnd, rows, k);
            double[] y = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i];
            }
            f.acceptCall(x, 0, rows);
            d.acceptCall(y, 0, rows);
        }
        assertEquals(f.results(), d.results());
    }

    @Test
    void tileHeightOneGivesColumnSparsityEqualToElementSparsity() {
        Random rnd = new Random(1);
        SiteAccumulator acc = new SiteAccumulator("s", 37, new AnalysisConfig(TAUS, new int[] {1}));
        acc.acceptCall(data(rnd, 91, 37), 0, 91);
        acc.acceptCall(data(rnd, 5, 37), 0, 5);
        for (SiteStats s : acc.results()) {
            assertEquals(s.nearZeroElements(), s.zeroColumns());
            assertEquals(s.elementSparsity(), s.columnSparsity(), 0.0);
            assertEquals(s.elementSparsity(), s.independenceBaseline(), 1e-15);
        }
    }

    @Test
    void columnSparsityNeverExceedsElementSparsityWhenTilesAreFull() {
        Random rnd = new Random(2);
        int[] heights = {2, 4, 8, 16, 32};
        SiteAccumulator acc = new SiteAccumulator("s", 24, new AnalysisConfig(TAUS, heights));
        for (int call = 0; call < 3; call++) {
            acc.acceptCall(data(rnd, 64, 24), 0, 64);
        }
        for (SiteStats s : acc.results()) {
            assertTrue(s.columnSparsity() <= s.elementSparsity(), s.toString());
            assertTrue(s.gapPp() >= 0);
        }
    }

    @Test
    void mergingTwoHalvesSplitAtATileBoundaryEqualsOnePass() {
        Random rnd = new Random(3);
        int k = 19;
        int[] heights = {4, 8, 24};
        AnalysisConfig cfg = new AnalysisConfig(TAUS, heights);
        float[] d = data(rnd, 96 + 10, k);
        SiteAccumulator whole = new SiteAccumulator("s", k, cfg);
        whole.acceptCall(d, 0, 106);
        // 48 rows is a multiple of 4, 8 and 24
        SiteAccumulator first = new SiteAccumulator("s", k, cfg);
        first.beginSegment(false, 0, 1);
        first.segmentRows(d, 0, 48);
        first.endSegment(true);
        SiteAccumulator second = new SiteAccumulator("s", k, cfg);
        second.beginSegment(false, 48, 1);
        second.segmentRows(d, 48 * k, 58);
        second.endSegment(false);
        first.merge(second);
        assertEquals(whole.results(), first.results());

        // and accumulators of separate calls merge into the same totals as one accumulator fed both
        SiteAccumulator both = new SiteAccumulator("s", k, cfg);
        both.acceptCall(d, 0, 50);
        both.acceptCall(d, 50 * k, 56);
        SiteAccumulator a = new SiteAccumulator("s", k, cfg);
        a.acceptCall(d, 0, 50);
        SiteAccumulator b = new SiteAccumulator("s", k, cfg);
        b.acceptCall(d, 50 * k, 56);
        a.merge(b);
        assertEquals(both.results(), a.results());
        assertEquals(2, a.calls());
    }

    @Test
    void feedingACallInArbitraryPiecesChangesNothing() {
        Random rnd = new Random(4);
        int k = 9;
        AnalysisConfig cfg = new AnalysisConfig(TAUS, new int[] {6, 8, 32});
        float[] d = data(rnd, 77, k);
        SiteAccumulator whole = new SiteAccumulator("s", k, cfg);
        whole.acceptCall(d, 0, 77);
        SiteAccumulator pieces = new SiteAccumulator("s", k, cfg);
        pieces.beginSegment(false, 0, 1);
        int at = 0;
        for (int n : new int[] {1, 5, 3, 20, 17, 31}) {
            pieces.segmentRows(d, at * k, n);
            at += n;
        }
        pieces.endSegment(true);
        assertEquals(whole.results(), pieces.results());
        assertArrayEquals(whole.results().get(0).channelActivity(), pieces.results().get(0).channelActivity(), 0.0);
    }
}
