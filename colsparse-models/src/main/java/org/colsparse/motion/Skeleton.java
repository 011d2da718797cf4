package org.colsparse.motion;

import java.util.List;

/**
 * A joint hierarchy in depth-first file order: every joint's parent comes before it, so one
 * forward pass over {@link #joints()} resolves world transforms.
 */
public record Skeleton(List<Joint> joints) {
    public Skeleton {
        joints = List.copyOf(joints);
        for (int j = 0; j < joints.size(); j++) {
            int p = joints.get(j).parent();
            if (j == 0 ? p != -1 : (p < 0 || p >= j)) {
                throw new IllegalArgumentException("joint " + j + " has parent " + p + "; joints must be in depth-first order");
            }
        }
    }

    public int jointCount() {
        return joints.size();
    }

    /** Total number of channel values per frame. */
    public int channelCount() {
        int n = 0;
        for (Joint j : joints) n += j.channels().size();
        return n;
    }

    /** Index of the joint's first channel within one frame's values. */
    public int[] channelStarts() {
        int[] starts = new int[joints.size()];
        int n = 0;
        for (int j = 0; j < joints.size(); j++) {
            starts[j] = n;
            n += joints.get(j).channels().size();
        }
        return starts;
    }

    /** Index of the named joint, or -1. */
    public int indexOf(String name) {
        for (int j = 0; j < joints.size(); j++) {
            if (joints.get(j).name().equals(name)) return j;
        }
        return -1;
    }

    public int[] parents() {
        int[] p = new int[joints.size()];
        for (int j = 0; j < p.length; j++) p[j] = joints.get(j).parent();
        return p;
    }

    public String[] names() {
        return joints.stream().map(Joint::name).toArray(String[]::new);
    }
}
