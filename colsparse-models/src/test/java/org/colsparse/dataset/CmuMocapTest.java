package org.colsparse.dataset;

import org.colsparse.motion.MotionClip;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CmuMocapTest {
    @Test
    void shippedClipsLoadThroughTheDataRoot() {
        List<MotionClip> clips = CmuMocap.load();
        assertEquals(3, clips.size());
        assertArrayEquals(new int[] {994, 1247, 1102}, clips.stream().mapToInt(MotionClip::frameCount).toArray());
        for (MotionClip c : clips) {
            assertEquals(31, c.jointCount());
            assertEquals(120.0, c.fps(), 0);
            assertEquals(0.0254 / 0.45, c.metresPerUnit(), 0);
        }
        // Rest-pose check of the unit: hip-to-ankle leg length of 131_01's skeleton is
        // |(2.49329, -6.85026, 0)| + |(2.36770, -6.50520, 0)| = 14.212 units = 0.80 m.
        double leg = Math.hypot(2.49329, 6.85026) + Math.hypot(2.36770, 6.50520);
        assertEquals(0.802, leg * CmuMocap.METRES_PER_UNIT, 0.001);
    }
}
