package org.colsparse.catalog;

import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code animatediff}: who it is, and its full-size model and shapes ({@link FullPresets} cites each dimension).
 * Its runtimes, {@code denoiser.tiny.AnimateDiffSpec} and
 * {@code denoiser.full.FullAnimateDiffWorkload}, read {@link #IDENTITY}; {@link Catalog} registers the three together.
 */
public final class AnimateDiff {
    public static final WorkloadIdentity IDENTITY = new WorkloadIdentity("animatediff", WorkloadGroup.UNET_TRANSFORMER, Modality.VIDEO, GeluVariant.GEGLU);

    /** docs/workloads.md's full-size model. */
    public static final FullSize FULL_SIZE = new FullSize("AnimateDiff v1 (SD 1.5 UNet + mm_sd_v15)", "GEGLU, spatial + temporal blocks", 4, 36, "16 frames x spatial; temporal sequence 16",
            "DDIM", 25, 8.0, FullPresets.CFG_BATCH, 0,
            "none published for the motion module; the SD 1.5 part is the 860M UNet",
            AnimateDiff::shapes);

    private AnimateDiff() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.animatediff(16, 512, 512, batch);
    }
}
