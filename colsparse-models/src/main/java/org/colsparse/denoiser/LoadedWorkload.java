package org.colsparse.denoiser;

import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.StepListener;

import java.nio.file.Path;
import java.util.List;

/** A workload with weights in memory, ready to sample. */
public interface LoadedWorkload extends AutoCloseable {
    DenoiserInfo info();

    /** The sites in forward order; {@link GeluSite#index()} is the position in this list. */
    List<GeluSite> sites();

    /**
     * Runs the complete sampling loop (classifier-free guidance where the workload uses it).
     *
     * @param steps sampler steps; fewer than the trained schedule respaces it
     * @param tap   null for a plain run
     */
    Samples sample(int samples, int steps, long seed, GeluTap tap, StepListener listener);

    /** Writes a picture of the samples for a person to look at into {@code dir}; returns the file. */
    Path writePreview(Samples samples, Path dir);

    @Override
    void close();
}
