package org.colsparse.accuracy;

/** Modality-independent comparison of a model output with the dense reference output. */
public final class OutputMetrics {
    private OutputMetrics() {
    }

    /**
     * Relative L2 error {@code ||test - ref|| / ||ref||} over the whole output tensor, in the
     * model's own output space (pixels, latents, mel bins or motion features, whatever the sampler
     * returns), so every workload can be placed on one axis. Range {@code [0, inf)}; 0 = identical;
     * lower is better; 1 means the error is as large as the output itself. A zero reference gives 0
     * when the test is zero too and {@code +inf} otherwise.
     */
    public static double relativeL2(double[] ref, double[] test) {
        Checks.sameLength(ref, test);
        double num = 0, den = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = test[i] - ref[i];
            num += d * d;
            den += ref[i] * ref[i];
        }
        if (den == 0) return num == 0 ? 0 : Double.POSITIVE_INFINITY;
        return Math.sqrt(num / den);
    }

    /** Float-array convenience for {@link #relativeL2(double[], double[])}. */
    public static double relativeL2(float[] ref, float[] test) {
        return relativeL2(Checks.toDouble(ref), Checks.toDouble(test));
    }
}
