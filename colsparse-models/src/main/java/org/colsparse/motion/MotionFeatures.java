package org.colsparse.motion;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-frame feature vector the tiny motion models are trained on, and its exact inverse.
 *
 * <p>Per frame, in metres, y up, {@code 3 + 3 * (joints - 1)} values:
 * <ol>
 *   <li>root height {@code y};</li>
 *   <li>root horizontal displacement since the previous frame {@code dx, dz} (0 at frame 0), so
 *       the features do not depend on where on the floor the clip starts;</li>
 *   <li>every non-root joint's position minus the root's, {@code x, y, z}.</li>
 * </ol>
 * This is the position part of HumanML3D's representation (used by MDM and MLD) without its
 * facing normalization, rotations and contact labels: the models here only need a real motion
 * signal, and positions keep the inverse exact. {@link #decode} integrates the root displacement
 * from the origin, so {@code decode(encode(clip))} is the clip moved horizontally until its root
 * starts at {@code x = z = 0}.
 */
public final class MotionFeatures {
    private MotionFeatures() {
    }

    public static int dimension(int joints) {
        return 3 + 3 * (joints - 1);
    }

    /** Frame-major features, {@code [frame * dimension + i]}. The root must be joint 0. */
    public static double[] encode(MotionClip clip) {
        MotionClip m = clip.inMetres();
        int t = m.frameCount(), j = m.jointCount(), d = dimension(j);
        double[] out = new double[t * d];
        for (int f = 0; f < t; f++) {
            int o = f * d;
            double rx = m.get(f, 0, 0), ry = m.get(f, 0, 1), rz = m.get(f, 0, 2);
            out[o] = ry;
            if (f > 0) {
                out[o + 1] = rx - m.get(f - 1, 0, 0);
                out[o + 2] = rz - m.get(f - 1, 0, 2);
            }
            for (int k = 1; k < j; k++) {
                int q = o + 3 + (k - 1) * 3;
                out[q] = m.get(f, k, 0) - rx;
                out[q + 1] = m.get(f, k, 1) - ry;
                out[q + 2] = m.get(f, k, 2) - rz;
            }
        }
        return out;
    }

    /** Inverse of {@link #encode}: positions in metres for the joints of {@code layout}. */
    public static MotionClip decode(double[] features, String[] names, int[] parents, double fps) {
        int j = names.length, d = dimension(j);
        if (features.length % d != 0) {
            throw new IllegalArgumentException("feature length " + features.length + " is not frames x " + d);
        }
        int t = features.length / d;
        double[] xyz = new double[t * j * 3];
        double rx = 0, rz = 0;
        for (int f = 0; f < t; f++) {
            int o = f * d;
            rx += features[o + 1];
            rz += features[o + 2];
            double ry = features[o];
            int b = f * j * 3;
            xyz[b] = rx;
            xyz[b + 1] = ry;
            xyz[b + 2] = rz;
            for (int k = 1; k < j; k++) {
                int q = o + 3 + (k - 1) * 3;
                xyz[b + k * 3] = features[q] + rx;
                xyz[b + k * 3 + 1] = features[q + 1] + ry;
                xyz[b + k * 3 + 2] = features[q + 2] + rz;
            }
        }
        return new MotionClip(names, parents, fps, 1.0, xyz);
    }

    /**
     * Training windows of {@code length} frames taken every {@code stride} frames (only whole
     * windows). Each window's first displacement is kept as in the clip, so a window decodes to
     * the same motion as the corresponding frames of the clip, up to a horizontal shift.
     */
    public static List<double[]> windows(double[] features, int dimension, int length, int stride) {
        if (length <= 0 || stride <= 0) throw new IllegalArgumentException("length and stride must be positive");
        int t = features.length / dimension;
        List<double[]> out = new ArrayList<>();
        for (int s = 0; s + length <= t; s += stride) {
            double[] w = new double[length * dimension];
            System.arraycopy(features, s * dimension, w, 0, w.length);
            out.add(w);
        }
        return out;
    }
}
