package org.colsparse.motion;

import java.util.Arrays;

/**
 * Joint positions over time: the common currency of the motion workloads' data, features and
 * metrics.
 *
 * @param names         joint names
 * @param parents       parent index per joint, -1 for the root (drawing and bone lengths only)
 * @param fps           frames per second
 * @param metresPerUnit size of one position unit in metres (1 when already in metres)
 * @param xyz           frame-major positions: {@code xyz[(f * joints + j) * 3 + axis]}, y up
 */
public record MotionClip(String[] names, int[] parents, double fps, double metresPerUnit, double[] xyz) {
    public MotionClip {
        if (names.length != parents.length) throw new IllegalArgumentException("names and parents differ in length");
        if (names.length == 0 || xyz.length % (3 * names.length) != 0) {
            throw new IllegalArgumentException("xyz length " + xyz.length + " is not frames x " + names.length + " joints x 3");
        }
        if (!(fps > 0) || !(metresPerUnit > 0)) throw new IllegalArgumentException("fps and metresPerUnit must be positive");
    }

    public int jointCount() {
        return names.length;
    }

    public int frameCount() {
        return xyz.length / (3 * names.length);
    }

    public double get(int frame, int joint, int axis) {
        return xyz[(frame * names.length + joint) * 3 + axis];
    }

    public int indexOf(String name) {
        for (int j = 0; j < names.length; j++) {
            if (names[j].equals(name)) return j;
        }
        return -1;
    }

    /** Frames {@code [from, to)}. */
    public MotionClip frames(int from, int to) {
        int stride = 3 * names.length;
        return new MotionClip(names, parents, fps, metresPerUnit, Arrays.copyOfRange(xyz, from * stride, to * stride));
    }

    /** The same motion with positions in metres. */
    public MotionClip inMetres() {
        if (metresPerUnit == 1.0) return this;
        double[] m = new double[xyz.length];
        for (int i = 0; i < m.length; i++) m[i] = xyz[i] * metresPerUnit;
        return new MotionClip(names, parents, fps, 1.0, m);
    }
}
