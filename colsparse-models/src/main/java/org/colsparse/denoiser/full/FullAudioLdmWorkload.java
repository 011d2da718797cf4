package org.colsparse.denoiser.full;

import org.colsparse.catalog.AudioLdm;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.ConditionInput;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.Workload;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.StepListener;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.colsparse.denoiser.full.FullConditions.ROWS;

/**
 * {@code audioldm --preset full}: the UNet of AudioLDM-S as diffusers ports it ({@code cvssp/audioldm-s-full-v2},
 * {@code scripts/convert_original_audioldm_to_diffusers.py}): in/out channels 8, block_out_channels 128/256/384/640,
 * DownBlock2D + CrossAttnDownBlock2D x3 (UpBlock2D last), layers_per_block 2, class_embed_type "simple_projection"
 * on the 512-wide CLAP text embedding with class_embeddings_concat, cross_attention_dim = block_out_channels
 * with no encoder_hidden_states (attn2 attends to the block's own tokens). The heads follow the file's own
 * format, which its weights do not show: a diffusers file runs as diffusers does, attention_head_dim left at
 * its default 8, which diffusers uses as the head count (8 heads at every width); an original
 * {@code audioldm-s-full.ckpt} (read through the CompVis key mapping, {@code film_emb} = class_embedding) runs as
 * haoheliu/AudioLDM does ({@code audioldm/utils.py} num_head_channels 32, {@code openaimodel.py}: heads of 32
 * channels, 8 / 12 / 20 heads at 256 / 384 / 640 channels).
 *
 * <p>Latent: 8 x 256 x 16 for a 10.24 s clip (16 kHz, hop 160: 1024 mel frames x 64 bins, VAE factor 4),
 * the full preset's size. Sampling as {@code pipeline_audioldm.py}: CLAP embeddings L2-normalized,
 * guidance 2.5 as one batch, DDIMScheduler as the AudioLDM family's scheduler_config.json (scaled_linear
 * 0.0015..0.0195 over 1000 steps, leading spacing with steps_offset 1, set_alpha_to_one False, no
 * clipping), eta 0; 200 steps, the original {@code text_to_audio} default (diffusers defaults to 10).
 */
public final class FullAudioLdmWorkload implements Workload {
    public static final String ID = "audioldm";
    static final int CLAP = 512;
    static final int LATENT_T = 256;
    static final int LATENT_F = 16;
    static final double GUIDANCE = 2.5;
    private static final String CHECKPOINT = "unet/diffusion_pytorch_model.safetensors (cvssp/audioldm-s-full-v2) or"
            + " audioldm-s-full.ckpt (haoheliu/AudioLDM)";

    static final FullUnet.Config CONFIG = new FullUnet.Config(8, new int[] {128, 256, 384, 640},
            new boolean[] {false, true, true, true}, 2, 8, 0, 32, 0, 0, false, false, false, CLAP);
    /** The original AudioLDM-S UNet: the same weights, heads of 32 channels. */
    static final FullUnet.Config ORIGINAL = CONFIG.withHeadChannels(32);

    private static final DenoiserInfo INFO = DenoiserInfo.of(AudioLdm.IDENTITY,
            "AudioLDM-S UNet at full size (diffusers port): 8x256x16 latent (10.24 s), FiLM-style CLAP conditioning"
                    + " concatenated to the time embedding, self-attention only, 16 GEGLU sites (256..640 -> 4x, exact gelu)",
            FullSd15Workload.siteSpecs(CONFIG, LATENT_T, LATENT_F), CHECKPOINT,
            "DDIM 200 steps (eta 0, leading spacing, steps_offset 1, set_alpha_to_one False), scaled_linear 0.0015..0.0195,"
                    + " CFG 2.5 (batch x2)", 1, 200, FullSd15Workload.TRAINED_STEPS);

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public List<ConditionInput> conditions() {
        String shape = "(512) or (B, 512), float32 or float16";
        return List.of(
                new ConditionInput(FullSd15Workload.TEXT, shape, true,
                        "CLAP text embedding of the prompt: ClapTextModelWithProjection(...).text_embeds as AudioLDMPipeline computes"
                                + " it (saved with numpy.save); L2-normalized here as the pipeline does; with B rows, sample i uses row i mod B"),
                new ConditionInput(FullSd15Workload.UNCOND, shape, true,
                        "the same for the empty prompt \"\" (or a negative prompt): the unconditional half of classifier-free"
                                + " guidance; required because colsparse runs no text encoder"));
    }

    @Override
    public LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        FullCheckpoint.required(checkpoint, INFO);
        FullConditions.CfgPair text = FullSd15Workload.readText(conditions, ID, new long[] {ROWS, CLAP}, new long[] {CLAP});
        return new Loaded(FullSd15Workload.loaded(manager, CONFIG, ORIGINAL, FullSd15Workload.unetFile(checkpoint), ID), text);
    }

    /**
     * The CFG class condition of one call: {@link FullConditions.CfgPair#batch}, each row L2-normalized as
     * the pipeline does (torch's F.normalize divides by max(norm, 1e-12)).
     */
    static NDArray cfgClassCond(NDManager manager, FullConditions.CfgPair text, int first, int samples) {
        int w = text.cond()[0].length;
        float[] all = text.batch(first, samples);
        for (int at = 0; at < all.length; at += w) {
            double norm = 0;
            for (int k = 0; k < w; k++) {
                norm += (double) all[at + k] * all[at + k];
            }
            double scale = 1 / Math.max(Math.sqrt(norm), 1e-12);
            for (int k = 0; k < w; k++) {
                all[at + k] = (float) (all[at + k] * scale);
            }
        }
        return manager.create(all, new Shape(2L * samples, w));
    }

    static NoiseSchedule schedule() {
        return NoiseSchedule.scaledLinear(FullSd15Workload.TRAINED_STEPS, 0.0015, 0.0195);
    }

    /** Guided DDIM from {@code xT} (taken over); {@code classCond} holds the conditional rows, then the unconditional. */
    static NDArray sample(FullUnet unet, NDManager run, NDArray xT, NDArray classCond, int steps, double guidance, GeluTap tap,
                          StepListener listener) {
        NoiseSchedule trained = schedule();
        return FullSd15Workload.sampleCfg(trained, trained.alphaBars()[0], run, xT, (x, t) -> unet.forward(x, t, null, classCond, tap), steps,
                guidance, listener);
    }

    static final class Loaded extends FullUnetLoaded {
        Loaded(FullUnet unet, FullConditions.CfgPair text) {
            super(INFO, unet, text);
        }

        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            try (NDManager run = runManager()) {
                Shape shape = new Shape(samples, 8, LATENT_T, LATENT_F);
                NDArray xT = noise(run, shape, seed);
                NDArray x = FullAudioLdmWorkload.sample(net(), run, xT, cfgClassCond(run, text, first, samples), steps, GUIDANCE, tap, listener);
                return new Samples(x.toFloatArray(), shape.getShape());
            }
        }

        @Override
        public Path writePreview(Samples samples, Path dir) {
            long[] s = samples.shape();
            int pictures = (int) (s[0] * s[1]);
            int time = (int) s[2];
            int bins = (int) s[3];
            float[] v = samples.values();
            // (n, c, time, bins) drawn as (n, c, bins, time) with the bins reversed: time to the right, mel bins up, like a spectrogram
            float[] turned = new float[v.length];
            for (int i = 0; i < pictures; i++) {
                for (int t = 0; t < time; t++) {
                    for (int f = 0; f < bins; f++) {
                        turned[(i * bins + (bins - 1 - f)) * time + t] = v[(i * time + t) * bins + f];
                    }
                }
            }
            String[] rows = promptLabels(s[0]);
            // no VAE or vocoder ships; the latents are roughly unit variance, as SD's
            return FullPreview.latentChannels(new Samples(turned, new long[] {s[0], s[1], bins, time}),
                    "AudioLDM latents (time to the right, mel bins up)", rows, -3f, 3f, dir);
        }
    }
}
