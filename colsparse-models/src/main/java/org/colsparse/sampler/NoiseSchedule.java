package org.colsparse.sampler;

import java.util.Arrays;

/**
 * A discrete diffusion schedule, possibly respaced: step {@code k} (0 = least noisy) has noise
 * variance increment {@code betas[k]}, cumulative signal {@code alphaBars[k]}, and calls the model at
 * the original timestep {@code timesteps[k]} of the schedule it was trained on.
 */
public record NoiseSchedule(double[] betas, double[] alphaBars, int[] timesteps) {
    public NoiseSchedule {
        if (betas.length == 0 || betas.length != alphaBars.length || betas.length != timesteps.length) {
            throw new IllegalArgumentException("schedule arrays differ in length or are empty");
        }
        betas = betas.clone();
        alphaBars = alphaBars.clone();
        timesteps = timesteps.clone();
    }

    /** DDPM's linear schedule: betas evenly spaced from {@code start} to {@code end} over T steps. */
    public static NoiseSchedule linear(int trainingSteps, double start, double end) {
        double[] betas = new double[trainingSteps];
        for (int t = 0; t < trainingSteps; t++) {
            betas[t] = trainingSteps == 1 ? start : start + (end - start) * t / (trainingSteps - 1);
        }
        return fromBetas(betas);
    }

    /**
     * Latent diffusion's "scaled_linear" schedule (CompVis LDM {@code make_beta_schedule("linear")},
     * diffusers {@code beta_schedule="scaled_linear"}): square roots of the betas evenly spaced,
     * {@code beta_t = (sqrt(start) + (sqrt(end) - sqrt(start)) t / (T - 1))^2}.
     */
    public static NoiseSchedule scaledLinear(int trainingSteps, double start, double end) {
        double[] betas = new double[trainingSteps];
        double a = Math.sqrt(start);
        double b = Math.sqrt(end);
        for (int t = 0; t < trainingSteps; t++) {
            double r = trainingSteps == 1 ? a : a + (b - a) * t / (trainingSteps - 1);
            betas[t] = r * r;
        }
        return fromBetas(betas);
    }

    /** Improved DDPM's cosine schedule (Nichol & Dhariwal 2021, eq. 17), s = 0.008, betas capped at 0.999. */
    public static NoiseSchedule cosine(int trainingSteps) {
        double[] betas = new double[trainingSteps];
        for (int t = 0; t < trainingSteps; t++) {
            double a1 = cosineF((double) t / trainingSteps);
            double a2 = cosineF((double) (t + 1) / trainingSteps);
            betas[t] = Math.min(1 - a2 / a1, 0.999);
        }
        return fromBetas(betas);
    }

    private static double cosineF(double u) {
        double c = Math.cos((u + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    /** Schedule from betas; alphaBars is their cumulative product of (1 - beta). */
    public static NoiseSchedule fromBetas(double[] betas) {
        double[] ab = new double[betas.length];
        double acc = 1;
        int[] ts = new int[betas.length];
        for (int t = 0; t < betas.length; t++) {
            acc *= 1 - betas[t];
            ab[t] = acc;
            ts[t] = t;
        }
        return new NoiseSchedule(betas, ab, ts);
    }

    public int steps() {
        return betas.length;
    }

    /**
     * Improved DDPM's respacing: keep {@code n} timesteps evenly spaced over the schedule (both ends
     * included, rounded), and recompute betas so each kept step jumps between their alphaBars:
     * {@code beta_k = 1 - alphaBar_k / alphaBar_(k-1)}. {@code n == steps()} returns this schedule
     * unchanged, so the full sampler keeps the trained betas bit for bit.
     */
    public NoiseSchedule respace(int n) {
        int total = steps();
        if (n < 1 || n > total) {
            throw new IllegalArgumentException("cannot respace " + total + " steps to " + n);
        }
        if (n == total) {
            return this;
        }
        int[] keep = new int[n];
        double stride = n == 1 ? 0 : (double) (total - 1) / (n - 1);
        for (int i = 0; i < n; i++) {
            keep[i] = (int) Math.round(i * stride);
        }
        double[] b = new double[n];
        double[] ab = new double[n];
        int[] ts = new int[n];
        double last = 1;
        for (int i = 0; i < n; i++) {
            ab[i] = alphaBars[keep[i]];
            b[i] = 1 - ab[i] / last;
            ts[i] = timesteps[keep[i]];
            last = ab[i];
        }
        return new NoiseSchedule(b, ab, ts);
    }

    /**
     * diffusers' "leading" timestep spacing (DDIMScheduler.set_timesteps, the Stable Diffusion
     * default; CompVis {@code make_ddim_timesteps("uniform")} gives the same grid): keep timesteps
     * {@code i * (T / n) + offset}, {@code i = 0..n-1}, with integer division, so SD 1.5's 50 steps
     * call the model at 1, 21, ..., 981 ({@code steps_offset} 1). Betas are recomputed between kept
     * steps as in {@link #respace}; what comes after the last step is the sampler's business
     * (see {@link DdimSampler#DdimSampler(NoiseSchedule, double, double)}).
     */
    public NoiseSchedule leading(int n, int offset) {
        int total = steps();
        if (n < 1 || n > total) {
            throw new IllegalArgumentException("cannot space " + total + " steps to " + n);
        }
        int ratio = total / n;
        if (offset < 0 || (n - 1) * ratio + offset >= total) {
            throw new IllegalArgumentException("offset " + offset + " leaves the schedule of " + total + " steps");
        }
        double[] b = new double[n];
        double[] ab = new double[n];
        int[] ts = new int[n];
        double last = 1;
        for (int i = 0; i < n; i++) {
            int keep = i * ratio + offset;
            ab[i] = alphaBars[keep];
            b[i] = 1 - ab[i] / last;
            ts[i] = timesteps[keep];
            last = ab[i];
        }
        return new NoiseSchedule(b, ab, ts);
    }

    @Override
    public double[] betas() {
        return betas.clone();
    }

    @Override
    public double[] alphaBars() {
        return alphaBars.clone();
    }

    @Override
    public int[] timesteps() {
        return timesteps.clone();
    }

    double beta(int k) {
        return betas[k];
    }

    double alphaBar(int k) {
        return alphaBars[k];
    }

    int timestep(int k) {
        return timesteps[k];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseSchedule s && Arrays.equals(betas, s.betas) && Arrays.equals(alphaBars, s.alphaBars)
                && Arrays.equals(timesteps, s.timesteps);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(betas) * 31 + Arrays.hashCode(timesteps);
    }

    @Override
    public String toString() {
        return "NoiseSchedule[" + steps() + " steps]";
    }
}
