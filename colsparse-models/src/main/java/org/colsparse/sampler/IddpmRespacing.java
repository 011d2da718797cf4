package org.colsparse.sampler;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Improved DDPM's respacing exactly as OpenAI's diffusion code (and facebookresearch/DiT's
 * {@code diffusion/respace.py}, {@code space_timesteps} + {@code SpacedDiffusion}) computes it: the
 * kept timesteps are {@code round(i * stride)} accumulated in double precision with Python's
 * round-half-to-even, and the new betas {@code 1 - alphaBar_k / alphaBar_prev} are re-accumulated
 * into alphaBars by a fresh cumulative product, as {@code GaussianDiffusion.__init__} does.
 * {@link NoiseSchedule#respace} rounds {@code i * stride} half-up and keeps the trained alphaBars;
 * both agree for most counts, but samplers that follow that code use this one.
 */
public final class IddpmRespacing {
    private IddpmRespacing() {
    }

    /**
     * {@code get_named_beta_schedule("linear", T)}: DDPM's betas 1e-4 .. 0.02 scaled by 1000 / T,
     * spaced as {@code np.linspace} computes them ({@code t * step + start}, the last one exact),
     * which can differ from {@link NoiseSchedule#linear} in the last bit.
     */
    public static NoiseSchedule linear(int trainingSteps) {
        double scale = 1000.0 / trainingSteps;
        double start = scale * 0.0001;
        double end = scale * 0.02;
        double[] betas = new double[trainingSteps];
        double step = trainingSteps == 1 ? 0 : (end - start) / (trainingSteps - 1);
        for (int t = 0; t < trainingSteps; t++) {
            betas[t] = t * step + start;
        }
        if (trainingSteps > 1) {
            betas[trainingSteps - 1] = end;
        }
        return NoiseSchedule.fromBetas(betas);
    }

    /** {@code space_timesteps(T, [steps])}: one section, the kept timesteps in increasing order. */
    public static int[] keptTimesteps(int trainingSteps, int steps) {
        if (steps < 1 || steps > trainingSteps) {
            throw new IllegalArgumentException("cannot respace " + trainingSteps + " steps to " + steps);
        }
        double stride = steps <= 1 ? 1 : (double) (trainingSteps - 1) / (steps - 1);
        TreeSet<Integer> kept = new TreeSet<>();
        double cur = 0;
        for (int i = 0; i < steps; i++) {
            kept.add((int) Math.rint(cur)); // Python 3's round(): half to even
            cur += stride;
        }
        List<Integer> list = new ArrayList<>(kept);
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    /** The {@code SpacedDiffusion} schedule of {@code trained} (which must not itself be respaced) at {@code steps} steps. */
    public static NoiseSchedule respace(NoiseSchedule trained, int steps) {
        int[] keep = keptTimesteps(trained.steps(), steps);
        double[] trainedAlphaBars = trained.alphaBars();
        int[] trainedTimesteps = trained.timesteps();
        double[] betas = new double[keep.length];
        double[] alphaBars = new double[keep.length];
        int[] timesteps = new int[keep.length];
        double last = 1;
        double acc = 1;
        for (int i = 0; i < keep.length; i++) {
            betas[i] = 1 - trainedAlphaBars[keep[i]] / last;
            last = trainedAlphaBars[keep[i]];
            acc *= 1 - betas[i];
            alphaBars[i] = acc;
            timesteps[i] = trainedTimesteps[keep[i]];
        }
        return new NoiseSchedule(betas, alphaBars, timesteps);
    }
}
