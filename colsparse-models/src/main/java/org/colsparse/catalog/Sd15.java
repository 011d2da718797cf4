package org.colsparse.catalog;

import org.colsparse.denoiser.full.FullSd15Workload;
import org.colsparse.denoiser.tiny.Sd15Spec;
import org.colsparse.denoiser.tiny.TinyWorkload;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code sd15}: the tiny trained model ({@link Sd15Spec}), the full-size runtime ({@link FullSd15Workload})
 * and the full-size shapes ({@link FullPresets}, where each dimension is cited).
 */
public final class Sd15 {
    public static final WorkloadIdentity ID = new WorkloadIdentity("sd15", WorkloadGroup.UNET_TRANSFORMER, Modality.IMAGE, GeluVariant.GEGLU);

    private Sd15() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.sd15(512, 512, batch);
    }

    static WorkloadDescriptor descriptor() {
        return new WorkloadDescriptor(ID, new TinyWorkload(new Sd15Spec()), new FullSd15Workload(), new FullSize("Stable Diffusion 1.5 UNet", "GEGLU, exact gelu", 4, 16, "4096 / 1024 / 256 / 64 (512^2, 64^2 latent)",
                "DDIM", 50, 7.5, FullPresets.CFG_BATCH, 860_000_000L,
                "CompVis/stable-diffusion README: \"860M UNet and 123M text encoder\"",
                Sd15::shapes));
    }
}
