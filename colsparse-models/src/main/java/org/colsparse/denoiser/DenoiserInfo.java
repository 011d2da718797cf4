package org.colsparse.denoiser;

import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadInfo;
import org.colsparse.workload.Workloads;

import java.util.List;

/**
 * What {@code colsparse workloads} prints about a built-in workload.
 *
 * @param group          docs/workloads.md group: unet-transformer, pure-transformer, motion, or conv (ddpm-mnist)
 * @param checkpoint     default weights, relative to the colsparse home (repository root)
 * @param sampler        how the default run samples, in words
 * @param defaultSamples samples per default profile run
 * @param defaultSteps   sampler steps per default profile run
 * @param trainedSteps   T of the training schedule: the most steps a sampler can take
 */
public record DenoiserInfo(String id, WorkloadGroup group, Modality modality, String geluForm, String description,
                           List<SiteSpec> sites, String checkpoint, String sampler, int defaultSamples,
                           int defaultSteps, int trainedSteps) {
    public DenoiserInfo {
        sites = List.copyOf(sites);
    }

    /** A docs/workloads.md workload's runtime, with the group and modality {@link Workloads} states for it. */
    public static DenoiserInfo of(String id, String geluForm, String description, List<SiteSpec> sites, String checkpoint,
                                  String sampler, int defaultSamples, int defaultSteps, int trainedSteps) {
        WorkloadInfo w = Workloads.get(id);
        return new DenoiserInfo(id, w.group(), w.modality(), geluForm, description, sites, checkpoint, sampler,
                defaultSamples, defaultSteps, trainedSteps);
    }
}
