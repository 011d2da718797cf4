package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDArray;

/** Clean training samples and their conditioning, on one step's manager. */
public record Batch(NDArray x0, NDArray cond) {
}
