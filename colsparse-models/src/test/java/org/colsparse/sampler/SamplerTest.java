package org.colsparse.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.GaussianPair;
import org.colsparse.runtime.Torch;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SamplerTest {
    private static final NoiseSchedule TWO = NoiseSchedule.fromBetas(new double[] {0.1, 0.5});

    @Test
    void ddpmStepCoefficientsByHand() {
        DdpmSampler large = new DdpmSampler(TWO, DdpmSampler.Variance.FIXED_LARGE);
        // step k = 1: beta 0.5, alphaBar 0.9 * 0.5 = 0.45
        double[] c = large.coefficients(1);
        assertEquals(0.5 / Math.sqrt(0.55), c[0], 1e-15);
        assertEquals(Math.sqrt(0.5), c[1], 1e-15);
        assertEquals(Math.sqrt(0.5), c[2], 1e-15);
        // posterior variance: 0.5 * (1 - 0.9) / (1 - 0.45)
        assertEquals(Math.sqrt(0.5 * 0.1 / 0.55), new DdpmSampler(TWO, DdpmSampler.Variance.FIXED_SMALL).coefficients(1)[2], 1e-15);
        assertEquals(0, large.coefficients(0)[2], 0, "no noise on the last step");
    }

    @Test
    void ddimEta1HasDdpmPosteriorVarianceAndEta0None() {
        NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02).respace(20);
        DdimSampler eta1 = new DdimSampler(s, 1);
        DdpmSampler small = new DdpmSampler(s, DdpmSampler.Variance.FIXED_SMALL);
        for (int k = 1; k < 20; k++) {
            assertEquals(small.coefficients(k)[2], eta1.coefficients(k)[2], 1e-12);
            assertEquals(0, new DdimSampler(s, 0).coefficients(k)[2], 0);
        }
        // eta 0, k = 1 of TWO: x' = sqrt(0.9) x0 + sqrt(0.1) eps
        double[] c = new DdimSampler(TWO, 0).coefficients(1);
        assertEquals(Math.sqrt(0.9), c[0], 1e-15);
        assertEquals(Math.sqrt(0.1), c[1], 1e-15);
    }

    @Test
    void ddpmTwoStepsByHand() {
        try (NDManager m = Torch.manager()) {
            List<Integer> seen = new ArrayList<>();
            // eps = 0.5 x: each step is x' = x (1 - 0.5 c1) / c2 (+ sigma z)
            NDArray out = new DdpmSampler(TWO, DdpmSampler.Variance.FIXED_LARGE)
                    .sample(m, new Shape(3), (x, t) -> x.mul(0.5f), 7, (i, n, t) -> seen.add(t));
            SplittableRandom rng = new SplittableRandom(7);
            float[] x = GaussianPair.floats(rng, 3);
            float[] z = GaussianPair.floats(rng, 3);
            float[] expect = new float[3];
            for (int i = 0; i < 3; i++) {
                float c1a = (float) (0.5 / Math.sqrt(0.55));
                float x1 = (x[i] - x[i] * 0.5f * c1a) / (float) Math.sqrt(0.5) + z[i] * (float) Math.sqrt(0.5);
                float c1b = (float) (0.1 / Math.sqrt(0.1));
                expect[i] = (x1 - x1 * 0.5f * c1b) / (float) Math.sqrt(0.9);
            }
            assertArrayEquals(expect, out.toFloatArray(), 1e-6f);
            assertEquals(List.of(1, 0), seen);
        }
    }

    @Test
    void sameSeedSameBitsOtherSeedOtherBits() {
        NoiseSchedule s = NoiseSchedule.cosine(50);
        EpsModel model = (x, t) -> x.mul(0.3f).add(t / 100f);
        try (NDManager m = Torch.manager()) {
            for (Sampler sampler : List.of(new DdpmSampler(s, DdpmSampler.Variance.FIXED_LARGE), new DdimSampler(s.respace(10), 1))) {
                float[] a = sampler.sample(m, new Shape(2, 4), model, 42, StepListener.NONE).toFloatArray();
                float[] b = sampler.sample(m, new Shape(2, 4), model, 42, StepListener.NONE).toFloatArray();
                float[] c = sampler.sample(m, new Shape(2, 4), model, 43, StepListener.NONE).toFloatArray();
                assertArrayEquals(a, b);
                assertFalse(java.util.Arrays.equals(a, c));
            }
        }
    }

    @Test
    void classifierFreeGuidanceMakesOnePairedCall() {
        try (NDManager m = Torch.manager()) {
            int[] calls = {0};
            // paired model: conditional rows predict 1, unconditional rows predict 3
            EpsModel paired = (x, t) -> {
                calls[0]++;
                assertEquals(4, x.getShape().get(0));
                return m.create(new float[] {1, 1, 3, 3}, new Shape(4, 1));
            };
            NDArray eps = Guidance.classifierFree(paired, 7.5).predict(m.zeros(new Shape(2, 1)), 0);
            // 3 + 7.5 * (1 - 3) = -12
            assertArrayEquals(new float[] {-12, -12}, eps.toFloatArray());
            assertEquals(1, calls[0]);
        }
    }
}
