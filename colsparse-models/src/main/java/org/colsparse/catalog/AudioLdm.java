package org.colsparse.catalog;

import org.colsparse.denoiser.full.FullAudioLdmWorkload;
import org.colsparse.denoiser.tiny.AudioLdmSpec;
import org.colsparse.denoiser.tiny.TinyWorkload;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code audioldm}: the tiny trained model ({@link AudioLdmSpec}), the full-size runtime ({@link FullAudioLdmWorkload})
 * and the full-size shapes ({@link FullPresets}, where each dimension is cited).
 */
public final class AudioLdm {
    public static final WorkloadIdentity ID = new WorkloadIdentity("audioldm", WorkloadGroup.UNET_TRANSFORMER, Modality.AUDIO, GeluVariant.GEGLU);

    private AudioLdm() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.audioldm(10.0, batch);
    }

    static WorkloadDescriptor descriptor() {
        return new WorkloadDescriptor(ID, new TinyWorkload(new AudioLdmSpec()), new FullAudioLdmWorkload(), new FullSize("AudioLDM-S (audioldm-s-full) UNet", "GEGLU", 4, 16, "1024 / 256 / 64 (10 s clip, 256x16 latent)",
                "DDIM", 200, 2.5, FullPresets.CFG_BATCH, 0,
                "none verified: the AudioLDM paper's 181M (AudioLDM-S) could not be checked offline;"
                        + " the cvssp/audioldm card's 421M counts the whole pipeline (CLAP, VAE, vocoder)",
                AudioLdm::shapes));
    }
}
