package org.colsparse.catalog;

import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code mdm}: who it is, and its full-size model and shapes ({@link FullPresets} cites each dimension).
 * Its runtimes, {@code denoiser.tiny.MdmSpec} and
 * {@code denoiser.full.FullMdmWorkload}, read {@link #IDENTITY}; {@link Catalog} registers the three together.
 */
public final class Mdm {
    public static final WorkloadIdentity IDENTITY = new WorkloadIdentity("mdm", WorkloadGroup.MOTION, Modality.MOTION, GeluVariant.EXACT);

    /** docs/workloads.md's full-size model. */
    public static final FullSize FULL_SIZE = new FullSize("MDM (HumanML3D, trans_enc)", "GELU", 2, 8, "frames + 1 (121 at 6 s, 20 fps)",
            "DDPM", 1000, 2.5, FullPresets.CFG_BATCH, 0,
            "none published by the authors (CLIP excluded)",
            Mdm::shapes);

    private Mdm() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.mdm(6.0, batch);
    }
}
