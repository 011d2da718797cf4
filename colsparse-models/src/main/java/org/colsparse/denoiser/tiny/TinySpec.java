package org.colsparse.denoiser.tiny;

import org.colsparse.sweep.OutputDecoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.sampler.NoiseSchedule;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything about one tiny workload: its network, its real training data, its training recipe and
 * its default sampler. The shipped weights are {@code models/<id>/model.safetensors}.
 */
public interface TinySpec {
    /** DDPM's 1000-step linear schedule (beta 1e-4 .. 0.02), used by every tiny model. */
    int TRAINING_TIMESTEPS = 1000;

    DenoiserInfo info();

    default String id() {
        return info().id();
    }

    default String checkpoint() {
        return "models/" + id() + "/model.safetensors";
    }

    default NoiseSchedule schedule() {
        return NoiseSchedule.linear(TRAINING_TIMESTEPS, 1e-4, 0.02);
    }

    TinyNet build(NDManager manager);

    /** Loads the training data (may take seconds); bad or missing data is an InputException. */
    TrainingData data();

    Recipe recipe();

    /** Classifier-free guidance scale of the default sampler; 1 means no guidance. */
    double guidance();

    /**
     * Bound on the sampler's clean-sample estimate (DDPM's clip_denoised, diffusers' clip_sample):
     * images live in [-1, 1], standardized motion within a few standard deviations. A tiny model's
     * noise estimate at high noise levels is rough, and without the bound the estimate x0 =
     * (x - sqrt(1 - ab) eps) / sqrt(ab) can push the trajectory off the data.
     */
    double clipSample();

    /**
     * Whether the network predicts the clean sample instead of the noise, as MDM and EDGE do (their
     * transformers cannot copy high-dimensional input noise through to the output; measured here: an
     * eps-predicting tiny MDM kept an error of 0.48 even at t = 999, where eps is almost the input).
     * Training then regresses x0; the sampler converts x0 to the noise estimate it uses.
     */
    default boolean predictsX0() {
        return false;
    }

    /** Shape of {@code n} samples in the model's data space. */
    Shape sampleShape(int n);

    /**
     * Conditioning of samples {@code first .. first + n - 1} of a default run, one row each; sample
     * {@code i}'s depends on {@code i} alone, so it is the same in any batch, shard or run length.
     */
    NDArray sampleCond(NDManager manager, int first, int n);

    /** Writes a picture of samples for a person to look at; returns the file. */
    Path writePreview(TinyNet net, Samples samples, Path dir);

    /** Stages that run before denoiser training (MLD's VAE); none by default. */
    default List<PreStage> preStages() {
        return List.of();
    }

    /** Paragraphs of the model card about the architecture and its differences from the full model. */
    String card();

    /**
     * How the accuracy sweep turns this model's output into its modality's metric space (images
     * and video use the sweep's built-in adapters, so null here).
     */
    default OutputDecoder outputDecoder() {
        return null;
    }

    /**
     * How the denoiser is trained.
     *
     * @param steps     default optimizer steps
     * @param batch     examples per step
     * @param lr        Adam learning rate
     * @param dropCond  probability of replacing a row's conditioning by the null condition (CFG training)
     */
    record Recipe(int steps, int batch, double lr, double dropCond) {
    }
}
