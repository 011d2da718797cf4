package org.colsparse.workload;

/**
 * What docs/workloads.md says about one workload, for the modules that list, run and report them.
 *
 * @param expansion          FFN inner width over model width (GEGLU counts the gated half only)
 * @param sitesPerCall       GELU sites in one denoiser call of the full-size model
 * @param tokensPerSite      docs/workloads.md's description of the rows per site and batch entry
 * @param cfgBatch           batch entries of one denoiser call under classifier-free guidance
 *                           (conditional + unconditional = 2; docs/definitions.md treats them as one GEMM)
 * @param publishedParameters the parameter count the model's authors published for the denoiser,
 *                           0 where none is published
 * @param publishedSource    where {@code publishedParameters} comes from, or why there is none
 */
public record WorkloadInfo(String id, WorkloadGroup group, Modality modality, String model, String geluForm,
                           int expansion, int sitesPerCall, String tokensPerSite, String sampler,
                           int steps, double cfgScale, int cfgBatch, long publishedParameters,
                           String publishedSource) {

    public boolean hasPublishedParameters() {
        return publishedParameters > 0;
    }
}
