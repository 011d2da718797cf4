package org.colsparse.motion;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MotionFeaturesTest {
    @Test
    void encodeDecodeIsExactUpToStartingPoint() {
        MotionClip m = Resample.toFps(ResampleTest.cmu(), 20).inMetres();
        double[] feats = MotionFeatures.encode(m);
        int d = MotionFeatures.dimension(31);
        assertEquals(93, d);
        assertEquals(166 * 93, feats.length);
        MotionClip back = MotionFeatures.decode(feats, m.names(), m.parents(), m.fps());
        double x0 = m.get(0, 0, 0), z0 = m.get(0, 0, 2);
        for (int f = 0; f < m.frameCount(); f++) {
            for (int j = 0; j < 31; j++) {
                assertEquals(m.get(f, j, 0) - x0, back.get(f, j, 0), 1e-9);
                assertEquals(m.get(f, j, 1), back.get(f, j, 1), 1e-12);
                assertEquals(m.get(f, j, 2) - z0, back.get(f, j, 2), 1e-9);
            }
        }
        // Hip height in metres: CMU's 16.9 units at frame 0 (see ForwardKinematicsTest) x 0.0254 / 0.45.
        assertEquals(16.9002 * 0.0254 / 0.45, feats[0], 1e-12);
    }

    @Test
    void normalizerRoundTripsAndHandlesConstantDimensions() {
        MotionClip m = Resample.toFps(ResampleTest.cmu(), 20);
        int d = MotionFeatures.dimension(31);
        List<double[]> windows = MotionFeatures.windows(MotionFeatures.encode(m), d, 120, 20);
        assertEquals(3, windows.size()); // starts 0, 20, 40 fit in 166 frames
        FeatureNormalizer n = FeatureNormalizer.fit(windows, d);
        // LHipJoint (joint 1) has a zero offset: its root-relative position is always 0.
        assertEquals(0, n.mean()[3], 0);
        assertEquals(1, n.std()[3], 0);
        double[] z = n.normalize(windows.get(1));
        double[] back = n.denormalize(z);
        assertArrayEquals(windows.get(1), back, 1e-12);
    }

    @Test
    void normalizerStatisticsByHand() {
        FeatureNormalizer n = FeatureNormalizer.fit(List.of(new double[] {1, 10, 3, 10}), 2);
        assertArrayEquals(new double[] {2, 10}, n.mean(), 0);
        assertArrayEquals(new double[] {1, 1}, n.std(), 0);
        assertArrayEquals(new double[] {-1, 0, 1, 0}, n.normalize(new double[] {1, 10, 3, 10}), 0);
    }
}
