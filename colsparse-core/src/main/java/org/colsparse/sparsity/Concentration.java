package org.colsparse.sparsity;

import java.util.Arrays;

/** Concentration metrics of per-channel activity (docs/definitions.md). */
public final class Concentration {
    private Concentration() {
    }

    /**
     * Gini coefficient of non-negative values: mean absolute difference over all ordered pairs
     * divided by twice the mean, i.e. {@code sum_i (2i - n - 1) x_(i) / (n * sum x)} with the
     * values sorted ascending (1-based i). 0 when all values are equal (including all zero, which
     * is defined as 0), (n-1)/n when one value holds everything.
     */
    public static double gini(double[] values) {
        int n = values.length;
        double[] x = values.clone();
        Arrays.sort(x);
        double sum = 0;
        double weighted = 0;
        for (int i = 0; i < n; i++) {
            sum += x[i];
            weighted += (2.0 * (i + 1) - n - 1) * x[i];
        }
        return sum <= 0 ? 0.0 : weighted / (n * sum);
    }

    /**
     * Share of all non-near-zero elements held by the {@code ceil(K/10)} channels with the most
     * of them (so at least one channel, and 1.0 when K <= 10). 0 when there is no non-near-zero
     * element at all.
     */
    public static double topShare(long[] activeCounts) {
        int n = activeCounts.length;
        long[] x = activeCounts.clone();
        Arrays.sort(x);
        int top = topCount(n);
        long total = 0;
        long held = 0;
        for (int i = 0; i < n; i++) {
            total += x[i];
            if (i >= n - top) {
                held += x[i];
            }
        }
        return total == 0 ? 0.0 : (double) held / total;
    }

    /** ceil(K/10), in integers so that K = 30 gives 3 and not ceil(3.0000000000000004). */
    public static int topCount(int channels) {
        return (channels + 9) / 10;
    }

    /** {@link #topShare(long[])} for real-valued weights (used when aggregating sites of different lengths). */
    public static double topShare(double[] weights) {
        int n = weights.length;
        double[] x = weights.clone();
        Arrays.sort(x);
        int top = topCount(n);
        double total = 0;
        double held = 0;
        for (int i = 0; i < n; i++) {
            total += x[i];
            if (i >= n - top) {
                held += x[i];
            }
        }
        return total <= 0 ? 0.0 : held / total;
    }
}
