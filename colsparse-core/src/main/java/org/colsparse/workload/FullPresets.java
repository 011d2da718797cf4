package org.colsparse.workload;

import org.colsparse.util.InputException;

/**
 * The full-size denoisers of docs/workloads.md as layer shapes, at a size of the caller's choosing (each
 * workload's descriptor names its default size). Every builder walks the official implementation's layers in execution order; the class
 * comments of {@link LatentUNet}, {@link DiT}, {@link Mdm}, {@link Mld} and {@link Edge} and the
 * comments below cite where each dimension comes from.
 */
public final class FullPresets {
    /** Conditional + unconditional halves of a classifier-free-guided call (docs/definitions.md: one GEMM). */
    public static final int CFG_BATCH = 2;

    /**
     * Beyond this, token counts and MAC totals of the largest workloads stop fitting int and long
     * arithmetic (a huge batch printed negative MACs); no denoiser call is batched this wide.
     */
    public static final int MAX_BATCH = 65536;

    private FullPresets() {
    }

    /** Refuses a batch outside 1 .. {@link #MAX_BATCH}: an input error naming {@code --batch}. */
    public static void checkBatch(int batch) {
        if (batch < 1) {
            throw new InputException("--batch: must be at least 1, got " + batch);
        }
        if (batch > MAX_BATCH) {
            throw new InputException("--batch: at most " + MAX_BATCH + ", got " + batch);
        }
    }

    /**
     * Stable Diffusion v1.5 UNet, from the diffusers config of {@code runwayml/stable-diffusion-v1-5}
     * ({@code unet/config.json}) and CompVis {@code configs/stable-diffusion/v1-inference.yaml}:
     * in/out channels 4, {@code block_out_channels} 320/640/1280/1280 (model_channels 320,
     * channel_mult 1,2,4,4), {@code layers_per_block} 2, {@code attention_head_dim} 8 (in SD 1.x
     * this is the head count: num_heads 8, head width C/8), cross-attention on CLIP ViT-L/14's 77 x 768
     * text tokens, transformer depth 1, attention at the first three levels (CrossAttnDownBlock2D x3 +
     * DownBlock2D; UpBlock2D + CrossAttnUpBlock2D x3), time embedding 320 -> 1280. The VAE downsamples
     * 8x: 512^2 pixels is a 64x64x4 latent, so transformers see 4096 / 1024 / 256 / 64 tokens.
     */
    public static FullPreset sd15(int height, int width, int batch) {
        int[] hw = latent(height, width, 8, 8, "sd15");
        return sd15Unet(1, 0).build("sd15", "Stable Diffusion 1.5 UNet, " + height + "x" + width + " image ("
                + hw[0] + "x" + hw[1] + "x4 latent), batch " + batch, batch, hw[0], hw[1]);
    }

    /**
     * AnimateDiff v1 motion module ({@code mm_sd_v15.ckpt}) inserted into the SD 1.5 UNet, from the
     * official {@code guoyww/AnimateDiff} {@code configs/inference/inference-v1.yaml}:
     * {@code motion_module_resolutions [1,2,4,8]} (every down and up block), {@code
     * motion_module_mid_block: false}, {@code num_attention_heads 8}, {@code num_transformer_block 1},
     * {@code attention_block_types [Temporal_Self, Temporal_Self]}, GEGLU FFN ({@code activation_fn
     * "geglu"} in {@code motion_module.py}). 2 x 4 down + 3 x 4 up = 20 motion modules plus SD 1.5's
     * 16 transformers = 36 GELU sites. {@code scripts/animate.py} defaults: 16 frames ({@code --L}),
     * 512 x 512; the prompt configs use 25 steps and guidance 8. The UNet runs every 2-D layer on
     * the (batch x frames) images.
     */
    public static FullPreset animatediff(int frames, int height, int width, int batch) {
        if (frames < 1 || frames > 24) {
            // temporal_position_encoding_max_len = 24 in motion_module.py
            throw new InputException("AnimateDiff v1 handles 1..24 frames: " + frames);
        }
        int[] hw = latent(height, width, 8, 8, "animatediff");
        LatentUNet unet = sd15Unet(frames, 8);
        return unet.build("animatediff", "AnimateDiff v1 (SD 1.5 UNet + mm_sd_v15 motion modules), " + frames
                + " frames of " + height + "x" + width + " (" + hw[0] + "x" + hw[1] + "x4 latent), batch " + batch,
                batch, hw[0], hw[1]);
    }

    /** SD 1.5's UNet over {@code frames} frames, with v1 motion modules of {@code motionHeads} heads (0: none). */
    private static LatentUNet sd15Unet(int frames, int motionHeads) {
        return new LatentUNet(4, 4, 320, new int[] {1, 2, 4, 4}, new boolean[] {true, true, true, false},
                2, 8, 0, 768, 77, 0, frames, motionHeads, false);
    }

    /**
     * AudioLDM-S ({@code audioldm-s-full}) UNet, from the official {@code haoheliu/AudioLDM}
     * {@code audioldm/utils.py default_audioldm_config}: in/out channels 8, {@code model_channels}
     * 128, {@code channel_mult} [1,2,3,5], {@code num_res_blocks} 2, {@code attention_resolutions}
     * [8,4,2] (levels 1-3), {@code num_head_channels} 32, {@code use_spatial_transformer},
     * {@code extra_film_condition_dim} 512 (the CLAP embedding) with {@code extra_film_use_concat}:
     * no cross-attention context, so each transformer's attn2 is a second self-attention.
     * {@code latent_t_size} 256 and {@code latent_f_size} 16 for 10 s: 16 kHz audio with hop 160 is
     * 100 mel frames per second ({@code duration_to_latent_t_size = duration x 25.6}), 64 mel bins,
     * VAE downsampling 4. Transformers see 128x8 = 1024 / 256 / 64 tokens. {@code text_to_audio}
     * defaults: DDIM 200 steps, guidance 2.5.
     */
    public static FullPreset audioldm(double seconds, int batch) {
        long t = (long) (seconds * 25.6);
        if (seconds <= 0 || t % 8 != 0) {
            throw new InputException("AudioLDM needs a latent length (seconds x 25.6) divisible by 8: " + seconds + " s");
        }
        LatentUNet unet = new LatentUNet(8, 8, 128, new int[] {1, 2, 3, 5}, new boolean[] {false, true, true, true},
                2, 0, 32, 0, 0, 512, 1, 0, false);
        return unet.build("audioldm", "AudioLDM-S UNet, " + seconds + " s clip (" + t + "x16x8 latent), batch " + batch,
                batch, (int) t, 16);
    }

    public static FullPreset dit(int imageSize, int batch) {
        return DiT.build(imageSize, batch);
    }

    public static FullPreset mdm(double seconds, int batch) {
        return Mdm.build(seconds, batch);
    }

    public static FullPreset mld(int batch) {
        return Mld.build(batch);
    }

    public static FullPreset edge(int batch) {
        return Edge.build(batch);
    }

    private static int[] latent(int height, int width, int vaeFactor, int unetFactor, String workload) {
        int multiple = vaeFactor * unetFactor;
        if (height <= 0 || width <= 0 || height % multiple != 0 || width % multiple != 0) {
            throw new InputException(workload + ": image size " + height + "x" + width + " must be a positive multiple of " + multiple);
        }
        return new int[] {height / vaeFactor, width / vaeFactor};
    }
}
