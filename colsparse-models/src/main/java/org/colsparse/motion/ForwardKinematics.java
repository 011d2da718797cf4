package org.colsparse.motion;

/**
 * Joint world positions from BVH channel values.
 *
 * <p>Convention (the one BVH writers, including CMU's, use): a joint's local transform is a
 * translation by its OFFSET (plus any position channels) followed by its rotation channels
 * composed <em>in file order</em> as matrices: {@code CHANNELS 3 Zrotation Yrotation Xrotation}
 * gives {@code R = Rz(z) * Ry(y) * Rx(x)} (angles in degrees, right-handed, column vectors). The
 * world rotation is {@code R_world = R_world(parent) * R}, and the joint sits at
 * {@code p = p(parent) + R_world(parent) * (offset + translation)}. The root's position channels
 * are added to its offset.
 */
public final class ForwardKinematics {
    private ForwardKinematics() {
    }

    /** Positions of every joint for one frame of channel values: {@code [joint * 3 + axis]}. */
    public static double[] positions(Skeleton skeleton, double[] frame) {
        int n = skeleton.jointCount();
        double[] out = new double[n * 3];
        positions(skeleton, skeleton.channelStarts(), frame, new double[n * 9], out, 0);
        return out;
    }

    /** Positions of every joint in every frame of the clip. */
    public static MotionClip run(BvhClip clip, double metresPerUnit) {
        Skeleton s = clip.skeleton();
        int n = s.jointCount();
        int[] starts = s.channelStarts();
        double[] rot = new double[n * 9];
        double[] xyz = new double[clip.frameCount() * n * 3];
        for (int f = 0; f < clip.frameCount(); f++) {
            positions(s, starts, clip.frames()[f], rot, xyz, f * n * 3);
        }
        return new MotionClip(s.names(), s.parents(), clip.nominalFps(), metresPerUnit, xyz);
    }

    private static void positions(Skeleton s, int[] starts, double[] frame, double[] rot, double[] out, int base) {
        if (frame.length != s.channelCount()) {
            throw new IllegalArgumentException("frame has " + frame.length + " values, skeleton has " + s.channelCount() + " channels");
        }
        double[] local = new double[9];
        double[] axisRot = new double[9];
        double[] tmp = new double[9];
        for (int j = 0; j < s.jointCount(); j++) {
            Joint joint = s.joints().get(j);
            double tx = joint.offset()[0], ty = joint.offset()[1], tz = joint.offset()[2];
            identity(local);
            int c = starts[j];
            for (Channel ch : joint.channels()) {
                double v = frame[c++];
                if (ch.isRotation()) {
                    axisRotation(ch.axis(), Math.toRadians(v), axisRot);
                    multiply(local, axisRot, tmp);
                    System.arraycopy(tmp, 0, local, 0, 9);
                } else if (ch.axis() == 0) {
                    tx += v;
                } else if (ch.axis() == 1) {
                    ty += v;
                } else {
                    tz += v;
                }
            }
            int p = joint.parent();
            int o = base + j * 3;
            if (p < 0) {
                out[o] = tx;
                out[o + 1] = ty;
                out[o + 2] = tz;
                System.arraycopy(local, 0, rot, j * 9, 9);
            } else {
                int pr = p * 9;
                int po = base + p * 3;
                for (int r = 0; r < 3; r++) {
                    out[o + r] = out[po + r] + rot[pr + r * 3] * tx + rot[pr + r * 3 + 1] * ty + rot[pr + r * 3 + 2] * tz;
                }
                for (int r = 0; r < 3; r++) {
                    for (int k = 0; k < 3; k++) {
                        rot[j * 9 + r * 3 + k] = rot[pr + r * 3] * local[k] + rot[pr + r * 3 + 1] * local[3 + k] + rot[pr + r * 3 + 2] * local[6 + k];
                    }
                }
            }
        }
    }

    private static void identity(double[] m) {
        java.util.Arrays.fill(m, 0);
        m[0] = m[4] = m[8] = 1;
    }

    /** Right-handed rotation about one axis, row-major. */
    static void axisRotation(int axis, double rad, double[] m) {
        double c = Math.cos(rad), s = Math.sin(rad);
        java.util.Arrays.fill(m, 0);
        switch (axis) {
            case 0 -> {
                m[0] = 1;
                m[4] = c; m[5] = -s;
                m[7] = s; m[8] = c;
            }
            case 1 -> {
                m[4] = 1;
                m[0] = c; m[2] = s;
                m[6] = -s; m[8] = c;
            }
            default -> {
                m[8] = 1;
                m[0] = c; m[1] = -s;
                m[3] = s; m[4] = c;
            }
        }
    }

    private static void multiply(double[] a, double[] b, double[] out) {
        for (int r = 0; r < 3; r++) {
            for (int k = 0; k < 3; k++) {
                out[r * 3 + k] = a[r * 3] * b[k] + a[r * 3 + 1] * b[3 + k] + a[r * 3 + 2] * b[6 + k];
            }
        }
    }
}
