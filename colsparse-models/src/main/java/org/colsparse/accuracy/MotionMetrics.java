package org.colsparse.accuracy;

import org.colsparse.motion.MotionClip;

/**
 * Motion fidelity and plausibility on joint positions after forward kinematics (y up).
 * Distances come in metres, via {@link MotionClip#metresPerUnit()} (CMU: 0.0254 / 0.45 m per
 * unit, see {@link org.colsparse.dataset.CmuMocap#METRES_PER_UNIT}).
 */
public final class MotionMetrics {
    /** Default contact threshold for {@link #footSkate}: a foot within 5 cm of the floor. */
    public static final double CONTACT_HEIGHT_M = 0.05;

    private MotionMetrics() {
    }

    /**
     * Mean per-joint position error: the Euclidean distance between corresponding joints, averaged
     * over joints and frames, in metres. No alignment (root or Procrustes) is applied: the dense
     * output is the reference, and a displaced root is part of the error. Range {@code [0, inf)};
     * 0 = identical; lower is better.
     */
    public static double mpjpeMetres(MotionClip ref, MotionClip test) {
        return mpjpe(ref.inMetres(), test.inMetres());
    }

    /** {@link #mpjpeMetres} in the clips' own unit (both must share it). */
    public static double mpjpe(MotionClip ref, MotionClip test) {
        if (ref.jointCount() != test.jointCount() || ref.frameCount() != test.frameCount()) {
            throw new IllegalArgumentException("clips differ: " + ref.frameCount() + "x" + ref.jointCount() + " vs " + test.frameCount() + "x" + test.jointCount());
        }
        if (ref.metresPerUnit() != test.metresPerUnit()) throw new IllegalArgumentException("clips are in different units");
        double[] a = ref.xyz(), b = test.xyz();
        Checks.sameLength(a, b);
        double sum = 0;
        int n = a.length / 3;
        for (int i = 0; i < n; i++) {
            double dx = a[3 * i] - b[3 * i], dy = a[3 * i + 1] - b[3 * i + 1], dz = a[3 * i + 2] - b[3 * i + 2];
            sum += Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        return sum / n;
    }

    /**
     * Foot skate: the mean horizontal speed (m/s) of the given foot joints over the frame pairs in
     * which the foot is in contact, i.e. within {@code contactHeightM} of the floor at both frames.
     * The floor is the lowest height any of the foot joints reaches in the clip, so a skeleton
     * whose toe joint sits a few centimetres above the sole is handled. A planted foot should not
     * slide: range {@code [0, inf)}, 0 = no sliding; lower is better. NaN (undefined) when no foot
     * is in contact for two frames in a row: a motion that floats or jitters has no planted foot
     * whose sliding could be measured, and 0 would read as a perfect one.
     *
     * @param feet joint indices, e.g. CMU's {@code LeftToe} and {@code RightToe}
     */
    public static double footSkate(MotionClip clip, int[] feet, double contactHeightM) {
        MotionClip m = clip.inMetres();
        if (feet.length == 0) throw new IllegalArgumentException("no foot joints given");
        int t = m.frameCount();
        double floor = Double.POSITIVE_INFINITY;
        for (int f = 0; f < t; f++) {
            for (int j : feet) floor = Math.min(floor, m.get(f, j, 1));
        }
        double sum = 0;
        long contacts = 0;
        for (int f = 0; f + 1 < t; f++) {
            for (int j : feet) {
                if (m.get(f, j, 1) - floor <= contactHeightM && m.get(f + 1, j, 1) - floor <= contactHeightM) {
                    double dx = m.get(f + 1, j, 0) - m.get(f, j, 0), dz = m.get(f + 1, j, 2) - m.get(f, j, 2);
                    sum += Math.sqrt(dx * dx + dz * dz) * m.fps();
                    contacts++;
                }
            }
        }
        return contacts == 0 ? Double.NaN : sum / contacts;
    }

    /**
     * Jitter: the mean magnitude of joint jerk (third time derivative of position, finite
     * differences {@code (p[t+3] - 3p[t+2] + 3p[t+1] - p[t]) * fps^3}) in m/s^3, over all joints
     * and frames. Denoising errors show up as high-frequency shake that this amplifies; compare
     * with the dense clip's value. Range {@code [0, inf)}; lower is smoother. Needs 4 frames.
     */
    public static double jerk(MotionClip clip) {
        return derivativeMagnitude(clip.inMetres(), 3);
    }

    /** Mean joint acceleration magnitude in m/s^2 (second differences); lower is smoother. Needs 3 frames. */
    public static double acceleration(MotionClip clip) {
        return derivativeMagnitude(clip.inMetres(), 2);
    }

    private static double derivativeMagnitude(MotionClip m, int order) {
        int t = m.frameCount(), j = m.jointCount();
        if (t <= order) throw new IllegalArgumentException("order-" + order + " differences need more than " + order + " frames, clip has " + t);
        double[] coef = order == 2 ? new double[] {1, -2, 1} : new double[] {-1, 3, -3, 1};
        double scale = Math.pow(m.fps(), order);
        double sum = 0;
        for (int f = 0; f + order < t; f++) {
            for (int k = 0; k < j; k++) {
                double s2 = 0;
                for (int a = 0; a < 3; a++) {
                    double d = 0;
                    for (int c = 0; c <= order; c++) d += coef[c] * m.get(f + c, k, a);
                    s2 += d * d;
                }
                sum += Math.sqrt(s2) * scale;
            }
        }
        return sum / ((double) (t - order) * j);
    }
}
