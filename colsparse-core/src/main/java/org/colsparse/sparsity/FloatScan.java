package org.colsparse.sparsity;

import java.util.Arrays;

/**
 * The float32 element kernel. Works on the raw bits of |x|: masking the sign bit gives a
 * non-negative int whose order is the numeric order of |x|, so the per-tile maximum is an integer
 * max (exact, and it cannot lose a NaN the way a float max with compare-and-blend can), and "near
 * zero" is an integer compare against the bits of the largest float not above the decimal tau.
 * NaN and Inf have bits at or above {@code 0x7F800000}, above every finite value.
 *
 * <p>Plain Java written for the JIT's auto-vectorizer rather than the Vector API. Each row is
 * first turned into |x| bits in a scratch array indexed by channel; every later loop then reads
 * and writes arrays at the same index {@code k} with branch-free integer arithmetic, which is the
 * shape HotSpot's superword pass vectorizes (it gives up when one array is read at
 * {@code off + k} and another written at {@code k}, or on {@code Math.max}). Compiled, this is
 * as fast as the Vector API kernel it replaced (about 0.7 ns per element and thread, all five
 * thresholds of the benchmark); unlike it, it needs no 0.2-0.3 s of Vector API start-up and no
 * slow phase before the JIT has compiled it, which dominated one-shot {@code analyze} runs.
 */
final class FloatScan extends CallScan {
    private static final int ABS_MASK = 0x7FFFFFFF;
    private static final int NON_FINITE = 0x7F800000;
    /** Channels per strip: a strip's counters, running maximum and row bits stay in the L1 cache. */
    private static final int STRIP = 1024;

    /** Active (not near-zero) counts of this segment, [threshold][channel]; ints suffice: a segment has < 2^31 rows. */
    private final int[][] counts;
    /** |x| bits of the row being scanned, by channel. */
    private final int[] row;

    FloatScan(String site, int channels, double[] thresholds, int[] heights) {
        super(site, channels, heights, levelThresholds(thresholds));
        counts = new int[thresholds.length][channels];
        row = new int[channels];
    }

    private static int[] levelThresholds(double[] thresholds) {
        int[] bits = new int[thresholds.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = Float.floatToRawIntBits(AnalysisConfig.floatThreshold(thresholds[i]));
        }
        return bits;
    }

    @Override
    void resetCounts() {
        for (int[] c : counts) {
            Arrays.fill(c, 0);
        }
    }

    @Override
    void commitCounts(long[][] nearZero) {
        for (int t = 0; t < nThresholds; t++) {
            int[] c = counts[t];
            long[] into = nearZero[t];
            for (int k = 0; k < channels; k++) {
                into[k] += position - c[k];
            }
        }
    }

    /** Scans {@code n} rows of {@code channels} floats, row-major, starting at {@code data[off]}. */
    void rows(float[] data, int off, int n) {
        if (position + n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a call or segment of site '" + site + "' exceeds 2^31-1 rows");
        }
        int b = baseHeight();
        while (n > 0) {
            int take = Math.min(n, b - (int) (position % b));
            block(data, off, take);
            off += take * channels;
            n -= take;
            position += take;
            if (position % b == 0) {
                boundary(false);
            }
        }
    }

    /** Rows that all fall in the current base block, a strip of channels at a time. */
    private void block(float[] data, int off, int rows) {
        int[] max = levelMax[0];
        for (int k0 = 0; k0 < channels; k0 += STRIP) {
            int k1 = Math.min(channels, k0 + STRIP);
            for (int r = 0; r < rows; r++) {
                absBits(data, off + r * channels, row, k0, k1);
                maxInto(row, max, k0, k1);
                for (int t = 0; t < nThresholds; t++) {
                    countAbove(row, counts[t], levelThreshold[t], k0, k1);
                }
            }
        }
        // Earlier rows of this block were checked when they were scanned, so a non-finite maximum
        // means the first bad element is in these rows.
        if (anyNonFinite(max)) {
            throw locateNonFinite(data, off, rows);
        }
    }

    /* Kept as separate small methods: each is one loop the JIT compiles (and vectorizes) early. */

    private static void absBits(float[] data, int at, int[] bits, int k0, int k1) {
        for (int k = k0; k < k1; k++) {
            bits[k] = Float.floatToRawIntBits(data[at + k]) & ABS_MASK;
        }
    }

    /** (limit - v) >>> 31 is 1 exactly when v > limit (both non-negative): branch-free. */
    private static void countAbove(int[] bits, int[] count, int limit, int k0, int k1) {
        for (int k = k0; k < k1; k++) {
            count[k] += (limit - bits[k]) >>> 31;
        }
    }

    /**
     * Whether some |x| bits are at or above {@code NON_FINITE}: adding 2^23 carries exactly those
     * (the bits are at most 0x7FFFFFFF) into the sign bit. An OR over the channels is half the cost
     * of a running Math.max, which the JIT does not vectorize.
     */
    private static boolean anyNonFinite(int[] bits) {
        int signs = 0;
        for (int k = 0; k < bits.length; k++) {
            signs |= bits[k] + (1 << 23);
        }
        return signs < 0;
    }

    private RuntimeException locateNonFinite(float[] data, int off, int rows) {
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < channels; k++) {
                float x = data[off + r * channels + k];
                if (!Float.isFinite(x)) {
                    return nonFinite(x, position + r, k);
                }
            }
        }
        throw new IllegalStateException("non-finite maximum without a non-finite element");
    }
}
