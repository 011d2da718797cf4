package org.colsparse.sampler;

import ai.djl.ndarray.NDArray;

/** A noise-prediction network as the samplers see it. */
@FunctionalInterface
public interface EpsModel {
    /** Predicted noise for the batch {@code x} at the original training timestep {@code t} (0-based). */
    NDArray predict(NDArray x, int t);
}
