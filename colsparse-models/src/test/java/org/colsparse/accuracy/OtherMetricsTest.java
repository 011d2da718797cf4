package org.colsparse.accuracy;

import org.colsparse.motion.MotionClip;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class OtherMetricsTest {
    @Test
    void relativeL2ByHand() {
        assertEquals(0.5, OutputMetrics.relativeL2(new double[] {3, 4}, new double[] {3 + 1.5, 4 + 2}), 1e-15);
        assertEquals(0, OutputMetrics.relativeL2(new float[] {1, 2}, new float[] {1, 2}), 0);
        assertEquals(Double.POSITIVE_INFINITY, OutputMetrics.relativeL2(new double[] {0, 0}, new double[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> OutputMetrics.relativeL2(new double[] {1}, new double[] {Double.NaN}));
    }

    @Test
    void videoMetricsByHand() {
        // Two frames of two pixels; test = ref + 1 on every pixel: PSNR 20 log10(range) per frame,
        // and the frame-to-frame change is unchanged (a global offset is not flicker).
        double[] ref = {0, 1, 2, 3};
        double[] shifted = {1, 2, 3, 4};
        assertArrayEquals(new double[] {20, 20}, VideoMetrics.perFramePsnr(ref, shifted, 2, 10), 1e-12);
        assertEquals(0, VideoMetrics.temporalChangeError(ref, shifted, 2), 0);
        // Flicker: second frame +1 only. Ref change (2, 2), test change (3, 3): error sqrt(2 / 8) = 0.5.
        double[] flicker = {0, 1, 3, 4};
        assertEquals(0.5, VideoMetrics.temporalChangeError(ref, flicker, 2), 1e-15);
        assertEquals(Double.POSITIVE_INFINITY, VideoMetrics.perFramePsnr(ref, flicker, 2, 10)[0]);
    }

    @Test
    void audioMetricsOfAConstantLogOffset() {
        double[] ref = new double[6 * 4], test = new double[ref.length];
        double delta = 0.1;
        for (int i = 0; i < ref.length; i++) {
            ref[i] = -3 + 0.1 * i;
            test[i] = ref[i] + delta;
        }
        // Magnitude spectrogram: every band is off by 20 log10(e^0.1) dB.
        assertEquals(20 * delta / Math.log(10), AudioMetrics.logSpectralDistance(ref, test, 4, 1), 1e-12);
        assertEquals(10 * delta / Math.log(10), AudioMetrics.logSpectralDistance(ref, test, 4, 2), 1e-12);
        // test = ref * e^0.1 on linear magnitudes: SNR = -20 log10(e^0.1 - 1).
        assertEquals(-20 * Math.log10(Math.exp(delta) - 1), AudioMetrics.snrDb(ref, test), 1e-9);
        assertEquals(0, AudioMetrics.logSpectralDistance(ref, ref.clone(), 4, 1), 0);
        assertEquals(Double.POSITIVE_INFINITY, AudioMetrics.snrDb(ref, ref.clone()));
    }

    private static MotionClip clip(double fps, double metresPerUnit, double[] xyz, int joints) {
        String[] names = new String[joints];
        int[] parents = new int[joints];
        for (int j = 0; j < joints; j++) {
            names[j] = "j" + j;
            parents[j] = j - 1;
        }
        return new MotionClip(names, parents, fps, metresPerUnit, xyz);
    }

    @Test
    void mpjpeOfATranslatedSkeleton() {
        double[] a = new double[4 * 2 * 3], b = new double[a.length];
        for (int i = 0; i < a.length; i++) a[i] = Math.sin(i);
        for (int i = 0; i < a.length; i += 3) {
            b[i] = a[i] + 3;
            b[i + 1] = a[i + 1];
            b[i + 2] = a[i + 2] + 4;
        }
        double unit = 0.0254 / 0.45;
        MotionClip ref = clip(20, unit, a, 2), test = clip(20, unit, b, 2);
        assertEquals(5, MotionMetrics.mpjpe(ref, test), 1e-12);
        assertEquals(5 * unit, MotionMetrics.mpjpeMetres(ref, test), 1e-12);
        assertEquals(0, MotionMetrics.mpjpe(ref, ref), 0);
    }

    @Test
    void footSkateCountsOnlyPlantedFrames() {
        // One foot at 100 fps: frames 0-4 on the floor sliding 1 cm per frame (1 m/s), frames 5-9
        // lifted 20 cm and moving fast (not contact).
        double[] xyz = new double[10 * 3];
        for (int f = 0; f < 10; f++) {
            xyz[f * 3] = f < 5 ? 0.01 * f : 1 + f;
            xyz[f * 3 + 1] = f < 5 ? 0.3 : 0.5; // floor = lowest foot height = 0.3
        }
        MotionClip c = clip(100, 1, xyz, 1);
        assertEquals(1.0, MotionMetrics.footSkate(c, new int[] {0}, MotionMetrics.CONTACT_HEIGHT_M), 1e-9);
        for (int f = 0; f < 5; f++) xyz[f * 3] = 0.2; // planted still
        assertEquals(0.0, MotionMetrics.footSkate(clip(100, 1, xyz, 1), new int[] {0}, 0.05), 0);
    }

    /** A foot that is never on the floor two frames in a row (a jittering motion) has no sliding to measure: undefined, not 0. */
    @Test
    void footSkateIsUndefinedWithoutAPlantedFoot() {
        double[] xyz = new double[10 * 3];
        for (int f = 0; f < 10; f++) {
            xyz[f * 3] = 0.01 * f;
            xyz[f * 3 + 1] = f % 2 == 0 ? 0.3 : 0.6; // on the floor every other frame only
        }
        assertTrue(Double.isNaN(MotionMetrics.footSkate(clip(100, 1, xyz, 1), new int[] {0}, MotionMetrics.CONTACT_HEIGHT_M)));
    }

    @Test
    void jerkAndAccelerationOfPolynomials() {
        // x = t^3 (m) at 10 fps: jerk is 6 m/s^3 everywhere; x = t^2: acceleration 2 m/s^2.
        double[] cubic = new double[8 * 3], square = new double[8 * 3];
        for (int f = 0; f < 8; f++) {
            double t = f / 10.0;
            cubic[f * 3] = t * t * t;
            square[f * 3 + 2] = t * t;
        }
        assertEquals(6, MotionMetrics.jerk(clip(10, 1, cubic, 1)), 1e-9);
        assertEquals(2, MotionMetrics.acceleration(clip(10, 1, square, 1)), 1e-9);
        // Units: the same numbers in centimetres with metresPerUnit 0.01 give the same m/s^3.
        double[] cm = cubic.clone();
        for (int i = 0; i < cm.length; i++) cm[i] *= 100;
        assertEquals(6, MotionMetrics.jerk(clip(10, 0.01, cm, 1)), 1e-9);
    }

    @Test
    void cliffRule() {
        List<CliffDetector.Point> sweep = List.of(
                new CliffDetector.Point(0, 0), new CliffDetector.Point(0.001, 0.01), new CliffDetector.Point(0.005, 0.03),
                new CliffDetector.Point(0.01, 0.06), new CliffDetector.Point(0.05, 0.60), new CliffDetector.Point(0.1, 0.9));
        List<CliffDetector.Step> steps = CliffDetector.detect(sweep, CliffRule.RELATIVE_L2);
        assertEquals(5, steps.size());
        // Drops 0.01, 0.02, 0.03 stay under the 0.05 floor; 0.54 > max(0.05, 3 x 0.03); 0.30 < 3 x 0.54.
        assertArrayEquals(new boolean[] {false, false, false, false, true, false}, CliffDetector.flags(sweep, CliffRule.RELATIVE_L2));
        assertEquals(0.54, steps.get(3).drop(), 1e-12);
        assertEquals(0.09, steps.get(3).limit(), 1e-12);
        assertEquals(1.62, steps.get(4).limit(), 1e-12);

        // Higher-is-better metric (PSNR): 40 -> 38 -> 20 dB with a 1 dB floor.
        List<CliffDetector.Point> psnr = List.of(new CliffDetector.Point(0.001, 40), new CliffDetector.Point(0.01, 38), new CliffDetector.Point(0.1, 20));
        assertArrayEquals(new boolean[] {false, true, true}, CliffDetector.flags(psnr, new CliffRule(1, 3, true)));
        // Gradual, equal steps are never a cliff once the floor is passed... except the first.
        List<CliffDetector.Point> linear = List.of(new CliffDetector.Point(1, 0), new CliffDetector.Point(2, 0.1), new CliffDetector.Point(3, 0.2));
        assertArrayEquals(new boolean[] {false, true, false}, CliffDetector.flags(linear, CliffRule.RELATIVE_L2));
        assertThrows(IllegalArgumentException.class, () -> CliffDetector.detect(
                List.of(new CliffDetector.Point(1, 0), new CliffDetector.Point(1, 0.1)), CliffRule.RELATIVE_L2));
    }
}
