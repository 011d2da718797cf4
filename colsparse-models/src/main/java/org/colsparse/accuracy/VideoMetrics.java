package org.colsparse.accuracy;

import java.util.Arrays;

/**
 * Video fidelity against the dense output. A video is {@code frames} frames of {@code frameSize}
 * values each, frame-major (for a (F, C, H, W) clip, {@code frameSize = C * H * W}).
 */
public final class VideoMetrics {
    private VideoMetrics() {
    }

    /**
     * PSNR of each frame against the same dense frame ({@link ImageMetrics#psnr}), in dB. The mean
     * says how far the clip drifted overall, the minimum whether single frames broke. Higher is
     * better; {@code +inf} for an identical frame.
     */
    public static double[] perFramePsnr(double[] ref, double[] test, int frames, double dataRange) {
        Checks.sameLength(ref, test);
        int size = frameSize(ref, frames);
        double[] out = new double[frames];
        for (int f = 0; f < frames; f++) {
            out[f] = ImageMetrics.psnr(Arrays.copyOfRange(ref, f * size, (f + 1) * size),
                    Arrays.copyOfRange(test, f * size, (f + 1) * size), dataRange);
        }
        return out;
    }

    /**
     * Frame-to-frame consistency: how much the change between consecutive frames differs from the
     * dense clip's change, relative to the dense change,
     * {@code sqrt(sum_t ||(x_t+1 - x_t) - (r_t+1 - r_t)||^2 / sum_t ||r_t+1 - r_t||^2)}. It
     * isolates flicker: a constant error on every frame (a global drift) scores 0, an error that
     * differs from frame to frame scores high. Range {@code [0, inf)}; 0 = the same temporal change
     * as dense; lower is better. A static dense clip (no change at all) gives 0 when the test is
     * static too and {@code +inf} otherwise. Needs at least two frames.
     */
    public static double temporalChangeError(double[] ref, double[] test, int frames) {
        Checks.sameLength(ref, test);
        int size = frameSize(ref, frames);
        if (frames < 2) throw new IllegalArgumentException("temporal change needs at least two frames");
        double num = 0, den = 0;
        for (int f = 0; f + 1 < frames; f++) {
            for (int i = 0; i < size; i++) {
                int a = f * size + i, b = a + size;
                double dr = ref[b] - ref[a], dt = test[b] - test[a];
                num += (dt - dr) * (dt - dr);
                den += dr * dr;
            }
        }
        if (den == 0) return num == 0 ? 0 : Double.POSITIVE_INFINITY;
        return Math.sqrt(num / den);
    }

    private static int frameSize(double[] v, int frames) {
        if (frames <= 0 || v.length % frames != 0) throw new IllegalArgumentException(v.length + " values are not " + frames + " equal frames");
        return v.length / frames;
    }
}
