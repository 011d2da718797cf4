package org.colsparse.sampler;

import ai.djl.ndarray.NDArray;

import java.util.SplittableRandom;

/** DDPM ancestral sampling (Ho et al. 2020, Algorithm 2) over a possibly respaced schedule. */
public final class DdpmSampler extends Sampler {
    /** The reverse-step variance sigma_k^2. */
    public enum Variance {
        /** beta_k (DDPM's sigma^2 = beta; what ddpm-mnist's author samples with). */
        FIXED_LARGE,
        /** The posterior variance beta_k (1 - alphaBar_(k-1)) / (1 - alphaBar_k). */
        FIXED_SMALL
    }

    private final Variance variance;

    public DdpmSampler(NoiseSchedule schedule, Variance variance) {
        super(schedule);
        this.variance = variance;
    }

    /** Coefficients of step k: x' = (x - c1 * eps) / c2 + sigma * z. */
    public double[] coefficients(int k) {
        double beta = schedule.beta(k);
        double ab = schedule.alphaBar(k);
        double abPrev = k == 0 ? 1 : schedule.alphaBar(k - 1);
        double sigma2 = variance == Variance.FIXED_LARGE ? beta : beta * (1 - abPrev) / (1 - ab);
        return new double[] {beta / Math.sqrt(1 - ab), Math.sqrt(1 - beta), k == 0 ? 0 : Math.sqrt(sigma2)};
    }

    @Override
    protected NDArray update(NDArray x, NDArray eps, int k, SplittableRandom rng) {
        double[] c = coefficients(k);
        NDArray next = x.sub(eps.mul((float) c[0])).div((float) c[1]);
        return k == 0 ? next : next.add(noiseLike(x, rng).mul((float) c[2]));
    }
}
