package org.colsparse.catalog;

import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code mld}: who it is, and its full-size model and shapes ({@link FullPresets} cites each dimension).
 * Its runtimes, {@code denoiser.tiny.MldSpec} and
 * {@code denoiser.full.FullMldWorkload}, read {@link #IDENTITY}; {@link Catalog} registers the three together.
 */
public final class Mld {
    public static final WorkloadIdentity IDENTITY = new WorkloadIdentity("mld", WorkloadGroup.MOTION, Modality.MOTION, GeluVariant.EXACT);

    /** docs/workloads.md's full-size model. */
    public static final FullSize FULL_SIZE = new FullSize("MLD denoiser (HumanML3D)", "GELU, skip-connected encoder", 4, 9, "3 (latent, time, text)",
            "DDIM", 50, 7.5, FullPresets.CFG_BATCH, 0,
            "none published by the authors for the denoiser",
            Mld::shapes);

    private Mld() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.mld(batch);
    }
}
