package org.colsparse.workload;

/**
 * MLD, Motion Latent Diffusion (Chen et al., "Executing your Commands via Motion Diffusion in
 * Latent Space", CVPR 2023), text-to-motion denoiser from the official
 * {@code ChenFengYe/motion-latent-diffusion}: {@code configs/config_mld_humanml3d.yaml}
 * {@code latent_dim: [1, 256]}, {@code ff_size: 1024}, {@code num_layers: 9}, {@code num_head: 4},
 * {@code guidance_scale: 7.5}, {@code ABLATION.SKIP_CONNECT: True}, {@code DIFF_PE_TYPE: mld};
 * {@code configs/modules/denoiser.yaml} {@code text_encoded_dim: 768}, {@code activation: gelu},
 * {@code position_embedding: learned}, {@code arch: trans_enc}. {@code mld_denoiser.py}: the
 * sequence is [1 motion-latent token, 1 time token, 1 text token] = 3 tokens
 * ({@code torch.cat((sample, emb_latent))}); time = {@code TimestepEmbedding(768, 256)} (two
 * linears) on 768-wide sinusoidal features; text = {@code emb_proj} (ReLU, Linear 768 -> 256) on the
 * pooled CLIP ViT-L/14 text feature; {@code query_pos} and {@code mem_pos} are learned 500 x 256
 * tables ({@code PositionEmbeddingLearned1D}, max_len 500; mem_pos is unused by trans_enc but is a
 * parameter). {@code SkipTransformerEncoder} (operator/cross_attention.py): 4 input blocks, a middle
 * block, 4 output blocks each fed by Linear(512 -> 256) of [x, skip], final LayerNorm; each block is
 * a DETR post-norm encoder layer (packed q = k = v projection, linear1 256 -> 1024, GELU, linear2).
 * {@code mld.py} concatenates unconditional and conditional latents for CFG: one batch of 2.
 * The frozen CLIP text encoder and the motion VAE are not part of the denoiser call.
 */
final class Mld {
    static final int LATENT = 256;
    static final int FF = 1024;
    static final int HEADS = 4;
    static final int LAYERS = 9;
    static final int TEXT_DIM = 768;
    static final int TOKENS = 3;
    static final int POS_MAX_LEN = 500;

    private Mld() {
    }

    static FullPreset build(int batch) {
        long rows = (long) batch * TOKENS;
        ShapeBuilder b = new ShapeBuilder();
        b.linear("time_embedding.linear_1", batch, TEXT_DIM, LATENT, true);
        b.linear("time_embedding.linear_2", batch, LATENT, LATENT, true);
        b.linear("emb_proj", batch, TEXT_DIM, LATENT, true);
        b.table(2L * POS_MAX_LEN * LATENT);
        int half = (LAYERS - 1) / 2;
        for (int i = 0; i < half; i++) {
            TransformerLayers.encoderLayer(b, "input." + i, rows, batch, TOKENS, LATENT, HEADS, FF);
        }
        TransformerLayers.encoderLayer(b, "middle", rows, batch, TOKENS, LATENT, HEADS, FF);
        for (int i = 0; i < half; i++) {
            b.linear("output." + i + ".skip_linear", rows, 2L * LATENT, LATENT, true);
            TransformerLayers.encoderLayer(b, "output." + i, rows, batch, TOKENS, LATENT, HEADS, FF);
        }
        b.norm(LATENT);
        return b.build("mld", "MLD denoiser (HumanML3D), 3 tokens (motion latent, time, text), batch " + batch);
    }
}
