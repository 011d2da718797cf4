package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.SplittableRandom;
import java.util.function.Predicate;

/** A training stage before the denoiser's, e.g. MLD's motion VAE. */
public interface PreStage {
    String name();

    int defaultSteps();

    double lr();

    Predicate<String> params();

    /** One batch's scalar loss; gradients flow to {@link #params()}. */
    NDArray loss(TinyNet net, TrainingData data, NDManager manager, SplittableRandom rng);
}
