package org.colsparse.catalog;

import org.colsparse.denoiser.full.FullMdmWorkload;
import org.colsparse.denoiser.tiny.MdmSpec;
import org.colsparse.denoiser.tiny.TinyWorkload;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code mdm}: the tiny trained model ({@link MdmSpec}), the full-size runtime ({@link FullMdmWorkload})
 * and the full-size shapes ({@link FullPresets}, where each dimension is cited).
 */
public final class Mdm {
    public static final WorkloadIdentity ID = new WorkloadIdentity("mdm", WorkloadGroup.MOTION, Modality.MOTION, GeluVariant.EXACT);

    private Mdm() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.mdm(6.0, batch);
    }

    static WorkloadDescriptor descriptor() {
        return new WorkloadDescriptor(ID, new TinyWorkload(new MdmSpec()), new FullMdmWorkload(), new FullSize("MDM (HumanML3D, trans_enc)", "GELU", 2, 8, "frames + 1 (121 at 6 s, 20 fps)",
                "DDPM", 1000, 2.5, FullPresets.CFG_BATCH, 0,
                "none published by the authors (CLIP excluded)",
                Mdm::shapes));
    }
}
