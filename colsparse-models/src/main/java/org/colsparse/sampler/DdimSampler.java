package org.colsparse.sampler;

import ai.djl.ndarray.NDArray;

import java.util.SplittableRandom;

/** DDIM (Song et al. 2021, eq. 12): eta = 0 is deterministic, eta = 1 has DDPM's posterior variance. */
public final class DdimSampler extends Sampler {
    private final double eta;
    private final double finalAlphaBar;

    public DdimSampler(NoiseSchedule schedule, double eta) {
        this(schedule, eta, 1);
    }

    /**
     * @param finalAlphaBar the alpha-bar the last step lands on: 1 (a clean sample) by default;
     *                      diffusers' {@code set_alpha_to_one=False} (Stable Diffusion) uses the
     *                      first training step's alpha-bar instead
     */
    public DdimSampler(NoiseSchedule schedule, double eta, double finalAlphaBar) {
        super(schedule);
        if (!(finalAlphaBar > 0 && finalAlphaBar <= 1)) {
            throw new IllegalArgumentException("final alpha-bar must be in (0, 1], got " + finalAlphaBar);
        }
        this.finalAlphaBar = finalAlphaBar;
        if (!(eta >= 0 && eta <= 1)) {
            throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        }
        this.eta = eta;
    }

    /** Coefficients of step k: x' = a * x0 + b * eps + sigma * z, where x0 = (x - sqrt(1 - ab) eps) / sqrt(ab). */
    public double[] coefficients(int k) {
        double ab = schedule.alphaBar(k);
        double abPrev = k == 0 ? finalAlphaBar : schedule.alphaBar(k - 1);
        double sigma = eta * Math.sqrt((1 - abPrev) / (1 - ab) * (1 - ab / abPrev));
        return new double[] {Math.sqrt(abPrev), Math.sqrt(Math.max(0, 1 - abPrev - sigma * sigma)), sigma};
    }

    @Override
    protected NDArray update(NDArray x, NDArray eps, int k, SplittableRandom rng) {
        double ab = schedule.alphaBar(k);
        double[] c = coefficients(k);
        NDArray x0 = x.sub(eps.mul((float) Math.sqrt(1 - ab))).div((float) Math.sqrt(ab));
        NDArray next = x0.mul((float) c[0]).add(eps.mul((float) c[1]));
        return c[2] == 0 ? next : next.add(noiseLike(x, rng).mul((float) c[2]));
    }
}
