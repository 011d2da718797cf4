package org.colsparse.catalog;

import org.colsparse.denoiser.full.FullAnimateDiffWorkload;
import org.colsparse.denoiser.tiny.AnimateDiffSpec;
import org.colsparse.denoiser.tiny.TinyWorkload;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code animatediff}: the tiny trained model ({@link AnimateDiffSpec}), the full-size runtime ({@link FullAnimateDiffWorkload})
 * and the full-size shapes ({@link FullPresets}, where each dimension is cited).
 */
public final class AnimateDiff {
    public static final WorkloadIdentity ID = new WorkloadIdentity("animatediff", WorkloadGroup.UNET_TRANSFORMER, Modality.VIDEO, GeluVariant.GEGLU);

    private AnimateDiff() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.animatediff(16, 512, 512, batch);
    }

    static WorkloadDescriptor descriptor() {
        return new WorkloadDescriptor(ID, new TinyWorkload(new AnimateDiffSpec()), new FullAnimateDiffWorkload(), new FullSize("AnimateDiff v1 (SD 1.5 UNet + mm_sd_v15)", "GEGLU, spatial + temporal blocks", 4, 36, "16 frames x spatial; temporal sequence 16",
                "DDIM", 25, 8.0, FullPresets.CFG_BATCH, 0,
                "none published for the motion module; the SD 1.5 part is the 860M UNet",
                AnimateDiff::shapes));
    }
}
