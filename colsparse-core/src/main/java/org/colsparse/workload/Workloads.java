package org.colsparse.workload;

import org.colsparse.util.InputException;

import java.util.ArrayList;
import java.util.List;

/**
 * The seven workloads of docs/workloads.md: three groups, four modalities. Sampler defaults are the
 * official implementations' (cited in {@link FullPresets} and the model classes).
 */
public final class Workloads {
    public static final List<WorkloadInfo> ALL = List.of(
            new WorkloadInfo("sd15", WorkloadGroup.UNET_TRANSFORMER, Modality.IMAGE, "Stable Diffusion 1.5 UNet",
                    "GEGLU, exact gelu", 4, 16, "4096 / 1024 / 256 / 64 (512^2, 64^2 latent)",
                    "DDIM", 50, 7.5, FullPresets.CFG_BATCH, 860_000_000L,
                    "CompVis/stable-diffusion README: \"860M UNet and 123M text encoder\""),
            new WorkloadInfo("audioldm", WorkloadGroup.UNET_TRANSFORMER, Modality.AUDIO, "AudioLDM-S (audioldm-s-full) UNet",
                    "GEGLU", 4, 16, "1024 / 256 / 64 (10 s clip, 256x16 latent)",
                    "DDIM", 200, 2.5, FullPresets.CFG_BATCH, 0,
                    "none verified: the AudioLDM paper's 181M (AudioLDM-S) could not be checked offline;"
                            + " the cvssp/audioldm card's 421M counts the whole pipeline (CLAP, VAE, vocoder)"),
            new WorkloadInfo("animatediff", WorkloadGroup.UNET_TRANSFORMER, Modality.VIDEO, "AnimateDiff v1 (SD 1.5 UNet + mm_sd_v15)",
                    "GEGLU, spatial + temporal blocks", 4, 36, "16 frames x spatial; temporal sequence 16",
                    "DDIM", 25, 8.0, FullPresets.CFG_BATCH, 0,
                    "none published for the motion module; the SD 1.5 part is the 860M UNet"),
            new WorkloadInfo("dit", WorkloadGroup.PURE_TRANSFORMER, Modality.IMAGE, "DiT-XL/2",
                    "GELU (tanh approx)", 4, 28, "256 (256^2 image, 16x16 patches)",
                    "DDPM (respaced)", 250, 4.0, FullPresets.CFG_BATCH, 675_000_000L,
                    "Peebles & Xie, Scalable Diffusion Models with Transformers (ICCV 2023): DiT-XL/2 675M"),
            new WorkloadInfo("mdm", WorkloadGroup.MOTION, Modality.MOTION, "MDM (HumanML3D, trans_enc)",
                    "GELU", 2, 8, "frames + 1 (121 at 6 s, 20 fps)",
                    "DDPM", 1000, 2.5, FullPresets.CFG_BATCH, 0,
                    "none published by the authors (CLIP excluded)"),
            new WorkloadInfo("mld", WorkloadGroup.MOTION, Modality.MOTION, "MLD denoiser (HumanML3D)",
                    "GELU, skip-connected encoder", 4, 9, "3 (latent, time, text)",
                    "DDIM", 50, 7.5, FullPresets.CFG_BATCH, 0,
                    "none published by the authors for the denoiser"),
            new WorkloadInfo("edge", WorkloadGroup.MOTION, Modality.DANCE, "EDGE DanceDecoder",
                    "GELU, FiLM decoder", 2, 10, "150 per 5 s slice (30 fps)",
                    "DDIM", 50, 2.0, FullPresets.CFG_BATCH, 0,
                    "none published by the authors (EDGE.py prints the count at start-up)"));

    private Workloads() {
    }

    public static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (WorkloadInfo w : ALL) {
            ids.add(w.id());
        }
        return ids;
    }

    /** The workload called {@code id}; an unknown name is bad input and the message lists the known ones. */
    public static WorkloadInfo get(String id) {
        for (WorkloadInfo w : ALL) {
            if (w.id().equals(id)) {
                return w;
            }
        }
        throw new InputException("--workload: unknown workload '" + id + "' (known: " + String.join(", ", ids()) + ")");
    }
}
