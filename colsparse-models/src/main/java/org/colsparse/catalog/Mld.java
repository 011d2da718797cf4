package org.colsparse.catalog;

import org.colsparse.denoiser.full.FullMldWorkload;
import org.colsparse.denoiser.tiny.MldSpec;
import org.colsparse.denoiser.tiny.TinyWorkload;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code mld}: the tiny trained model ({@link MldSpec}), the full-size runtime ({@link FullMldWorkload})
 * and the full-size shapes ({@link FullPresets}, where each dimension is cited).
 */
public final class Mld {
    public static final WorkloadIdentity ID = new WorkloadIdentity("mld", WorkloadGroup.MOTION, Modality.MOTION, GeluVariant.EXACT);

    private Mld() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.mld(batch);
    }

    static WorkloadDescriptor descriptor() {
        return new WorkloadDescriptor(ID, new TinyWorkload(new MldSpec()), new FullMldWorkload(), new FullSize("MLD denoiser (HumanML3D)", "GELU, skip-connected encoder", 4, 9, "3 (latent, time, text)",
                "DDIM", 50, 7.5, FullPresets.CFG_BATCH, 0,
                "none published by the authors for the denoiser",
                Mld::shapes));
    }
}
