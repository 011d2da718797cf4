package org.colsparse.denoiser;

import ai.djl.ndarray.NDManager;

import java.nio.file.Path;

/** A built-in workload: a denoiser family with its default weights and sampler. */
public interface Workload {
    DenoiserInfo info();

    /**
     * Builds the network on {@code manager} and loads weights.
     *
     * @param checkpoint a user's checkpoint, or null for the shipped one
     */
    LoadedWorkload load(NDManager manager, Path checkpoint);
}
