package org.colsparse.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.tiny.Batch;
import org.colsparse.denoiser.tiny.TinyNet;
import org.colsparse.denoiser.tiny.TrainingData;
import org.colsparse.runtime.GaussianPair;
import org.colsparse.sampler.NoiseSchedule;

import java.util.SplittableRandom;

/**
 * The DDPM training objective (Ho et al. 2020, eq. 14): mean squared error of the predicted noise, or
 * of the predicted clean sample for the families that predict it (MDM, EDGE).
 */
public final class Denoising {
    private Denoising() {
    }

    /**
     * The loss of one batch: uniform timesteps, Gaussian noise, and (for classifier-free guidance)
     * each row's conditioning replaced by the null condition with probability {@code dropCond}.
     */
    public static NDArray loss(TinyNet net, NoiseSchedule schedule, Batch batch, SplittableRandom rng, double dropCond) {
        return loss(net, schedule, batch, rng, dropCond, false);
    }

    /** @param predictsX0 regress the clean sample (MDM, EDGE) instead of the noise */
    public static NDArray loss(TinyNet net, NoiseSchedule schedule, Batch batch, SplittableRandom rng, double dropCond, boolean predictsX0) {
        NDArray x0 = net.encode(batch.x0());
        NDManager m = x0.getManager();
        int b = Math.toIntExact(x0.getShape().get(0));
        float[] t = new float[b];
        float[] signal = new float[b];
        float[] noise = new float[b];
        float[] drop = new float[b];
        double[] alphaBars = schedule.alphaBars();
        for (int i = 0; i < b; i++) {
            int k = rng.nextInt(schedule.steps());
            t[i] = k;
            signal[i] = (float) Math.sqrt(alphaBars[k]);
            noise[i] = (float) Math.sqrt(1 - alphaBars[k]);
            drop[i] = rng.nextDouble() < dropCond ? 1f : 0f;
        }
        NDArray eps = m.create(GaussianPair.floats(rng, Math.toIntExact(x0.size())), x0.getShape());
        NDArray xt = x0.mul(perRow(m, signal, x0.getShape())).add(eps.mul(perRow(m, noise, x0.getShape())));
        NDArray cond = batch.cond();
        if (dropCond > 0) {
            NDArray mask = perRow(m, drop, cond.getShape());
            cond = cond.mul(mask.neg().add(1f)).add(net.nullCond(cond).mul(mask));
        }
        NDArray pred = net.predict(xt, m.create(t), cond, null);
        return pred.sub(predictsX0 ? x0 : eps).square().mean();
    }

    /** A (B) vector shaped (B, 1, ..., 1) to broadcast over a tensor of {@code like}'s shape. */
    static NDArray perRow(NDManager m, float[] v, Shape like) {
        long[] s = new long[like.dimension()];
        java.util.Arrays.fill(s, 1);
        s[0] = v.length;
        return m.create(v, new Shape(s));
    }

    /**
     * Mean denoising loss over the held-out examples with timesteps and noise fixed by {@code seed},
     * conditioning kept: the number the model cards compare between trained and untrained networks.
     */
    public static double heldOut(TinyNet net, NoiseSchedule schedule, TrainingData data, int examples, long seed, boolean predictsX0) {
        int n = Math.min(examples, data.heldOutCount());
        int batch = 32;
        double sum = 0;
        SplittableRandom rng = new SplittableRandom(seed);
        NDManager base = net.params().manager();
        for (int from = 0; from < n; from += batch) {
            int size = Math.min(batch, n - from);
            try (NDManager m = base.newSubManager(); NDScope scope = new NDScope()) {
                sum += loss(net, schedule, data.heldOut(m, from, size), rng, 0, predictsX0).getFloat() * size;
            }
        }
        return sum / n;
    }
}
