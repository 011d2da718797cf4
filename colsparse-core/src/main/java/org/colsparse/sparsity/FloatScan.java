package org.colsparse.sparsity;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The float32 element kernel. Works on the raw bits of |x|: masking the sign bit gives a
 * non-negative int whose order is the numeric order of |x|, so the per-tile maximum is an integer
 * max (exact, and it cannot lose a NaN the way a float max with compare-and-blend can), and "near
 * zero" is an integer compare against the bits of the largest float not above the decimal tau.
 * NaN and Inf have bits at or above {@code 0x7F800000}, above every finite value.
 */
final class FloatScan extends CallScan {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final int ABS_MASK = 0x7FFFFFFF;
    private static final int NON_FINITE = 0x7F800000;
    private static final int GROUP = 6;
    private static final int SLAB = 8;

    /** Active (not near-zero) counts of this segment, [threshold][channel]; ints suffice: a segment has < 2^31 rows. */
    private final int[][] counts;

    FloatScan(String site, int channels, double[] thresholds, int[] heights) {
        super(site, channels, heights, levelThresholds(thresholds));
        counts = new int[thresholds.length][channels];
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

    /**
     * Rows that all fall in the current base block. Channel-major over a slab of rows so the
     * running maximum and the counters stay in registers while the rows stream past. Thresholds
     * are taken {@value #GROUP} at a time because the counters must be plain locals for the JIT to
     * keep them in registers (an array of vectors is 5-8x slower). Counts are of elements above
     * the threshold (active); near-zero counts are rows minus those, see {@link #commitCounts}.
     */
    private void block(float[] data, int off, int rows) {
        int vectorEnd = FS.loopBound(channels);
        // At most SLAB rows per register pass: a channel-major sweep over a tall block would touch
        // more cache lines than L2 holds before it comes back for the next channels.
        for (int r = 0; r < rows; r += SLAB) {
            int n = Math.min(SLAB, rows - r);
            int at = off + r * channels;
            maxAndGroup(data, at, n, vectorEnd);
            for (int g = GROUP; g < nThresholds; g += GROUP) {
                group(data, at, n, g, vectorEnd);
            }
            tail(data, at, n, vectorEnd);
        }
        // Earlier rows of this block were checked when they were scanned, so a non-finite maximum
        // means the first bad element is in these rows.
        if (maxOf(levelMax[0]) >= NON_FINITE) {
            throw locateNonFinite(data, off, rows);
        }
    }

    /** Threshold slot {@code g + i} of a group, or a never-true limit when the group has fewer. */
    private int limit(int g, int i) {
        return g + i < nThresholds ? levelThreshold[g + i] : Integer.MAX_VALUE;
    }

    /**
     * A group's counter arrays; unused slots share the group's first array and, with their
     * never-true limit, store back what they loaded (stores run in reverse so the real one wins).
     */
    private int[] counter(int g, int i) {
        return g + i < nThresholds ? counts[g + i] : counts[g];
    }

    /** The running maximum and thresholds 0..5, for channels below {@code vectorEnd}. */
    private void maxAndGroup(float[] data, int off, int rows, int vectorEnd) {
        final int[] max = levelMax[0];
        final int[] c0 = counter(0, 0);
        final int[] c1 = counter(0, 1);
        final int[] c2 = counter(0, 2);
        final int[] c3 = counter(0, 3);
        final int[] c4 = counter(0, 4);
        final int[] c5 = counter(0, 5);
        final int l0 = limit(0, 0);
        final int l1 = limit(0, 1);
        final int l2 = limit(0, 2);
        final int l3 = limit(0, 3);
        final int l4 = limit(0, 4);
        final int l5 = limit(0, 5);
        for (int k = 0; k < vectorEnd; k += FS.length()) {
            columnWithMax(data, off + k, rows, channels, k, max, c0, c1, c2, c3, c4, c5, l0, l1, l2, l3, l4, l5);
        }
    }

    /** Thresholds g..g+5 (g >= 6) for channels below {@code vectorEnd}; the data is still in cache. */
    private void group(float[] data, int off, int rows, int g, int vectorEnd) {
        final int[] c0 = counter(g, 0);
        final int[] c1 = counter(g, 1);
        final int[] c2 = counter(g, 2);
        final int[] c3 = counter(g, 3);
        final int[] c4 = counter(g, 4);
        final int[] c5 = counter(g, 5);
        final int l0 = limit(g, 0);
        final int l1 = limit(g, 1);
        final int l2 = limit(g, 2);
        final int l3 = limit(g, 3);
        final int l4 = limit(g, 4);
        final int l5 = limit(g, 5);
        for (int k = 0; k < vectorEnd; k += FS.length()) {
            column(data, off + k, rows, channels, k, c0, c1, c2, c3, c4, c5, l0, l1, l2, l3, l4, l5);
        }
    }

    /*
     * One channel vector over a slab of rows. Kept as small separate methods on purpose: the JIT
     * compiles a method after a few hundred calls, but a loop inside one long call only after tens
     * of thousands of iterations, and until then every Vector API operation runs interpreted at
     * microseconds each. As one big loop, the first megabytes took seconds; this way, milliseconds.
     */
    private static void columnWithMax(float[] data, int i, int rows, int stride, int k, int[] max,
                                      int[] c0, int[] c1, int[] c2, int[] c3, int[] c4, int[] c5,
                                      int l0, int l1, int l2, int l3, int l4, int l5) {
        IntVector m = IntVector.fromArray(IS, max, k);
        IntVector a0 = IntVector.fromArray(IS, c0, k);
        IntVector a1 = IntVector.fromArray(IS, c1, k);
        IntVector a2 = IntVector.fromArray(IS, c2, k);
        IntVector a3 = IntVector.fromArray(IS, c3, k);
        IntVector a4 = IntVector.fromArray(IS, c4, k);
        IntVector a5 = IntVector.fromArray(IS, c5, k);
        for (int r = 0; r < rows; r++, i += stride) {
            IntVector v = FloatVector.fromArray(FS, data, i).reinterpretAsInts().and(ABS_MASK);
            m = m.max(v);
            a0 = a0.add(1, v.compare(VectorOperators.GT, l0));
            a1 = a1.add(1, v.compare(VectorOperators.GT, l1));
            a2 = a2.add(1, v.compare(VectorOperators.GT, l2));
            a3 = a3.add(1, v.compare(VectorOperators.GT, l3));
            a4 = a4.add(1, v.compare(VectorOperators.GT, l4));
            a5 = a5.add(1, v.compare(VectorOperators.GT, l5));
        }
        // In reverse: where unused slots share the first slot's array, its real count is written last.
        a5.intoArray(c5, k);
        a4.intoArray(c4, k);
        a3.intoArray(c3, k);
        a2.intoArray(c2, k);
        a1.intoArray(c1, k);
        a0.intoArray(c0, k);
        m.intoArray(max, k);
    }

    private static void column(float[] data, int i, int rows, int stride, int k,
                               int[] c0, int[] c1, int[] c2, int[] c3, int[] c4, int[] c5,
                               int l0, int l1, int l2, int l3, int l4, int l5) {
        IntVector a0 = IntVector.fromArray(IS, c0, k);
        IntVector a1 = IntVector.fromArray(IS, c1, k);
        IntVector a2 = IntVector.fromArray(IS, c2, k);
        IntVector a3 = IntVector.fromArray(IS, c3, k);
        IntVector a4 = IntVector.fromArray(IS, c4, k);
        IntVector a5 = IntVector.fromArray(IS, c5, k);
        for (int r = 0; r < rows; r++, i += stride) {
            IntVector v = FloatVector.fromArray(FS, data, i).reinterpretAsInts().and(ABS_MASK);
            a0 = a0.add(1, v.compare(VectorOperators.GT, l0));
            a1 = a1.add(1, v.compare(VectorOperators.GT, l1));
            a2 = a2.add(1, v.compare(VectorOperators.GT, l2));
            a3 = a3.add(1, v.compare(VectorOperators.GT, l3));
            a4 = a4.add(1, v.compare(VectorOperators.GT, l4));
            a5 = a5.add(1, v.compare(VectorOperators.GT, l5));
        }
        a5.intoArray(c5, k);
        a4.intoArray(c4, k);
        a3.intoArray(c3, k);
        a2.intoArray(c2, k);
        a1.intoArray(c1, k);
        a0.intoArray(c0, k);
    }

    /** Channels from {@code from} on that do not fill a vector: scalar, everything at once. */
    private void tail(float[] data, int off, int rows, int from) {
        final int[] max = levelMax[0];
        for (int k = from; k < channels; k++) {
            for (int r = 0, i = off + k; r < rows; r++, i += channels) {
                int v = Float.floatToRawIntBits(data[i]) & ABS_MASK;
                max[k] = Math.max(max[k], v);
                for (int t = 0; t < nThresholds; t++) {
                    if (v > levelThreshold[t]) {
                        counts[t][k]++;
                    }
                }
            }
        }
    }

    private static int maxOf(int[] a) {
        int m = 0;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
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
