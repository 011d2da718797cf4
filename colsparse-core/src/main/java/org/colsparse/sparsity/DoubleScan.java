package org.colsparse.sparsity;

import java.util.Arrays;

/**
 * The float64 element kernel: compares in double exactly (docs/definitions.md). Its level value is the
 * number of thresholds strictly below |x| (thresholds ascending), so |x| is near zero at the t-th
 * threshold exactly when that number is at most t, and tile maxima of it decide zero columns just
 * as float bit patterns do. Scalar: float64 activations are rare and never the large case.
 */
final class DoubleScan extends CallScan {
    private final double[] thresholds;
    /** Elements of this segment per level value (0..thresholds), [level][channel]. */
    private final int[][] histogram;

    DoubleScan(String site, int channels, double[] thresholds, int[] heights) {
        super(site, channels, heights, ranks(thresholds.length));
        this.thresholds = thresholds.clone();
        histogram = new int[thresholds.length + 1][channels];
    }

    private static int[] ranks(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    @Override
    void resetCounts() {
        for (int[] h : histogram) {
            Arrays.fill(h, 0);
        }
    }

    @Override
    void commitCounts(long[][] nearZero) {
        for (int k = 0; k < channels; k++) {
            long cumulative = 0;
            for (int t = 0; t < nThresholds; t++) {
                cumulative += histogram[t][k];
                nearZero[t][k] += cumulative;
            }
        }
    }

    void rows(double[] data, int off, int n) {
        if (position + n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a call or segment of site '" + site + "' exceeds 2^31-1 rows");
        }
        int b = baseHeight();
        int[] max = levelMax[0];
        int nt = nThresholds;
        while (n > 0) {
            int take = Math.min(n, b - (int) (position % b));
            for (int r = 0; r < take; r++) {
                int rowOff = off + r * channels;
                for (int k = 0; k < channels; k++) {
                    double x = data[rowOff + k];
                    if (!Double.isFinite(x)) {
                        throw nonFinite(x, position + r, k);
                    }
                    double a = Math.abs(x);
                    int q = 0;
                    while (q < nt && a > thresholds[q]) {
                        q++;
                    }
                    if (q > max[k]) {
                        max[k] = q;
                    }
                    histogram[q][k]++;
                }
            }
            off += take * channels;
            n -= take;
            position += take;
            if (position % b == 0) {
                boundary(false);
            }
        }
    }
}
