package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.Sampler;

import java.util.SplittableRandom;

/**
 * MLD's sampler: diffusers' {@code DDIMScheduler} as configs/modules/scheduler.yaml of
 * ChenFengYe/motion-latent-diffusion sets it up (num_train_timesteps 1000, beta_start 0.00085,
 * beta_end 0.012, beta_schedule scaled_linear, clip_sample false, set_alpha_to_one false,
 * steps_offset 1, eta 0, epsilon prediction, 50 inference steps). diffusers computes the schedule in
 * float32: betas = linspace(sqrt(0.00085), sqrt(0.012), 1000)^2, alphas_cumprod their running
 * product; {@code set_timesteps(n)} keeps the "leading" timesteps {@code k * (1000 // n) + 1}
 * (1, 21, ..., 981 for 50), and each step goes to {@code t - 1000 // n}, the last one to
 * {@code final_alpha_cumprod = alphas_cumprod[0]} (set_alpha_to_one false). The existing
 * {@link org.colsparse.sampler.DdimSampler} ends at alphaBar 1 instead, so MLD has its own.
 */
final class FullMldSampler extends Sampler {
    static final int TRAINING_STEPS = 1000;
    private final double finalAlphaBar;

    private FullMldSampler(NoiseSchedule schedule, double finalAlphaBar) {
        super(schedule);
        this.finalAlphaBar = finalAlphaBar;
    }

    /** The scheduler after {@code set_timesteps(steps)}. */
    static FullMldSampler of(int steps) {
        float[] alphaBars = alphasCumprod();
        int ratio = TRAINING_STEPS / steps;
        double[] ab = new double[steps];
        double[] betas = new double[steps];
        int[] ts = new int[steps];
        double last = 1;
        for (int k = 0; k < steps; k++) {
            ts[k] = k * ratio + 1;
            ab[k] = alphaBars[ts[k]];
            // a schedule needs betas; the DDIM update below reads only alphaBars
            betas[k] = 1 - ab[k] / last;
            last = ab[k];
        }
        return new FullMldSampler(new NoiseSchedule(betas, ab, ts), alphaBars[0]);
    }

    /** diffusers' float32 {@code alphas_cumprod} of the scaled_linear schedule. */
    static float[] alphasCumprod() {
        double start = Math.sqrt(0.00085);
        double end = Math.sqrt(0.012);
        float[] out = new float[TRAINING_STEPS];
        float acc = 1f;
        for (int t = 0; t < TRAINING_STEPS; t++) {
            float b = (float) (start + (end - start) * t / (TRAINING_STEPS - 1));
            acc *= 1f - b * b;
            out[t] = acc;
        }
        return out;
    }

    /** alpha_prod_t and alpha_prod_t_prev of schedule step k. */
    double[] alphas(int k) {
        double[] ab = schedule.alphaBars();
        return new double[] {ab[k], k == 0 ? finalAlphaBar : ab[k - 1]};
    }

    @Override
    protected NDArray update(NDArray x, NDArray eps, int k, SplittableRandom rng) {
        double[] a = alphas(k);
        NDArray x0 = x.sub(eps.mul((float) Math.sqrt(1 - a[0]))).div((float) Math.sqrt(a[0]));
        return x0.mul((float) Math.sqrt(a[1])).add(eps.mul((float) Math.sqrt(1 - a[1])));
    }
}
