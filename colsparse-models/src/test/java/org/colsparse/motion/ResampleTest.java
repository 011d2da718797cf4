package org.colsparse.motion;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ResampleTest {
    static MotionClip cmu() {
        return ForwardKinematics.run(Bvh.read(BvhTest.CMU.resolve("131_01.bvh")), 0.0254 / 0.45);
    }

    @Test
    void integerRatiosDecimate() {
        MotionClip m = cmu();
        MotionClip mdm = Resample.toFps(m, 20);
        assertEquals(166, mdm.frameCount()); // frames 0, 6, ..., 990 of 994
        assertEquals(20.0, mdm.fps(), 0);
        for (int f = 0; f < mdm.frameCount(); f++) {
            for (int j = 0; j < 31; j++) assertEquals(m.get(6 * f, j, 1), mdm.get(f, j, 1), 0);
        }
        MotionClip edge = Resample.toFps(m, 30);
        assertEquals(249, edge.frameCount());
        assertEquals(m.get(4 * 248, 7, 2), edge.get(248, 7, 2), 0);
    }

    @Test
    void otherRatiosInterpolateLinearly() {
        // One joint moving x = frame index at 4 fps, resampled to 10 fps: x(t) = 4 t.
        double[] xyz = new double[5 * 3];
        for (int f = 0; f < 5; f++) xyz[f * 3] = f;
        MotionClip c = new MotionClip(new String[] {"a"}, new int[] {-1}, 4, 1, xyz);
        MotionClip r = Resample.toFps(c, 10);
        assertEquals(11, r.frameCount()); // t = 0 .. 1.0 s
        for (int i = 0; i < 11; i++) assertEquals(0.4 * i, r.get(i, 0, 0), 1e-12);
    }
}
