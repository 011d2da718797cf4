package org.colsparse.motion;

import java.util.Collection;

/**
 * Per-dimension standardization {@code (x - mean) / std} of frame-major feature arrays, the way
 * HumanML3D-trained models see their inputs. Dimensions that never vary (a joint fixed to its
 * parent, such as CMU's zero-offset hip joints) get {@code std = 1}, so they stay finite and
 * invert exactly.
 *
 * @param mean one value per feature dimension
 * @param std  one positive value per feature dimension
 */
public record FeatureNormalizer(double[] mean, double[] std) {
    /** Below this a dimension counts as constant. */
    public static final double MIN_STD = 1e-6;

    public FeatureNormalizer {
        if (mean.length != std.length) throw new IllegalArgumentException("mean and std differ in length");
        for (double s : std) {
            if (!(s > 0)) throw new IllegalArgumentException("std must be positive: " + s);
        }
    }

    public int dimension() {
        return mean.length;
    }

    /** Mean and population standard deviation over every frame of every array. */
    public static FeatureNormalizer fit(Collection<double[]> arrays, int dimension) {
        double[] sum = new double[dimension];
        long n = 0;
        for (double[] a : arrays) {
            for (int i = 0; i < a.length; i++) sum[i % dimension] += a[i];
            n += a.length / dimension;
        }
        if (n == 0) throw new IllegalArgumentException("no frames to fit");
        double[] mean = new double[dimension];
        for (int i = 0; i < dimension; i++) mean[i] = sum[i] / n;
        double[] sq = new double[dimension];
        for (double[] a : arrays) {
            for (int i = 0; i < a.length; i++) {
                double dv = a[i] - mean[i % dimension];
                sq[i % dimension] += dv * dv;
            }
        }
        double[] std = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            double s = Math.sqrt(sq[i] / n);
            std[i] = s < MIN_STD ? 1.0 : s;
        }
        return new FeatureNormalizer(mean, std);
    }

    public double[] normalize(double[] features) {
        double[] out = new double[features.length];
        for (int i = 0; i < out.length; i++) out[i] = (features[i] - mean[i % mean.length]) / std[i % mean.length];
        return out;
    }

    public double[] denormalize(double[] normalized) {
        double[] out = new double[normalized.length];
        for (int i = 0; i < out.length; i++) out[i] = normalized[i] * std[i % mean.length] + mean[i % mean.length];
        return out;
    }
}
