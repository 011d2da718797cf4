package org.colsparse.sparsity;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-computed cases: every expected number below was worked out on paper from docs/definitions.md. */
class SiteAccumulatorTest {
    private static final double EPS = 1e-12;

    private static AnalysisConfig cfg(double[] t, int... r) {
        return new AnalysisConfig(t, r);
    }

    private static SiteStats only(SiteAccumulator a) {
        List<SiteStats> r = a.results();
        assertEquals(1, r.size());
        return r.get(0);
    }

    @Test
    void twoByTwoTilesEveryMetric() {
        // rows x channels (K=2), tau = 0.01, R = 2:
        //   r0: 0.0    0.5
        //   r1: 0.005  0.0
        //   r2: 0.02   0.0
        //   r3: 0.0    0.0
        // near zero: ch0 rows 0,1,3 (0.02 is not); ch1 rows 1,2,3 -> 6 of 8, s = 0.75
        // tile rows 0-1: ch0 {0, 0.005} zero; ch1 {0.5, 0} not. tile rows 2-3: ch0 {0.02, 0} not; ch1 zero.
        // -> 2 of 4 columns zero = 0.5; gap 25 pp; baseline s^2 = 0.5625; excess -0.0625
        // activity: ch0 1/4, ch1 1/4 -> Gini 0; top ceil(2/10)=1 channel holds 1 of 2 active = 0.5
        SiteAccumulator a = new SiteAccumulator("s", 2, cfg(new double[] {0.01}, 2));
        a.acceptCall(new float[] {0f, 0.5f, 0.005f, 0f, 0.02f, 0f, 0f, 0f}, 0, 4);
        SiteStats s = only(a);
        assertEquals("s", s.site());
        assertEquals(4, s.rows());
        assertEquals(2, s.cols());
        assertEquals(0.01, s.threshold());
        assertEquals(2, s.tileRows());
        assertEquals(8, s.elements());
        assertEquals(6, s.nearZeroElements());
        assertEquals(0.75, s.elementSparsity(), EPS);
        assertEquals(4, s.columns());
        assertEquals(2, s.zeroColumns());
        assertEquals(0.5, s.columnSparsity(), EPS);
        assertEquals(25.0, s.gapPp(), EPS);
        assertEquals(0.5625, s.independenceBaseline(), EPS);
        assertEquals(-0.0625, s.excessOverBaseline(), EPS);
        assertEquals(2.0, s.meanTileHeight(), EPS);
        assertEquals(0.0, s.gini(), EPS);
        assertEquals(0.5, s.top10Share(), EPS);
        assertEquals(0, s.deadChannels());
        assertArrayEquals(new double[] {0.25, 0.25}, s.channelActivity(), EPS);
        assertEquals(1, s.calls());
    }

    @Test
    void shortLastTileCountsAsAColumnAndInTheBaseline() {
        // K=1, R=2, M=5: 0, 0, 0, 0.3, 0 -> tiles {0,0} zero, {0,0.3} not, {0} zero: 2 of 3 columns.
        // s = 4/5; baseline = (0.8^2 + 0.8^2 + 0.8^1) / 3 = 2.08 / 3
        SiteAccumulator a = new SiteAccumulator("s", 1, cfg(new double[] {0.01}, 2));
        a.acceptCall(new float[] {0f, 0f, 0f, 0.3f, 0f}, 0, 5);
        SiteStats s = only(a);
        assertEquals(3, s.columns());
        assertEquals(2, s.zeroColumns());
        assertEquals(0.8, s.elementSparsity(), EPS);
        assertEquals(2.0 / 3.0, s.columnSparsity(), EPS);
        assertEquals(2.08 / 3.0, s.independenceBaseline(), EPS);
        assertEquals(5.0 / 3.0, s.meanTileHeight(), EPS);
        assertEquals(1.0, s.top10Share(), EPS); // one channel holds everything
        assertEquals(0.0, s.gini(), EPS);
    }

    @Test
    void tilesRestartAtEveryCall() {
        // Two calls of 3 rows, K=1, R=4: each call is one (short) tile of 3 rows -> 2 columns.
        // call 1: 0, 0, 0 -> zero; call 2: 0, 0.5, 0 -> not. Had the tiles run across calls
        // there would be tiles {0,0,0,0} and {0.5,0} instead.
        SiteAccumulator a = new SiteAccumulator("s", 1, cfg(new double[] {0.01}, 4));
        a.acceptCall(new float[] {0f, 0f, 0f}, 0, 3);
        a.acceptCall(new float[] {9f, 0f, 0.5f, 0f}, 1, 3);
        SiteStats s = only(a);
        assertEquals(2, s.calls());
        assertEquals(6, s.rows());
        assertEquals(2, s.columns());
        assertEquals(1, s.zeroColumns());
        // s = 5/6, baseline = (5/6)^3 for both tiles
        assertEquals(Math.pow(5.0 / 6.0, 3), s.independenceBaseline(), EPS);
        assertEquals(3.0, s.meanTileHeight(), EPS);
    }

    @Test
    void giniTopShareAndDeadChannels() {
        // K=4, two rows, only channel 3 active: activity 0,0,0,1.
        // Gini = sum_ij |xi - xj| / (2 n^2 mean) = (2*3*1) / (2*16*0.25) = 0.75; top 1 channel holds 2/2;
        // dead: channels 0..2.
        SiteAccumulator a = new SiteAccumulator("s", 4, cfg(new double[] {0.01}, 1));
        a.acceptCall(new float[] {0f, 0f, 0f, 1f, 0f, 0f, 0f, -1f}, 0, 2);
        SiteStats s = only(a);
        assertEquals(0.75, s.gini(), EPS);
        assertEquals(1.0, s.top10Share(), EPS);
        assertEquals(3, s.deadChannels());
        assertEquals(0.75, s.deadChannelFraction(), EPS);
        assertArrayEquals(new double[] {0, 0, 0, 1}, s.channelActivity(), EPS);

        // K=2, four rows: ch0 active in 1 row, ch1 in 3 -> activity 0.25, 0.75.
        // Gini = (|0.25-0.75| * 2) / (2 * 4 * 0.5) = 0.25; top 1 channel: 3 of 4 active = 0.75.
        SiteAccumulator b = new SiteAccumulator("s", 2, cfg(new double[] {0.01}, 1));
        b.acceptCall(new float[] {1f, 1f, 0f, 1f, 0f, 1f, 0f, 0f}, 0, 4);
        SiteStats t = only(b);
        assertEquals(0.25, t.gini(), EPS);
        assertEquals(0.75, t.top10Share(), EPS);
        assertEquals(0, t.deadChannels());
    }

    @Test
    void topShareUsesCeilingOfATenthOfTheChannels() {
        assertEquals(1, Concentration.topCount(1));
        assertEquals(1, Concentration.topCount(10));
        assertEquals(2, Concentration.topCount(11));
        assertEquals(3, Concentration.topCount(30));
        // K=11 -> top 2 channels. Active counts 5,4 and nine channels with 1: (5+4)/(5+4+9) = 0.5
        long[] counts = {1, 1, 5, 1, 1, 1, 4, 1, 1, 1, 1};
        assertEquals(0.5, Concentration.topShare(counts), EPS);
        assertEquals(0.0, Concentration.topShare(new long[] {0, 0, 0}), EPS);
        assertEquals(0.0, Concentration.gini(new double[] {0, 0, 0}), EPS);
        assertEquals(0.0, Concentration.gini(new double[] {0.3, 0.3, 0.3}), EPS);
    }

    @Test
    void allNearZeroSiteHasZeroActivityAndAllDead() {
        SiteAccumulator a = new SiteAccumulator("s", 3, cfg(new double[] {0.01}, 2));
        a.acceptCall(new float[] {0f, 0.001f, -0.01f, 0f, 0f, 0f}, 0, 2);
        SiteStats s = only(a);
        assertEquals(1.0, s.elementSparsity(), EPS);
        assertEquals(1.0, s.columnSparsity(), EPS);
        assertEquals(1.0, s.independenceBaseline(), EPS);
        assertEquals(3, s.deadChannels());
        assertEquals(0.0, s.gini(), EPS);
        assertEquals(0.0, s.top10Share(), EPS);
    }

    @Test
    void floatThresholdIsTheLargestFloatNotAboveTheDecimal() {
        // 0.05f = 0.0500000007...: above 0.05, so not near zero at tau = 0.05; the float just below is.
        // 0.01f = 0.00999999977...: below 0.01, so near zero at tau = 0.01; the float just above is not.
        SiteAccumulator a = new SiteAccumulator("s", 4, cfg(new double[] {0.01, 0.05}, 1));
        a.acceptCall(new float[] {0.05f, Math.nextDown(0.05f), 0.01f, Math.nextUp(0.01f)}, 0, 1);
        List<SiteStats> r = a.results();
        // tau = 0.01: only 0.01f
        assertArrayEquals(new double[] {1, 1, 0, 1}, r.get(0).channelActivity(), EPS);
        // tau = 0.05: everything but 0.05f
        assertArrayEquals(new double[] {1, 0, 0, 0}, r.get(1).channelActivity(), EPS);
        assertEquals(Math.nextDown(0.05f), AnalysisConfig.floatThreshold(0.05));
        assertEquals(0.01f, AnalysisConfig.floatThreshold(0.01));
        assertEquals(0f, AnalysisConfig.floatThreshold(0.0));
    }

    @Test
    void doubleDataComparesInDouble() {
        // In double, 0.05 itself is near zero at tau = 0.05 and (double) 0.05f is not; negative values use |a|.
        SiteAccumulator a = new SiteAccumulator("s", 4, cfg(new double[] {0.05}, 1));
        a.acceptCall(new double[] {0.05, (double) 0.05f, -0.05, Math.nextUp(0.05)}, 0, 1);
        assertArrayEquals(new double[] {0, 1, 0, 1}, only(a).channelActivity(), EPS);
        // 0.010000000001 rounds to 0.01f as a float and would wrongly count; compared in double it does not.
        SiteAccumulator b = new SiteAccumulator("s", 1, cfg(new double[] {0.01}, 1));
        b.acceptCall(new double[] {0.010000000001}, 0, 1);
        assertEquals(0, only(b).nearZeroElements());
    }

    @Test
    void zeroThresholdCountsOnlyExactZeros() {
        SiteAccumulator a = new SiteAccumulator("s", 3, cfg(new double[] {0.0}, 1));
        a.acceptCall(new float[] {0f, -0f, Float.MIN_VALUE}, 0, 1);
        assertEquals(2, only(a).nearZeroElements());
    }

    @Test
    void nanAndInfAreReportedWithSiteRowAndChannel() {
        SiteAccumulator a = new SiteAccumulator("blk3.ff", 5, cfg(new double[] {0.01}, 2));
        float[] d = new float[5 * 6];
        d[3 * 5 + 4] = Float.NaN;
        d[5 * 5 + 1] = Float.POSITIVE_INFINITY;
        InputException e = assertThrows(InputException.class, () -> a.acceptCall(d, 0, 6));
        assertTrue(e.getMessage().contains("blk3.ff"), e.getMessage());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        assertTrue(e.getMessage().contains("row 3, channel 4"), e.getMessage());
        assertTrue(e.getMessage().contains("call 1"), e.getMessage());
        // the failed call left nothing behind
        assertEquals(0, a.calls());
        assertEquals(0, a.rows());
        assertEquals(0, only(a).nearZeroElements());

        float[] inf = new float[10];
        inf[7] = Float.NEGATIVE_INFINITY;
        InputException e2 = assertThrows(InputException.class, () -> a.acceptCall(inf, 0, 2));
        assertTrue(e2.getMessage().contains("-Inf activation at row 1, channel 2"), e2.getMessage());

        SiteAccumulator b = new SiteAccumulator("d", 2, cfg(new double[] {0.01}, 2));
        double[] dd = {0, 0, 0, Double.NaN};
        InputException e3 = assertThrows(InputException.class, () -> b.acceptCall(dd, 0, 2));
        assertTrue(e3.getMessage().contains("site 'd': NaN activation at row 1, channel 1"), e3.getMessage());
    }

    @Test
    void largestFiniteFloatsAreValuesAndNegativeNanIsNot() {
        // |x| bits 0x7F7FFFFF are one below +Inf's 0x7F800000: the non-finite test must split exactly there
        SiteAccumulator a = new SiteAccumulator("s", 3, cfg(new double[] {0.01}, 2));
        a.acceptCall(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, 0f, 0f, 0f, 0f}, 0, 2);
        SiteStats s = only(a);
        assertEquals(4, s.nearZeroElements());
        assertEquals(1, s.zeroColumns());
        float negativeNan = Float.intBitsToFloat(0xFFC00001);
        InputException e = assertThrows(InputException.class,
                () -> a.acceptCall(new float[] {0f, 0f, 0f, 0f, negativeNan, 0f}, 0, 2));
        assertTrue(e.getMessage().contains("NaN activation at row 1, channel 1"), e.getMessage());
    }

    @Test
    void nanInAScalarTailChannelIsFoundToo() {
        // K = 11: channels 8..10 are outside the 8-lane vectors
        SiteAccumulator a = new SiteAccumulator("s", 11, cfg(new double[] {0.01}, 4));
        float[] d = new float[11 * 3];
        d[2 * 11 + 10] = Float.NaN;
        InputException e = assertThrows(InputException.class, () -> a.acceptCall(d, 0, 3));
        assertTrue(e.getMessage().contains("row 2, channel 10"), e.getMessage());
    }

    @Test
    void resultsComeThresholdMajorThenTileHeight() {
        SiteAccumulator a = new SiteAccumulator("s", 1, cfg(new double[] {0.1, 0.01}, 4, 2));
        a.acceptCall(new float[] {0f, 0.05f, 0f, 0f}, 0, 4);
        List<SiteStats> r = a.results();
        assertEquals(4, r.size());
        // tau 0.01: near zero 3/4; R=2 tiles {0,0.05} not, {0,0} zero -> 1/2; R=4: one tile, not zero
        assertEquals(0.01, r.get(0).threshold());
        assertEquals(2, r.get(0).tileRows());
        assertEquals(1, r.get(0).zeroColumns());
        assertEquals(4, r.get(1).tileRows());
        assertEquals(0, r.get(1).zeroColumns());
        // tau 0.1: everything near zero
        assertEquals(0.1, r.get(2).threshold());
        assertEquals(2, r.get(2).zeroColumns());
        assertEquals(1, r.get(3).zeroColumns());
    }

    @Test
    void configValidatesSortsAndDeduplicates() {
        AnalysisConfig c = new AnalysisConfig(new double[] {0.1, 0.01, 0.1}, new int[] {32, 8, 32});
        assertArrayEquals(new double[] {0.01, 0.1}, c.thresholds());
        assertArrayEquals(new int[] {8, 32}, c.tileRows());
        assertThrows(IllegalArgumentException.class, () -> new AnalysisConfig(new double[] {-0.1}, new int[] {8}));
        assertThrows(IllegalArgumentException.class, () -> new AnalysisConfig(new double[] {Double.NaN}, new int[] {8}));
        assertThrows(IllegalArgumentException.class, () -> new AnalysisConfig(new double[] {Double.POSITIVE_INFINITY}, new int[] {8}));
        assertThrows(IllegalArgumentException.class, () -> new AnalysisConfig(new double[] {0.1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new AnalysisConfig(new double[] {}, new int[] {8}));
    }

    @Test
    void workloadTotalsSumCountsAndWeightTheBaselineByColumns() {
        // site a: K=1, R=2, 0,0,0,1 -> 3/4 near zero, columns 2, zero 1, baseline 0.5625
        // site b: K=2, R=2, all zero over 2 rows -> 4/4, columns 2, zero 2, baseline 1
        SiteAccumulator a = new SiteAccumulator("a", 1, cfg(new double[] {0.01}, 2));
        a.acceptCall(new float[] {0f, 0f, 0f, 1f}, 0, 4);
        SiteAccumulator b = new SiteAccumulator("b", 2, cfg(new double[] {0.01}, 2));
        b.acceptCall(new float[] {0f, 0f, 0f, 0f}, 0, 2);
        List<SiteStats> t = WorkloadTotals.of("w", List.of(only(a), only(b)));
        assertEquals(1, t.size());
        SiteStats w = t.get(0);
        assertEquals("w", w.site());
        assertEquals(8, w.elements());
        assertEquals(7, w.nearZeroElements());
        assertEquals(7.0 / 8.0, w.elementSparsity(), EPS);
        assertEquals(4, w.columns());
        assertEquals(3, w.zeroColumns());
        assertEquals(0.75, w.columnSparsity(), EPS);
        assertEquals((0.5625 * 2 + 1.0 * 2) / 4, w.independenceBaseline(), EPS);
        assertEquals(3, w.cols());
        assertEquals(2, w.deadChannels());
        assertArrayEquals(new double[] {0.25, 0, 0}, w.channelActivity(), EPS);
        assertEquals(2, w.calls());
    }

    @Test
    void countsListEveryCountInTheDocumentedLayout() {
        // the tilesRestartAtEveryCall data with two thresholds: K=1, R=4, calls {0,0,0} and {0,0.5,0}
        // tau 0.01: 5 near zero, 1 zero column; tau 1: 6 near zero, 2 zero columns; two tiles of height 3
        SiteAccumulator a = new SiteAccumulator("s", 1, cfg(new double[] {0.01, 1}, 4));
        a.acceptCall(new float[] {0f, 0f, 0f}, 0, 3);
        a.acceptCall(new float[] {0f, 0.5f, 0f}, 0, 3);
        assertArrayEquals(new long[] {6, 2, 5, 6, 1, 2, 1, 3, 2}, a.counts());
    }

    @Test
    void mergedCountsGiveTheResultsOfOnePass() {
        AnalysisConfig c = cfg(new double[] {0.01, 0.1}, 2, 3);
        float[] first = {0f, 0.5f, 0.005f, 0f, 0.02f, 0f, 0f, 0f, 0.3f, 0f};
        float[] second = {0.05f, 0f, 0f, 0f, 0f, 2f};
        SiteAccumulator one = new SiteAccumulator("s", 2, c);
        one.acceptCall(first, 0, 5);
        one.acceptCall(second, 0, 3);
        SiteAccumulator a = new SiteAccumulator("s", 2, c);
        a.acceptCall(first, 0, 5);
        SiteAccumulator b = new SiteAccumulator("s", 2, c);
        b.acceptCall(second, 0, 3);
        SiteAccumulator merged = new SiteAccumulator("s", 2, c);
        merged.mergeCounts(a.counts());
        merged.mergeCounts(b.counts());
        assertArrayEquals(one.counts(), merged.counts());
        List<SiteStats> expected = one.results();
        List<SiteStats> got = merged.results();
        assertEquals(expected.size(), got.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).toString().replaceAll("\\[D@\\w+", ""), got.get(i).toString().replaceAll("\\[D@\\w+", ""));
            assertArrayEquals(expected.get(i).channelActivity(), got.get(i).channelActivity());
        }
    }

    @Test
    void countsOfAnotherLayoutAreRefusedAndNothingIsAdded() {
        SiteAccumulator a = new SiteAccumulator("s", 2, cfg(new double[] {0.01}, 2));
        a.acceptCall(new float[] {0f, 0f, 0f, 0f}, 0, 2);
        SiteAccumulator other = new SiteAccumulator("s", 3, cfg(new double[] {0.01}, 2));
        long[] before = other.counts();
        assertThrows(IllegalArgumentException.class, () -> other.mergeCounts(a.counts()));
        assertArrayEquals(before, other.counts());
    }
}
