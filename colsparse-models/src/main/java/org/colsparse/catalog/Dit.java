package org.colsparse.catalog;

import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code dit}: who it is, and its full-size model and shapes ({@link FullPresets} cites each dimension).
 * Its runtimes, {@code denoiser.tiny.DitSpec} and
 * {@code denoiser.full.FullDitWorkload}, read {@link #IDENTITY}; {@link Catalog} registers the three together.
 */
public final class Dit {
    public static final WorkloadIdentity IDENTITY = new WorkloadIdentity("dit", WorkloadGroup.PURE_TRANSFORMER, Modality.IMAGE, GeluVariant.TANH);

    /** docs/workloads.md's full-size model. */
    public static final FullSize FULL_SIZE = new FullSize("DiT-XL/2", "GELU (tanh approx)", 4, 28, "256 (256^2 image, 16x16 patches)",
            "DDPM (respaced)", 250, 4.0, FullPresets.CFG_BATCH, 675_000_000L,
            "Peebles & Xie, Scalable Diffusion Models with Transformers (ICCV 2023): DiT-XL/2 675M",
            Dit::shapes);

    private Dit() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.dit(256, batch);
    }
}
