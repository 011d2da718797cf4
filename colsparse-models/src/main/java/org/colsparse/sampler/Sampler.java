package org.colsparse.sampler;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.GaussianPair;

import java.util.SplittableRandom;

/**
 * An iterative sampler over a (possibly respaced) schedule. Noise comes from a Java-side seeded
 * generator, so the same seed gives the same sample bit for bit, independent of torch's RNG.
 */
public abstract class Sampler {
    protected final NoiseSchedule schedule;

    protected Sampler(NoiseSchedule schedule) {
        this.schedule = schedule;
    }

    public NoiseSchedule schedule() {
        return schedule;
    }

    /** Runs the whole reverse process from N(0, I) noise of the given shape; the result lives in {@code manager}. */
    public NDArray sample(NDManager manager, Shape shape, EpsModel model, long seed, StepListener listener) {
        SplittableRandom rng = new SplittableRandom(seed);
        int n = Math.toIntExact(shape.size());
        return run(manager, manager.create(GaussianPair.floats(rng, n), shape), model, rng, listener);
    }

    /**
     * Runs the reverse process from a given starting sample {@code xT} (which it takes over and
     * closes), e.g. noise made by another program when comparing against a reference implementation.
     */
    public NDArray sample(NDManager manager, NDArray xT, EpsModel model, long seed, StepListener listener) {
        return run(manager, xT, model, new SplittableRandom(seed), listener);
    }

    private NDArray run(NDManager manager, NDArray start, EpsModel model, SplittableRandom rng, StepListener listener) {
        NDArray x = start;
        int steps = schedule.steps();
        for (int i = 0; i < steps; i++) {
            int k = steps - 1 - i;
            listener.beforeStep(i, steps, schedule.timestep(k));
            // every intermediate of one step is freed when the step ends; only the new x survives
            try (NDScope scope = new NDScope()) {
                NDArray eps = model.predict(x, schedule.timestep(k));
                NDArray next = update(x, eps, k, rng);
                NDScope.unregister(next);
                next.attach(manager);
                x.close();
                x = next;
            }
        }
        return x;
    }

    /** One reverse step from schedule index {@code k} to {@code k - 1} (or to the data at k = 0). */
    protected abstract NDArray update(NDArray x, NDArray eps, int k, SplittableRandom rng);

    protected static NDArray noiseLike(NDArray x, SplittableRandom rng) {
        return x.getManager().create(GaussianPair.floats(rng, Math.toIntExact(x.size())), x.getShape());
    }
}
