package org.colsparse.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.SiteRole;
import org.colsparse.workload.WorkloadGroup;

import java.util.List;

/**
 * One workload's results. {@code estimate} and {@code simulate} are absent (null) when its
 * profile recorded no calls or no GEMMs: there is nothing to replay.
 *
 * @param weights what was loaded, in words ({@link #THIRD_PARTY}, {@link #TINY} or the user's checkpoint)
 */
public record WorkloadResult(String id, WorkloadGroup group, Modality modality, GeluVariant geluForm, String description, String preset,
                             String weights, List<SiteRoleEntry> siteRoles, ProfileResult profile, AccuracyResult accuracy,
                             @JsonInclude(JsonInclude.Include.NON_NULL) EstimateResult estimate,
                             @JsonInclude(JsonInclude.Include.NON_NULL) SimulateResult simulate) {
    public static final String THIRD_PARTY = "real third-party pretrained weights";
    public static final String TINY = "tiny model trained by colsparse";
    /** Followed by the graph's file name: the weights an ONNX workload's graph holds. */
    public static final String ONNX_GRAPH = "ONNX graph ";

    /** One GELU site of the workload: its role and whether the headline numbers pool it. */
    public record SiteRoleEntry(String site, SiteRole role, boolean headline) {
    }

    /** Whether the weights are someone else's trained ones (the shipped pretrained models), as the summary's weights column says. */
    public boolean thirdPartyWeights() {
        return THIRD_PARTY.equals(weights);
    }

    /** Whether the workload is an ONNX graph with its model card ({@code --model}). */
    public boolean onnxGraph() {
        return weights != null && weights.startsWith(ONNX_GRAPH);
    }

    /** The role of {@code site}, or null when the workload has no such site. */
    public SiteRoleEntry site(String site) {
        return siteRoles == null ? null : siteRoles.stream().filter(r -> r.site().equals(site)).findFirst().orElse(null);
    }
}
