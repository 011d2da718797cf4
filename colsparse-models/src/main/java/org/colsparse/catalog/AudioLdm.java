package org.colsparse.catalog;

import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code audioldm}: who it is, and its full-size model and shapes ({@link FullPresets} cites each dimension).
 * Its runtimes, {@code denoiser.tiny.AudioLdmSpec} and
 * {@code denoiser.full.FullAudioLdmWorkload}, read {@link #IDENTITY}; {@link Catalog} registers the three together.
 */
public final class AudioLdm {
    public static final WorkloadIdentity IDENTITY = new WorkloadIdentity("audioldm", WorkloadGroup.UNET_TRANSFORMER, Modality.AUDIO, GeluVariant.GEGLU);

    /** docs/workloads.md's full-size model. */
    public static final FullSize FULL_SIZE = new FullSize("AudioLDM-S (audioldm-s-full) UNet", "GEGLU", 4, 16, "1024 / 256 / 64 (10 s clip, 256x16 latent)",
            "DDIM", 200, 2.5, FullPresets.CFG_BATCH, 0,
            "none verified: the AudioLDM paper's 181M (AudioLDM-S) could not be checked offline;"
                    + " the cvssp/audioldm card's 421M counts the whole pipeline (CLAP, VAE, vocoder)",
            AudioLdm::shapes);

    private AudioLdm() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.audioldm(10.0, batch);
    }
}
