package org.colsparse.accuracy;

/**
 * Parameters of the cliff rule ({@link CliffDetector}): step {@code i} (from threshold
 * {@code i-1} to {@code i}) is a cliff when its quality drop exceeds
 * {@code max(absoluteFloor, factor * previousDrop)}, with {@code previousDrop} the drop of step
 * {@code i-1} (0 for the first step, and never negative).
 *
 * @param absoluteFloor  drops at or below this never count, so noise-level wiggles on a flat
 *                       curve are not flagged (metric units)
 * @param factor         how many times steeper than the previous step a drop must be
 * @param higherIsBetter orientation of the metric: a drop is {@code before - after} when higher
 *                       is better (PSNR, SSIM), {@code after - before} when lower is better
 *                       (relative L2, MPJPE)
 */
public record CliffRule(double absoluteFloor, double factor, boolean higherIsBetter) {
    /**
     * Defaults for the relative L2 error (the metric every workload reports): a step is a cliff
     * when it adds more than 0.05 (5 % of the output's norm) and more than three times what the
     * previous step added.
     */
    public static final CliffRule RELATIVE_L2 = new CliffRule(0.05, 3.0, false);

    public CliffRule {
        if (!(absoluteFloor >= 0) || !(factor >= 1) || Double.isInfinite(absoluteFloor) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("need finite absoluteFloor >= 0 and factor >= 1");
        }
    }
}
