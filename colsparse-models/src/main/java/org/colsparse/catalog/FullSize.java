package org.colsparse.catalog;

import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;

import java.util.function.IntFunction;

/**
 * What docs/workloads.md says about a workload's full-size model, and its layer shapes.
 *
 * @param geluNote           the GELU as docs/workloads.md describes it (form and where it sits)
 * @param expansion          FFN inner width over model width (GEGLU counts the gated half only)
 * @param sitesPerCall       GELU sites in one denoiser call of the full-size model
 * @param tokensPerSite      docs/workloads.md's description of the rows per site and batch entry
 * @param cfgBatch           batch entries of one denoiser call under classifier-free guidance
 *                           (conditional + unconditional = 2; docs/definitions.md treats them as one GEMM)
 * @param publishedParameters the parameter count the model's authors published for the denoiser,
 *                           0 where none is published
 * @param publishedSource    where {@code publishedParameters} comes from, or why there is none
 * @param shapes             the full-size shapes at the default size, for a batch of entries per call
 */
public record FullSize(String model, String geluNote, int expansion, int sitesPerCall, String tokensPerSite,
                       String sampler, int steps, double cfgScale, int cfgBatch, long publishedParameters,
                       String publishedSource, IntFunction<FullPreset> shapes) {

    public boolean hasPublishedParameters() {
        return publishedParameters > 0;
    }

    /** Every GEMM of one call at the default size and {@code batch} entries per call. */
    public FullPreset preset(int batch) {
        FullPresets.checkBatch(batch);
        return shapes.apply(batch);
    }

    /** {@link #preset(int)} at the classifier-free-guidance batch. */
    public FullPreset preset() {
        return preset(cfgBatch);
    }
}
