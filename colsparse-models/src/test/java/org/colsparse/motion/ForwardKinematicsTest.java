package org.colsparse.motion;

import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ForwardKinematicsTest {
    static BvhClip chain() throws URISyntaxException {
        return Bvh.read(Path.of(ForwardKinematicsTest.class.getResource("/motion/chain.bvh").toURI()));
    }

    @Test
    void twoJointChain() throws URISyntaxException {
        BvhClip c = chain();
        MotionClip m = ForwardKinematics.run(c, 1.0);
        assertEquals(20.0, m.fps(), 0);
        // Rest pose: tip 2 units above the base.
        assertArrayEquals(new double[] {0, 0, 0, 0, 2, 0}, m.frames(0, 1).xyz(), 1e-12);
        // Root moved to (1,2,3) and turned +90 deg about z: the +y bone points to -x.
        assertArrayEquals(new double[] {1, 2, 3, -1, 2, 3}, m.frames(1, 2).xyz(), 1e-12);
        // Root turned 90 deg about y (a +y bone is unchanged) and the tip's own 90 deg about z does
        // not move the tip itself: rotations act on children only.
        assertArrayEquals(new double[] {0, 0, 0, 0, 2, 0}, m.frames(2, 3).xyz(), 1e-12);
    }

    @Test
    void eulerOrderIsFileOrder() {
        // Z then Y then X as matrices: Rz(90) * Ry(90) maps +x to Rz(90)*(0,0,-1) = (0,0,-1),
        // whereas the other order Ry(90) * Rz(90) would map it to (0,1,0).
        Joint root = new Joint("r", -1, new double[3], java.util.List.of(Channel.ZROTATION, Channel.YROTATION), null);
        Joint child = new Joint("c", 0, new double[] {1, 0, 0}, java.util.List.of(), null);
        double[] p = ForwardKinematics.positions(new Skeleton(java.util.List.of(root, child)), new double[] {90, 90});
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, -1}, p, 1e-12);
    }

    /** Reference positions from an independent NumPy/SciPy FK (Rotation.from_euler("ZYX", degrees=True)). */
    @Test
    void cmuClipMatchesScipy() {
        BvhClip c = Bvh.read(BvhTest.CMU.resolve("131_01.bvh"));
        Skeleton s = c.skeleton();
        double[][] expected = {
                {0, s.indexOf("Head"), 5.365625903074035, 24.01135431932267, -32.971471628627015},
                {0, s.indexOf("LeftToe"), 8.854797410460314, 1.3321126930938099, -33.49420793387332},
                {0, s.indexOf("LThumb"), 7.628880377025428, 17.55465692022182, -32.65511380747243},
                {500, s.indexOf("Hips"), 7.5043, 15.543, -27.2503},
                {500, s.indexOf("RightWrist"), 4.971031509029194, 20.4701644716602, -22.46613459309403},
                {500, s.indexOf("LThumb"), 10.517781381456041, 14.39784027135396, -28.415067469279236},
                {993, s.indexOf("Head"), 1.6767858928770012, 23.202994805624538, 12.555416075935762},
                {993, s.indexOf("RightWrist"), -7.888417033417772, 24.333370588293548, 13.789007779793556},
        };
        for (double[] e : expected) {
            double[] p = ForwardKinematics.positions(s, c.frames()[(int) e[0]]);
            int j = (int) e[1];
            for (int a = 0; a < 3; a++) assertEquals(e[2 + a], p[j * 3 + a], 1e-9, "frame " + e[0] + " joint " + s.joints().get(j).name());
        }
    }
}
