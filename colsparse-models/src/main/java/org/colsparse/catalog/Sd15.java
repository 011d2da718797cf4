package org.colsparse.catalog;

import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code sd15}: who it is, and its full-size model and shapes ({@link FullPresets} cites each dimension).
 * Its runtimes, {@code denoiser.tiny.Sd15Spec} and
 * {@code denoiser.full.FullSd15Workload}, read {@link #IDENTITY}; {@link Catalog} registers the three together.
 */
public final class Sd15 {
    public static final WorkloadIdentity IDENTITY = new WorkloadIdentity("sd15", WorkloadGroup.UNET_TRANSFORMER, Modality.IMAGE, GeluVariant.GEGLU);

    /** docs/workloads.md's full-size model. */
    public static final FullSize FULL_SIZE = new FullSize("Stable Diffusion 1.5 UNet", "GEGLU, exact gelu", 4, 16, "4096 / 1024 / 256 / 64 (512^2, 64^2 latent)",
            "DDIM", 50, 7.5, FullPresets.CFG_BATCH, 860_000_000L,
            "CompVis/stable-diffusion README: \"860M UNet and 123M text encoder\"",
            Sd15::shapes);

    private Sd15() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.sd15(512, 512, batch);
    }
}
