package org.colsparse.denoiser;

import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

import java.util.List;

/**
 * What {@code colsparse workloads} prints about one runtime of a workload (the shipped one or the
 * full-size one).
 *
 * @param group          docs/workloads.md group: unet-transformer, pure-transformer, motion, or conv (ddpm-mnist)
 * @param checkpoint     default weights, relative to the colsparse home (repository root)
 * @param sampler        how the default run samples, in words
 * @param defaultSamples samples per default profile run
 * @param defaultSteps   sampler steps per default profile run
 * @param trainedSteps   T of the training schedule: the most steps a sampler can take
 */
public record DenoiserInfo(String id, WorkloadGroup group, Modality modality, GeluVariant geluForm, String description,
                           List<SiteSpec> sites, String checkpoint, String sampler, int defaultSamples,
                           int defaultSteps, int trainedSteps) {
    public DenoiserInfo {
        sites = List.copyOf(sites);
    }

    /** A runtime of the workload {@code who}: its id, group, modality and GELU are the workload's. */
    public static DenoiserInfo of(WorkloadIdentity who, String description, List<SiteSpec> sites, String checkpoint,
                                  String sampler, int defaultSamples, int defaultSteps, int trainedSteps) {
        return new DenoiserInfo(who.id(), who.group(), who.modality(), who.gelu(), description, sites, checkpoint, sampler,
                defaultSamples, defaultSteps, trainedSteps);
    }

    public WorkloadIdentity identity() {
        return new WorkloadIdentity(id, group, modality, geluForm);
    }
}
