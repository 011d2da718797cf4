package org.colsparse.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.GaussianPair;

import java.util.SplittableRandom;

/**
 * Euler–Maruyama integration of a flow-matching model's SDE from noise at t = 0 to data at t = 1,
 * as vit-mnist's author samples (generate.py {@code SDESolver}, sign +1): the model predicts the
 * clean sample x1, the flow is {@code v = (x1 - x) / (1 - t)}, guided {@code w v_c + (1 - w) v_u}
 * with {@code w} the guidance weight only for {@code cfgStart < t < cfgEnd} and 1 elsewhere; with
 * diffusion coefficient {@code d}, {@code g(t) = d (1 - t)} and the step is
 * {@code x += (v + g^2 / 2 * d (t v - x)) dt + g sqrt(dt) z}. The grid is {@code t_i = i / steps};
 * t = 1 itself is never evaluated, so {@code 1 - t} is never zero.
 */
public final class FlowSdeSampler {
    /** The clean-sample prediction of one guided step's branch (conditional or unconditional). */
    @FunctionalInterface
    public interface CleanModel {
        NDArray predict(NDArray x, float t, boolean conditional);
    }

    /** Standard normal draws, one call per array: the starting noise, then one per step. */
    @FunctionalInterface
    public interface Noise {
        float[] next(int n);

        static Noise seeded(long seed) {
            SplittableRandom rng = new SplittableRandom(seed);
            return n -> GaussianPair.floats(rng, n);
        }
    }

    private final int steps;
    private final double weight;
    private final double cfgStart;
    private final double cfgEnd;
    private final double diffusion;

    public FlowSdeSampler(int steps, double weight, double cfgStart, double cfgEnd, double diffusion) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        this.steps = steps;
        this.weight = weight;
        this.cfgStart = cfgStart;
        this.cfgEnd = cfgEnd;
        this.diffusion = diffusion;
    }

    /** Flow time of step {@code i} (0 = pure noise). */
    public double time(int i) {
        return (double) i / steps;
    }

    /** The guidance weight at flow time {@code t}. */
    public double weightAt(double t) {
        return cfgStart < t && t < cfgEnd ? weight : 1.0;
    }

    /**
     * Integrates from fresh noise of {@code shape}; the result lives in {@code manager}.
     *
     * @param listener told each step's index and its flow time in thousandths (the model's t x 1000)
     */
    public NDArray sample(NDManager manager, Shape shape, CleanModel model, Noise noise, StepListener listener) {
        int n = Math.toIntExact(shape.size());
        NDArray x = manager.create(noise.next(n), shape);
        double dt = 1.0 / steps;
        for (int i = 0; i < steps; i++) {
            double t = time(i);
            listener.beforeStep(i, steps, (int) Math.round(1000 * t));
            try (NDScope scope = new NDScope()) {
                float tf = (float) t;
                // the author's sampler makes both calls at every step, the unconditional one also where its weight is 0
                NDArray vc = model.predict(x, tf, true).sub(x).div((float) (1 - t));
                NDArray vu = model.predict(x, tf, false).sub(x).div((float) (1 - t));
                double w = weightAt(t);
                NDArray v = vc.mul((float) w).add(vu.mul((float) (1 - w)));
                double g = diffusion * (1 - t);
                NDArray drift = v.add(v.mul(tf).sub(x).mul((float) (0.5 * g * g * diffusion)));
                NDArray z = x.getManager().create(noise.next(n), shape);
                NDArray next = x.add(drift.mul((float) dt)).add(z.mul((float) (g * Math.sqrt(dt))));
                NDScope.unregister(next);
                next.attach(manager);
                x.close();
                x = next;
            }
        }
        return x;
    }
}
