package org.colsparse.denoiser;

import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.StepListener;
import org.colsparse.sweep.Decoders;

import java.nio.file.Path;
import java.util.List;

/** A workload with weights in memory, ready to sample. */
public interface LoadedWorkload extends AutoCloseable {
    DenoiserInfo info();

    /** The sites in forward order; {@link GeluSite#index()} is the position in this list. */
    List<GeluSite> sites();

    /**
     * Runs the complete sampling loop (classifier-free guidance where the workload uses it) for
     * samples {@code first .. first + samples - 1} of a run, in one batch with noise from {@code seed}.
     * Sample {@code i} is conditioned on the workload's condition for sample {@code i} (its class,
     * prompt row, ...) whatever batch it runs in: a run that makes one call per sample passes each
     * sample's number, so sample 7 of a run, or of a shard, is conditioned as sample 7 of any run.
     *
     * @param steps sampler steps; fewer than the trained schedule respaces it
     * @param tap   null for a plain run
     */
    Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener);

    /** Samples {@code 0 .. samples - 1} in one batch. */
    default Samples sample(int samples, int steps, long seed, GeluTap tap, StepListener listener) {
        return sample(0, samples, steps, seed, tap, listener);
    }

    /**
     * Writes a picture of the samples for a person to look at into {@code dir}; returns the file.
     * Row {@code i} of {@code samples} is sample {@code i} of the run, labelled with its condition.
     */
    Path writePreview(Samples samples, Path dir);

    /**
     * How the accuracy sweep turns this workload's output into its modality's metric space, and in
     * words how: the built-in adapter of its modality unless the workload decodes its own output
     * (de-normalization, forward kinematics, or latents compared as they are).
     */
    default Decoders.Choice decoding() {
        return Decoders.forModality(info().modality());
    }

    @Override
    void close();
}
