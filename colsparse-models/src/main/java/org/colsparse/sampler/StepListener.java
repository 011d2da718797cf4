package org.colsparse.sampler;

/** Told before each denoiser step; profiling uses it for timestep buckets, the CLI for progress. */
@FunctionalInterface
public interface StepListener {
    StepListener NONE = (step, steps, timestep) -> { };

    /**
     * @param step     0 for the first (noisiest) step, {@code steps - 1} for the last
     * @param timestep the original training timestep the model is called at
     */
    void beforeStep(int step, int steps, int timestep);
}
