package org.colsparse.sampler;

import ai.djl.ndarray.NDArray;

import java.util.SplittableRandom;

/**
 * DDPM and DDIM steps for networks that predict the clean sample x0 (MDM, EDGE): the model passed
 * to {@link #sample} returns x0, not noise. The step is written on x0 as the x0-predicting
 * codebases write it, because going through a noise estimate divides by {@code sqrt(alphaBar)},
 * which at the last training timestep of a cosine schedule (~5e-5) turns float32 rounding into a
 * visible error.
 */
public final class X0Sampler extends Sampler {
    private final DdpmSampler.Variance variance;
    private final double eta;

    private X0Sampler(NoiseSchedule schedule, DdpmSampler.Variance variance, double eta) {
        super(schedule);
        this.variance = variance;
        this.eta = eta;
    }

    /**
     * Ancestral sampling from the posterior q(x_(k-1) | x_k, x0): mean {@code coef1 x0 + coef2 x}
     * (guided-diffusion's {@code q_posterior_mean_variance}), variance per {@code variance}.
     */
    public static X0Sampler ddpm(NoiseSchedule schedule, DdpmSampler.Variance variance) {
        return new X0Sampler(schedule, variance, Double.NaN);
    }

    /** DDIM (Song et al. 2021, eq. 12) from x0: {@code x' = sqrt(ab') x0 + sqrt(1 - ab' - sigma^2) eps + sigma z}. */
    public static X0Sampler ddim(NoiseSchedule schedule, double eta) {
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        }
        return new X0Sampler(schedule, null, eta);
    }

    /**
     * Coefficients of step k. DDPM: {@code x' = c0 x0 + c1 x + c2 z}. DDIM: {@code x' = c0 x0 + c1 eps + c2 z}
     * with {@code eps = (x - sqrt(ab) x0) / sqrt(1 - ab)}.
     */
    public double[] coefficients(int k) {
        double ab = schedule.alphaBar(k);
        double abPrev = k == 0 ? 1 : schedule.alphaBar(k - 1);
        if (variance != null) {
            double beta = schedule.beta(k);
            double sigma2 = variance == DdpmSampler.Variance.FIXED_LARGE ? beta : beta * (1 - abPrev) / (1 - ab);
            return new double[] {beta * Math.sqrt(abPrev) / (1 - ab), (1 - abPrev) * Math.sqrt(1 - beta) / (1 - ab), k == 0 ? 0 : Math.sqrt(sigma2)};
        }
        double sigma = eta * Math.sqrt((1 - abPrev) / (1 - ab) * (1 - ab / abPrev));
        return new double[] {Math.sqrt(abPrev), Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma)), sigma};
    }

    @Override
    protected NDArray update(NDArray x, NDArray x0, int k, SplittableRandom rng) {
        double[] c = coefficients(k);
        NDArray next;
        if (variance != null) {
            next = x0.mul((float) c[0]).add(x.mul((float) c[1]));
        } else {
            double ab = schedule.alphaBar(k);
            NDArray eps = x.sub(x0.mul((float) Math.sqrt(ab))).div((float) Math.sqrt(1 - ab));
            next = x0.mul((float) c[0]).add(eps.mul((float) c[1]));
        }
        return c[2] == 0 ? next : next.add(noiseLike(x, rng).mul((float) c[2]));
    }
}
