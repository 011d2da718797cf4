package org.colsparse.motion;

import java.util.List;

/**
 * One BVH joint.
 *
 * @param name     as in the file
 * @param parent   index of the parent joint in {@link Skeleton#joints()}, -1 for the root
 * @param offset   translation from the parent joint in the parent's frame (skeleton unit)
 * @param channels animated channels in file order; the rotation channels' order is the Euler
 *                 composition order (see {@link ForwardKinematics})
 * @param endSite  offset of the joint's {@code End Site} child, or null when it has none; end sites
 *                 carry no channels and are not counted as joints
 */
public record Joint(String name, int parent, double[] offset, List<Channel> channels, double[] endSite) {
    public Joint {
        channels = List.copyOf(channels);
        offset = offset.clone();
        endSite = endSite == null ? null : endSite.clone();
    }
}
