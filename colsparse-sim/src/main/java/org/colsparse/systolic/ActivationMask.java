package org.colsparse.systolic;

import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.util.InputException;

import java.util.BitSet;

/**
 * Which elements of an activation A ({@code m x k}, channel-last, docs/definitions.md) are <em>not</em> near
 * zero, one bit per element. Every skipping rule of every dataflow is derived from these bits, so
 * one mask answers os, ws and is on any array shape without rereading the tensor.
 */
public final class ActivationMask {
    private final int m;
    private final int k;
    private final int rowWords;
    private final long[] bits;

    private ActivationMask(int m, int k) {
        this.m = m;
        this.k = k;
        this.rowWords = (k + 63) >>> 6;
        this.bits = new long[Math.multiplyExact(m, rowWords)];
    }

    public int m() {
        return m;
    }

    public int k() {
        return k;
    }

    /** Near zero per docs/definitions.md: {@code |a| <= tau}, inclusive, compared exactly in double precision. */
    public static boolean nearZero(double a, double tau) {
        return Math.abs(a) <= tau;
    }

    /** Builds the mask of a row-major {@code m x k} array of values (tests, small inputs). */
    public static ActivationMask of(double[] values, int m, int k, double tau) {
        if (values.length != (long) m * k) {
            throw new IllegalArgumentException("values: " + values.length + " != " + m + "x" + k);
        }
        ActivationMask mask = new ActivationMask(m, k);
        mask.fill(values, 0, values.length, 0, tau, "values");
        return mask;
    }

    /** Tells whether element (row, col) of an {@code m x k} activation is not near zero. */
    @FunctionalInterface
    public interface NonZero {
        boolean test(int row, int col);
    }

    /** Builds the mask of an {@code m x k} activation element by element (recorded masks, im2col views of them). */
    public static ActivationMask of(int m, int k, NonZero nonZero) {
        ActivationMask mask = new ActivationMask(m, k);
        for (int row = 0; row < m; row++) {
            for (int col = 0; col < k; col++) {
                if (nonZero.test(row, col)) {
                    mask.bits[row * mask.rowWords + (col >>> 6)] |= 1L << col;
                }
            }
        }
        return mask;
    }

    /** Builds the mask from a tensor whose last axis is K and whose other axes flatten into M. */
    public static ActivationMask of(TensorData data, double tau, String file) {
        TensorInfo info = data.info();
        if (!info.dtype().isFloating()) {
            throw new InputException(file + ": tensor '" + info.name() + "' has dtype " + info.dtype() + ", need a floating-point activation");
        }
        if (info.rank() < 2) {
            throw new InputException(file + ": tensor '" + info.name() + "' has shape " + info.shapeString() + ", need at least 2 axes (tokens..., channels)");
        }
        long kk = info.dim(-1);
        long mm = info.elementCount() / Math.max(1, kk);
        if (kk <= 0 || mm <= 0 || mm > Integer.MAX_VALUE || kk > Integer.MAX_VALUE || mm * ((kk + 63) / 64) > Integer.MAX_VALUE) {
            throw new InputException(file + ": tensor '" + info.name() + "' shape " + info.shapeString() + " is empty or too large for a mask");
        }
        ActivationMask mask = new ActivationMask((int) mm, (int) kk);
        long total = mm * kk;
        int chunk = (int) Math.min(total, Math.max(kk, 1 << 20));
        double[] buf = new double[chunk];
        for (long first = 0; first < total; first += chunk) {
            int n = (int) Math.min(chunk, total - first);
            data.readDoubles(first, buf, 0, n);
            mask.fill(buf, 0, n, first, tau, file);
        }
        return mask;
    }

    private void fill(double[] values, int off, int count, long firstElement, double tau, String file) {
        for (int i = 0; i < count; i++) {
            double v = values[off + i];
            long e = firstElement + i;
            if (!Double.isFinite(v)) {
                throw new InputException(file + ": element " + e + " (row " + e / k + ", channel " + e % k + ") is " + v + "; activations must be finite");
            }
            if (!nearZero(v, tau)) {
                int row = (int) (e / k);
                int col = (int) (e % k);
                bits[row * rowWords + (col >>> 6)] |= 1L << col;
            }
        }
    }

    public boolean nonZero(int row, int col) {
        return (bits[row * rowWords + (col >>> 6)] & (1L << col)) != 0;
    }

    public int rowTiles(int tileHeight) {
        return (m + tileHeight - 1) / tileHeight;
    }

    /** The channels with at least one non-near-zero element among rows {@code [t*h, min(m, (t+1)*h))}. */
    public BitSet nonZeroColumns(int tile, int tileHeight) {
        long[] or = new long[rowWords];
        int end = Math.min(m, (tile + 1) * tileHeight);
        for (int r = tile * tileHeight; r < end; r++) {
            int base = r * rowWords;
            for (int w = 0; w < rowWords; w++) {
                or[w] |= bits[base + w];
            }
        }
        return BitSet.valueOf(or);
    }

    /** Per row tile of {@code tileHeight} rows, how many of the K columns are not zero columns (docs/definitions.md). */
    public int[] nonZeroColumnsPerTile(int tileHeight) {
        int tiles = rowTiles(tileHeight);
        int[] counts = new int[tiles];
        long[] or = new long[rowWords];
        for (int t = 0; t < tiles; t++) {
            java.util.Arrays.fill(or, 0);
            int end = Math.min(m, (t + 1) * tileHeight);
            for (int r = t * tileHeight; r < end; r++) {
                int base = r * rowWords;
                for (int w = 0; w < rowWords; w++) {
                    or[w] |= bits[base + w];
                }
            }
            int c = 0;
            for (long w : or) {
                c += Long.bitCount(w);
            }
            counts[t] = c;
        }
        return counts;
    }

    /**
     * Per slice of {@code sliceWidth} consecutive channels ({@code ceil(k / sliceWidth)} slices), how
     * many tokens have at least one non-near-zero element inside the slice — the weight-stationary
     * unit (a token's R-channel slice).
     */
    public int[] tokensPerChannelSlice(int sliceWidth) {
        int slices = (k + sliceWidth - 1) / sliceWidth;
        int[] counts = new int[slices];
        for (int r = 0; r < m; r++) {
            int base = r * rowWords;
            for (int s = 0; s < slices; s++) {
                if (anyInRange(base, s * sliceWidth, Math.min(k, (s + 1) * sliceWidth))) {
                    counts[s]++;
                }
            }
        }
        return counts;
    }

    private boolean anyInRange(int base, int from, int to) {
        int w0 = from >>> 6;
        int w1 = (to - 1) >>> 6;
        for (int w = w0; w <= w1; w++) {
            long word = bits[base + w];
            if (w == w0) {
                word &= -1L << from;
            }
            if (w == w1) {
                word &= -1L >>> (63 - ((to - 1) & 63));
            }
            if (word != 0) {
                return true;
            }
        }
        return false;
    }

    /** Element sparsity: near-zero elements / (m * k). */
    public double elementSparsity() {
        long nz = 0;
        for (long w : bits) {
            nz += Long.bitCount(w);
        }
        return 1.0 - (double) nz / ((double) m * k);
    }

    /** Column sparsity at tile height h (docs/definitions.md): zero columns / (ceil(m/h) * k). */
    public double columnSparsity(int tileHeight) {
        long nz = 0;
        for (int c : nonZeroColumnsPerTile(tileHeight)) {
            nz += c;
        }
        return 1.0 - (double) nz / ((double) rowTiles(tileHeight) * k);
    }
}
