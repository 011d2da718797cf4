package org.colsparse.sweep;

import org.colsparse.accuracy.CliffRule;
import org.colsparse.dataset.MelSegments;
import org.colsparse.denoiser.Samples;
import org.colsparse.motion.FeatureNormalizer;
import org.colsparse.motion.MotionFeatures;
import org.colsparse.motion.MotionClip;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoders, per-modality comparisons and the cliff flags on hand-made inputs with known values. */
class FidelityTest {
    @Test
    void identicalImagesArePerfect() {
        double[] v = new double[2 * 12 * 12];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 37 % 101) / 100.0;
        }
        ModalOutput.Image a = new ModalOutput.Image(v, 2, 12, 12, 1.0);
        Map<Metric, Double> m = Fidelity.compare(a, a);
        assertEquals(Double.POSITIVE_INFINITY, m.get(Metric.PSNR));
        assertEquals(1.0, m.get(Metric.SSIM));
        assertEquals(List.of(Metric.PSNR, Metric.SSIM), new ArrayList<>(m.keySet()));
    }

    @Test
    void uniformOffsetGivesHandComputedPsnr() {
        double[] ref = new double[16 * 16];
        double[] test = new double[16 * 16];
        java.util.Arrays.fill(ref, 0.5);
        java.util.Arrays.fill(test, 0.6);
        Map<Metric, Double> m = Fidelity.compare(new ModalOutput.Image(ref, 1, 16, 16, 1.0), new ModalOutput.Image(test, 1, 16, 16, 1.0));
        // MSE 0.01, range 1: 10 log10(1 / 0.01) = 20 dB
        assertEquals(20.0, m.get(Metric.PSNR), 1e-9);
        // constant planes: variances 0, so SSIM = (2 * 0.5 * 0.6 + C1) / (0.25 + 0.36 + C1), C1 = 1e-4
        assertEquals((0.6 + 1e-4) / (0.61 + 1e-4), m.get(Metric.SSIM), 1e-12);
    }

    @Test
    void ddpmMnistPixelsAreShiftedAndClipped() {
        Samples s = new Samples(new float[] {-0.5f, 0f, 0.25f, 0.7f}, new long[] {1, 1, 2, 2});
        ModalOutput.Image img = Decoders.image(s, 0.5, 1.0);
        assertArrayEquals(new double[] {0, 0.5, 0.75, 1.0}, img.values(), 0);
        assertEquals(1, img.planes());
    }

    @Test
    void videoIsReorderedFromChannelsFirstToFrameMajor() {
        // (N=1, C=2, F=2, H=1, W=1): value = 0.1 * (10 c + f), stored c-major
        float[] v = {0.0f, 0.1f, 1.0f, 0.9f};
        ModalOutput.Video video = Decoders.videoChannelsFirst(new Samples(v, new long[] {1, 2, 2, 1, 1}));
        // frame 0: (c0, c1) = (0.0, 1.0), frame 1: (0.1, 0.9); mapped (x + 1) / 2
        assertArrayEquals(new double[] {0.5, 1.0, 0.55, 0.95}, video.values(), 1e-7);
        assertEquals(2, video.frames());
        assertEquals(2, video.channels());
    }

    @Test
    void fourDimensionalVideoIsOneChannelPerFrame() {
        // (N=1, F=3, H=1, W=1): the tiny AnimateDiff's grey frames
        ModalOutput.Video video = Decoders.videoChannelsFirst(new Samples(new float[] {-1f, 0f, 1f}, new long[] {1, 3, 1, 1}));
        assertArrayEquals(new double[] {0.0, 0.5, 1.0}, video.values(), 1e-7);
        assertEquals(3, video.frames());
        assertEquals(1, video.channels());
    }

    @Test
    void videoMetricsFindTheWorstFrameAndFlicker() {
        int f = 3, h = 12, w = 12, size = h * w;
        double[] ref = new double[f * size];
        double[] test = new double[f * size];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = 0.5;
            test[i] = i >= size && i < 2 * size ? 0.6 : 0.5; // only the middle frame is off, by 0.1
        }
        Map<Metric, Double> m = Fidelity.compare(new ModalOutput.Video(ref, 1, f, 1, h, w, 1.0), new ModalOutput.Video(test, 1, f, 1, h, w, 1.0));
        assertEquals(20.0, m.get(Metric.FRAME_PSNR_MIN), 1e-9);
        // overall MSE is a third of the middle frame's: 20 + 10 log10(3)
        assertEquals(20 + 10 * Math.log10(3), m.get(Metric.PSNR), 1e-9);
        // static dense clip, changing test clip: relative temporal error is infinite
        assertEquals(Double.POSITIVE_INFINITY, m.get(Metric.TEMPORAL_CHANGE_ERROR));
        assertTrue(m.get(Metric.FRAME_SSIM_MIN) < 1);
    }

    @Test
    void melMetrics() {
        // two frames of two bands; the test is louder by ln 2 in magnitude everywhere: 20 log10(2) dB per band
        double[] ref = {0, 0, 0, 0};
        double[] test = {Math.log(2), Math.log(2), Math.log(2), Math.log(2)};
        Map<Metric, Double> m = Fidelity.compare(new ModalOutput.Mel(ref, 1, 2, 2, 1), new ModalOutput.Mel(test, 1, 2, 2, 1));
        assertEquals(20 * Math.log10(2), m.get(Metric.LSD), 1e-9);
        // linear magnitudes 1 vs 2: SNR = 10 log10(4 / 4) = 0 dB
        assertEquals(0.0, m.get(Metric.SNR), 1e-12);
    }

    @Test
    void motionMetricsUseMetresAndKeepTheDenseValues() {
        String[] names = {"Hips", "LeftToe", "RightToe"};
        int[] parents = {-1, 0, 0};
        int frames = 5;
        double[] ref = new double[frames * 3 * 3];
        double[] test = new double[ref.length];
        for (int fr = 0; fr < frames; fr++) {
            for (int j = 0; j < 3; j++) {
                int at = (fr * 3 + j) * 3;
                ref[at + 1] = j == 0 ? 1.0 : 0.0;
                test[at + 1] = ref[at + 1];
                test[at] = j == 0 ? 0.0 : 0.01 * fr; // the toes slide 1 cm per frame along x
            }
        }
        MotionClip r = new MotionClip(names, parents, 20, 1.0, ref);
        MotionClip t = new MotionClip(names, parents, 20, 1.0, test);
        Map<Metric, Double> m = Fidelity.compare(new ModalOutput.Motion(List.of(r), new int[] {1, 2}),
                new ModalOutput.Motion(List.of(t), new int[] {1, 2}));
        // mean over 3 joints x 5 frames of the toe displacement 0.01 f (hips 0): 2 * 0.01 * (0+1+2+3+4) / 15
        assertEquals(2 * 0.01 * 10 / 15, m.get(Metric.MPJPE), 1e-12);
        assertEquals(0.01 * 20, m.get(Metric.FOOT_SKATE), 1e-12, "1 cm per frame at 20 fps");
        assertEquals(0.0, m.get(Metric.FOOT_SKATE_DENSE));
        assertEquals(0.0, m.get(Metric.JERK), 1e-9, "constant velocity has no jerk");
        assertEquals(0.0, m.get(Metric.JERK_DENSE));
    }

    /**
     * MLD's tiny samples jitter so much that no toe is on the floor two frames in a row: foot skate
     * is then absent (nothing to measure), never a perfect 0, and a clip that has contact is averaged alone.
     */
    @Test
    void footSkateIsAbsentWhenTheFeetNeverTouchTheFloor() {
        String[] names = {"Hips", "LeftToe", "RightToe"};
        int[] parents = {-1, 0, 0};
        int frames = 6;
        double[] hover = new double[frames * 3 * 3];
        double[] planted = new double[hover.length];
        for (int fr = 0; fr < frames; fr++) {
            for (int j = 1; j < 3; j++) {
                int at = (fr * 3 + j) * 3;
                hover[at + 1] = fr % 2 == 0 ? 0.0 : 0.5; // down every other frame only
                planted[at] = 0.01 * fr; // on the floor, sliding 1 cm per frame
            }
        }
        MotionClip h = new MotionClip(names, parents, 20, 1.0, hover);
        MotionClip p = new MotionClip(names, parents, 20, 1.0, planted);
        int[] feet = {1, 2};
        Map<Metric, Double> none = Fidelity.compare(new ModalOutput.Motion(List.of(h), feet), new ModalOutput.Motion(List.of(h), feet));
        assertFalse(none.containsKey(Metric.FOOT_SKATE), none.toString());
        assertFalse(none.containsKey(Metric.FOOT_SKATE_DENSE), none.toString());
        assertTrue(none.containsKey(Metric.MPJPE));
        Map<Metric, Double> one = Fidelity.compare(new ModalOutput.Motion(List.of(h, p), feet), new ModalOutput.Motion(List.of(h, p), feet));
        assertEquals(0.01 * 20, one.get(Metric.FOOT_SKATE), 1e-12, "the planted clip alone, not halved by the hovering one");
    }

    @Test
    void cliffFlagsFollowTheRuleWithDenseAsPointZero() {
        double[] taus = {0.001, 0.01, 0.1};
        List<double[]> raw = List.of(new double[] {0.001, 0.01}, new double[] {0.01, 0.02}, new double[] {0.1, 0.5});
        // rises 0.01, 0.01, 0.48: only the last exceeds max(0.05, 3 x 0.01)
        assertArrayEquals(new boolean[] {false, false, true}, AccuracySweep.cliffs(taus, raw, CliffRule.RELATIVE_L2));
        // a steep first step is judged against the dense run
        List<double[]> early = List.of(new double[] {0.001, 0.2}, new double[] {0.01, 0.3}, new double[] {0.1, 0.35});
        assertArrayEquals(new boolean[] {true, false, false}, AccuracySweep.cliffs(taus, early, CliffRule.RELATIVE_L2));
        // threshold 0 in the sweep replaces the dense point; the first diverged run is a cliff
        double[] withZero = {0, 0.01, 0.1};
        List<double[]> diverged = List.of(new double[] {0, 0}, new double[] {0.01, 0.01}, new double[] {0.1, Double.POSITIVE_INFINITY});
        assertArrayEquals(new boolean[] {false, false, true}, AccuracySweep.cliffs(withZero, diverged, CliffRule.RELATIVE_L2));
    }

    @Test
    void rawOutputsHaveNoModalityMetrics() {
        assertFalse(Fidelity.compare(new ModalOutput.Raw(), new ModalOutput.Raw()).containsKey(Metric.PSNR));
    }

    @Test
    void melIsDenormalizedAndMadeFrameMajor() {
        MelSegments.Stats stats = new MelSegments.Stats(-3.0, 2.0);
        // one clip, 2 bands x 3 frames stored bands-first: value = band * 10 + frame (normalized units)
        float[] v = {0, 1, 2, 10, 11, 12};
        ModalOutput.Mel mel = Decoders.mel(new Samples(v, new long[] {1, 1, 2, 3}), stats, 1, true);
        assertEquals(3, mel.frames());
        assertEquals(2, mel.bands());
        // frame-major, x * 2 - 3
        assertArrayEquals(new double[] {-3, 17, -1, 19, 1, 21}, mel.logMel(), 1e-6);
    }

    @Test
    void motionFeaturesDecodeBackToTheClip() {
        String[] names = {"Hips", "LeftToe", "RightToe"};
        int[] parents = {-1, 0, 0};
        double[] xyz = new double[4 * 3 * 3];
        for (int i = 0; i < xyz.length; i++) {
            xyz[i] = Math.sin(0.7 * i);
        }
        for (int f = 0; f < 4; f++) {
            xyz[f * 9] = 0.1 * f; // root walks along x from the origin
            xyz[f * 9 + 2] = 0;
        }
        xyz[0] = 0;
        MotionClip clip = new MotionClip(names, parents, 20, 1.0, xyz);
        double[] features = MotionFeatures.encode(clip);
        int d = MotionFeatures.dimension(3);
        double[] mean = new double[d];
        double[] std = new double[d];
        for (int k = 0; k < d; k++) {
            mean[k] = 0.5 * k;
            std[k] = 1 + k;
        }
        FeatureNormalizer norm = new FeatureNormalizer(mean, std);
        double[] normalized = norm.normalize(features);
        // stored features-first, (N = 1, D, frames)
        float[] v = new float[normalized.length];
        for (int t = 0; t < 4; t++) {
            for (int k = 0; k < d; k++) {
                v[k * 4 + t] = (float) normalized[t * d + k];
            }
        }
        ModalOutput.Motion m = Decoders.motion(new Samples(v, new long[] {1, d, 4}), norm, names, parents, 20, true, "LeftToe", "RightToe");
        assertArrayEquals(new int[] {1, 2}, m.feet());
        assertArrayEquals(xyz, m.clips().get(0).xyz(), 1e-5);
    }

    @Test
    void motionSamplesGoThroughTheWorkloadsOwnPerSampleDecoder() {
        String[] names = {"Hips", "LeftToe", "RightToe"};
        // each sample holds 2 frames of 3 joints; the stand-in decoder reads the floats as positions in inches
        float[] v = new float[2 * 2 * 9];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        ModalOutput.Motion m = Decoders.motion(new Samples(v, new long[] {2, 2, 9}),
                f -> new MotionClip(names, new int[] {-1, 0, 0}, 30, 0.0254, toDouble(f)), "RightToe");
        assertEquals(2, m.clips().size());
        assertEquals(18.0, m.clips().get(1).xyz()[0], "second sample starts at float 18");
        assertArrayEquals(new int[] {2}, m.feet());
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
