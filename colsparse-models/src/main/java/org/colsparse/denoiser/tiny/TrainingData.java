package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDManager;

import java.util.SplittableRandom;

/** The real data a tiny model trains on, with a held-out part it never sees in training. */
public interface TrainingData {
    /** A random training batch. */
    Batch train(NDManager manager, SplittableRandom rng, int size);

    /** Held-out examples {@code [from, from + size)}, always the same. */
    Batch heldOut(NDManager manager, int from, int size);

    int heldOutCount();

    /** Where the data came from and how it was cut, for the model card. */
    String describe();
}
