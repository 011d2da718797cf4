package org.colsparse.catalog;

import org.colsparse.denoiser.full.FullDitWorkload;
import org.colsparse.denoiser.tiny.DitSpec;
import org.colsparse.denoiser.tiny.TinyWorkload;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code dit}: the tiny trained model ({@link DitSpec}), the full-size runtime ({@link FullDitWorkload})
 * and the full-size shapes ({@link FullPresets}, where each dimension is cited).
 */
public final class Dit {
    public static final WorkloadIdentity ID = new WorkloadIdentity("dit", WorkloadGroup.PURE_TRANSFORMER, Modality.IMAGE, GeluVariant.TANH);

    private Dit() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.dit(256, batch);
    }

    static WorkloadDescriptor descriptor() {
        return new WorkloadDescriptor(ID, new TinyWorkload(new DitSpec()), new FullDitWorkload(), new FullSize("DiT-XL/2", "GELU (tanh approx)", 4, 28, "256 (256^2 image, 16x16 patches)",
                "DDPM (respaced)", 250, 4.0, FullPresets.CFG_BATCH, 675_000_000L,
                "Peebles & Xie, Scalable Diffusion Models with Transformers (ICCV 2023): DiT-XL/2 675M",
                Dit::shapes));
    }
}
