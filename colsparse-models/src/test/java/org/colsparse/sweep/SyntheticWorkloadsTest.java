package org.colsparse.sweep;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.accuracy.CliffRule;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.motion.FeatureNormalizer;
import org.colsparse.motion.MotionFeatures;
import org.colsparse.runtime.GeluForm;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.SiteLayout;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.StepListener;
import org.colsparse.workload.Modality;
import org.colsparse.workload.SiteRole;
import org.colsparse.workload.WorkloadGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sweep on stand-in workloads of the other modalities, through the same registry interface the
 * real ones implement: a "sampler" that is one GELU site on seeded noise, so the pipeline from tap
 * to modality metrics is exercised for video (built-in adapter) and motion (the workload's own decoder).
 */
class SyntheticWorkloadsTest {
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = Torch.manager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** Output = noise + GELU(noise): zeroing the GELU's small outputs changes it by exactly those. */
    private static class OneSite implements LoadedWorkload {
        final DenoiserInfo info;
        final long[] shape;
        final GeluSite site;

        OneSite(String id, Modality modality, long[] shape) {
            int channels = (int) shape[shape.length - 1];
            this.info = new DenoiserInfo(id, WorkloadGroup.PURE_TRANSFORMER, modality, org.colsparse.workload.GeluVariant.EXACT, "stand-in", List.of(new SiteSpec("gelu", channels, 1, SiteRole.TIME_MLP)),
                    "none", "one GELU on seeded noise", 1, 1, 1000);
            this.shape = shape.clone();
            this.site = new GeluSite(0, "gelu", channels, GeluForm.EXACT, SiteLayout.CHANNEL_LAST, SiteRole.TIME_MLP);
        }

        @Override
        public DenoiserInfo info() {
            return info;
        }

        @Override
        public List<GeluSite> sites() {
            return List.of(site);
        }

        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            long[] s = shape.clone();
            s[0] = samples;
            SplittableRandom rng = new SplittableRandom(seed);
            float[] v = new float[(int) Arrays.stream(s).reduce(1, (a, b) -> a * b)];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (0.5 * rng.nextGaussian());
            }
            try (NDManager run = manager.newSubManager()) {
                NDArray x = run.create(v, new Shape(s));
                listener.beforeStep(0, 1, 0);
                return new Samples(x.add(site.apply(x, tap)).toFloatArray(), s);
            }
        }

        @Override
        public Path writePreview(Samples samples, Path dir) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    /** A motion stand-in with 3 joints whose features decode through forward kinematics. */
    private static final class Motion extends OneSite {
        static final String[] NAMES = {"Hips", "LeftToe", "RightToe"};

        Motion() {
            super("motion-standin", Modality.MOTION, new long[] {1, 8, MotionFeatures.dimension(3)});
        }

        @Override
        public Decoders.Choice decoding() {
            int d = MotionFeatures.dimension(3);
            double[] mean = new double[d];
            double[] std = new double[d];
            Arrays.fill(std, 0.1);
            mean[0] = 1.0; // root 1 m above the floor
            return new Decoders.Choice(Decoders.OWN,
                    s -> Decoders.motion(s, new FeatureNormalizer(mean, std), NAMES, new int[] {-1, 0, 0}, 20, false, "LeftToe", "RightToe"));
        }
    }

    private static AccuracySweep.Result sweep(LoadedWorkload w, double... thresholds) {
        return AccuracySweep.run(w, new AccuracySweep.Config(2, 1, 3, thresholds, 4, CliffRule.RELATIVE_L2), AccuracySweep.Progress.NONE);
    }

    @Test
    void videoGetsFrameMetricsFromTheBuiltInAdapter() {
        AccuracySweep.Result r = sweep(new OneSite("video-standin", Modality.VIDEO, new long[] {1, 3, 4, 12, 12}), 0, 1e9);
        AccuracySweep.Point zero = r.points().get(0), huge = r.points().get(1);
        assertEquals(0.0, zero.relativeL2());
        assertEquals(Double.POSITIVE_INFINITY, zero.metrics().get(Metric.FRAME_PSNR_MIN));
        assertEquals(1.0, zero.metrics().get(Metric.FRAME_SSIM_MIN));
        assertEquals(0.0, zero.metrics().get(Metric.TEMPORAL_CHANGE_ERROR));
        assertTrue(huge.metrics().get(Metric.FRAME_PSNR_MIN) < 40);
        assertTrue(huge.metrics().get(Metric.SSIM) < 1);
        assertTrue(huge.metrics().get(Metric.TEMPORAL_CHANGE_ERROR) > 0);
        assertEquals(1.0, huge.elementSparsity());
        assertEquals(1.0, huge.columnSparsity());
    }

    @Test
    void motionGetsJointMetricsFromItsOwnDecoder() {
        AccuracySweep.Result r = sweep(new Motion(), 0, 0.01, 1e9);
        assertEquals("the workload's own decoder", r.decoding());
        AccuracySweep.Point zero = r.points().get(0);
        assertEquals(0.0, zero.metrics().get(Metric.MPJPE));
        assertEquals(zero.metrics().get(Metric.JERK_DENSE), zero.metrics().get(Metric.JERK));
        assertEquals(zero.metrics().get(Metric.FOOT_SKATE_DENSE), zero.metrics().get(Metric.FOOT_SKATE));
        double small = r.points().get(1).metrics().get(Metric.MPJPE);
        double huge = r.points().get(2).metrics().get(Metric.MPJPE);
        assertTrue(small > 0 && huge > small, small + " then " + huge);
        assertFalse(r.points().get(2).metrics().containsKey(Metric.PSNR));
        // GELU(x) ~ x / 2 near 0, so |GELU(x)| <= 0.01 for |x| <~ 0.02: P(|N(0, 0.5^2)| < 0.02) = 3.2 %
        // (2 x 8 x 9 = 144 elements, so a few points either way)
        double s = r.points().get(1).elementSparsity();
        assertTrue(s > 0.005 && s < 0.08, "element sparsity " + s);
    }

    @Test
    void audioWithoutItsOwnDecoderReportsRelativeL2Only() {
        AccuracySweep.Result r = sweep(new OneSite("audio-standin", Modality.AUDIO, new long[] {1, 16, 8}), 0.1);
        assertTrue(r.decoding().startsWith("none: audio needs"), r.decoding());
        assertTrue(r.points().get(0).metrics().isEmpty());
        assertTrue(r.points().get(0).relativeL2() > 0);
    }
}
