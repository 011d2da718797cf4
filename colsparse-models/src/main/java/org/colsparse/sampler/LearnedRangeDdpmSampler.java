package org.colsparse.sampler;

import ai.djl.ndarray.NDArray;

import java.util.SplittableRandom;

/**
 * Improved DDPM's ancestral sampler for an eps-predicting model that also learns its variance
 * ({@code ModelVarType.LEARNED_RANGE}, Nichol &amp; Dhariwal 2021 §3.1), as OpenAI's
 * {@code gaussian_diffusion.py} {@code p_mean_variance} + {@code p_sample} compute it (the copy in
 * facebookresearch/DiT is the reference here). The model returns {@code 2C} channels on axis 1 for a
 * {@code C}-channel sample: the first {@code C} are the noise, the last {@code C} a value v in
 * [-1, 1] per element that interpolates the log variance between the clipped posterior variance and
 * beta: {@code log sigma^2 = (v + 1)/2 * log(beta_k) + (1 - v)/2 * log(posteriorVariance_k)}.
 * The clean-sample estimate is not clipped ({@code clip_denoised=False}, as DiT's sample.py passes).
 * Coefficients are computed in double precision and applied in the tensors' float32, as that code does.
 */
public final class LearnedRangeDdpmSampler extends Sampler {
    public LearnedRangeDdpmSampler(NoiseSchedule schedule) {
        super(schedule);
    }

    /**
     * Step k's coefficients: {@code [sqrt(1/ab), sqrt(1/ab - 1), posteriorMeanCoef1, posteriorMeanCoef2,
     * minLog (posterior_log_variance_clipped), maxLog (log beta)]}.
     */
    public double[] coefficients(int k) {
        double beta = schedule.beta(k);
        double ab = schedule.alphaBar(k);
        double abPrev = k == 0 ? 1 : schedule.alphaBar(k - 1);
        double minLog;
        if (k > 0) {
            minLog = Math.log(posteriorVariance(k));
        } else if (schedule.steps() > 1) {
            // the posterior variance is 0 at k = 0; the official code clips its log to step 1's
            minLog = Math.log(posteriorVariance(1));
        } else {
            // a 1-step schedule has no step 1; the variance is unused anyway (no noise at k = 0)
            minLog = Math.log(beta);
        }
        return new double[] {
                Math.sqrt(1.0 / ab), Math.sqrt(1.0 / ab - 1),
                beta * Math.sqrt(abPrev) / (1.0 - ab), (1.0 - abPrev) * Math.sqrt(1 - beta) / (1.0 - ab),
                minLog, Math.log(beta)};
    }

    private double posteriorVariance(int k) {
        double ab = schedule.alphaBar(k);
        double abPrev = k == 0 ? 1 : schedule.alphaBar(k - 1);
        return schedule.beta(k) * (1.0 - abPrev) / (1.0 - ab);
    }

    @Override
    protected NDArray update(NDArray x, NDArray output, int k, SplittableRandom rng) {
        return step(x, output, k, k == 0 ? null : noiseLike(x, rng));
    }

    /**
     * One reverse step with the given standard-normal {@code noise} (ignored, and may be null, at k = 0).
     *
     * @param output (B, 2C, ...) model output for x of shape (B, C, ...)
     */
    public NDArray step(NDArray x, NDArray output, int k, NDArray noise) {
        long c = x.getShape().get(1);
        if (output.getShape().get(1) != 2 * c) {
            throw new IllegalArgumentException("learned-range output needs " + 2 * c + " channels, got " + output.getShape());
        }
        double[] co = coefficients(k);
        NDArray eps = output.get(":, 0:" + c);
        NDArray v = output.get(":, " + c + ":");
        NDArray x0 = x.mul((float) co[0]).sub(eps.mul((float) co[1]));
        NDArray mean = x0.mul((float) co[2]).add(x.mul((float) co[3]));
        if (k == 0) {
            return mean;
        }
        NDArray frac = v.add(1f).div(2f);
        NDArray logVar = frac.mul((float) co[5]).add(frac.neg().add(1f).mul((float) co[4]));
        return mean.add(logVar.mul(0.5f).exp().mul(noise));
    }
}
