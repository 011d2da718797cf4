package org.colsparse.onnx.card;

import org.colsparse.onnx.sampling.CardSampler;
import org.colsparse.sampler.NoiseSchedule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The schedules the fixture cards name, against published numbers and hand-worked formulas (never
 * against org.colsparse.sampler itself).
 */
class CardScheduleTest {
    private static CardSampler sampler(String fixture) {
        return new CardSampler(ModelCardLoader.load(ModelCardLoaderTest.FIXTURES.resolve(fixture + "/card.yaml")));
    }

    /**
     * DDPM's linear betas 1e-4 .. 0.02 over 1000 steps: alpha-bar_0 = 1 - 1e-4, alpha-bar_999 = 4.0358e-5
     * (the value behind DDPM's "L_T ~ 1e-5 bits"; diffusers' DDPMScheduler alphas_cumprod[-1]).
     */
    @Test
    void ditCardHasDdpmsLinearSchedule() {
        double[] ab = sampler("dit-tiny").trainedSchedule().alphaBars();
        assertEquals(1000, ab.length);
        assertEquals(0.9999, ab[0], 1e-15);
        assertEquals(4.0358e-5, ab[999], 1e-9);
        // alpha-bar_1 by hand: (1 - 1e-4) (1 - (1e-4 + 0.0199 / 999))
        assertEquals(0.9999 * (1 - (1e-4 + 0.0199 / 999)), ab[1], 1e-15);
    }

    /** DiT's create_diffusion("250"): space_timesteps(1000, [250]) keeps round(i * 999 / 249), half to even. */
    @Test
    void ditCardKeepsIddpmsTimesteps() {
        int[] ts = sampler("dit-tiny").schedule().timesteps();
        assertEquals(250, ts.length);
        assertArrayEquals(new int[] {0, 4, 8, 12, 16, 20, 24, 28}, java.util.Arrays.copyOf(ts, 8));
        // i = 120..125: 481.45, 485.46, 489.47, 493.48, 497.49, 501.50 (the last rounds up: 501.506)
        assertArrayEquals(new int[] {481, 485, 489, 493, 497, 502}, java.util.Arrays.copyOfRange(ts, 120, 126));
        assertArrayEquals(new int[] {991, 995, 999}, java.util.Arrays.copyOfRange(ts, 247, 250));
    }

    /**
     * Stable Diffusion's scaled-linear betas 0.00085 .. 0.012: alpha-bar_999 = 0.004660 (Lin et al. 2023,
     * "Common Diffusion Noise Schedules and Sample Steps are Flawed": sqrt = 0.0683), DDIM's leading spacing
     * with steps_offset 1 at 50 steps calls 981, 961, ..., 1 (diffusers' documented SD timesteps).
     */
    @Test
    void unetCardHasStableDiffusionsSchedule() {
        CardSampler s = sampler("unet-tiny");
        double[] ab = s.trainedSchedule().alphaBars();
        assertEquals(0.99915, ab[0], 1e-15);
        assertEquals(0.004660, ab[999], 1e-6);
        NoiseSchedule kept = s.schedule();
        int[] expected = new int[50];
        for (int i = 0; i < 50; i++) {
            expected[i] = 1 + 20 * i;
        }
        assertArrayEquals(expected, kept.timesteps());
        assertEquals(ab[981], kept.alphaBars()[49], 0);
    }

    /**
     * Improved DDPM's cosine schedule (Nichol & Dhariwal 2021, eq. 17): the betas telescope, so wherever no
     * beta is capped alpha-bar after step t is f((t + 1) / T) / f(0), f(u) = cos^2((u + 0.008) / 1.008 pi / 2).
     */
    @Test
    void cosineScheduleIsNicholAndDhariwals(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("m.onnx"), new byte[] {0});
        Files.writeString(dir.resolve("card.yaml"), """
                workload: cosine
                group: conv
                modality: image
                model: m.onnx
                inputs:
                  sample: {name: x, shape: [1, 1, 4, 4], dtype: float32}
                  timestep: {name: t, shape: [1], dtype: int64, convention: ddpm-index}
                output: {name: eps, shape: [1, 1, 4, 4], predicts: epsilon}
                sampler:
                  kind: ddpm
                  steps: 100
                  training_steps: 1000
                  beta_schedule: {kind: cosine}
                  spacing: linspace
                  variance: fixed-large
                """);
        double[] ab = new CardSampler(ModelCardLoader.load(dir.resolve("card.yaml"))).trainedSchedule().alphaBars();
        for (int t : new int[] {0, 1, 499, 900}) {
            double f = Math.pow(Math.cos(((t + 1) / 1000.0 + 0.008) / 1.008 * Math.PI / 2), 2);
            double f0 = Math.pow(Math.cos(0.008 / 1.008 * Math.PI / 2), 2);
            assertEquals(f / f0, ab[t], 1e-12, "t = " + t);
        }
    }
}
