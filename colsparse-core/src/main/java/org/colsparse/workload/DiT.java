package org.colsparse.workload;

import org.colsparse.util.InputException;

/**
 * DiT-XL/2 (Peebles &amp; Xie, "Scalable Diffusion Models with Transformers", ICCV 2023), from the
 * official {@code facebookresearch/DiT} {@code models.py}: {@code DiT_XL_2 = DiT(depth=28,
 * hidden_size=1152, patch_size=2, num_heads=16)}, {@code mlp_ratio=4.0} (1152 -> 4608) with
 * {@code nn.GELU(approximate="tanh")}, {@code in_channels=4}, {@code learn_sigma=True} (8 output
 * channels), {@code num_classes=1000} plus one CFG null class, timestep frequency embedding of 256,
 * adaLN-Zero modulation (6 x hidden per block, 2 x hidden in the final layer). The SD VAE downsamples
 * 8x, so a 256^2 image is a 32x32x4 latent and 16x16 = 256 patches. {@code forward_with_cfg}
 * concatenates the conditional and unconditional halves into one batch.
 */
final class DiT {
    static final int HIDDEN = 1152;
    static final int DEPTH = 28;
    static final int HEADS = 16;
    static final int PATCH = 2;
    static final int MLP = 4 * HIDDEN;
    static final int IN_CHANNELS = 4;
    static final int OUT_CHANNELS = 2 * IN_CHANNELS;
    static final int CLASSES = 1000;
    static final int FREQ_EMBED = 256;

    private DiT() {
    }

    static FullPreset build(int imageSize, int batch) {
        if (imageSize % (8 * PATCH) != 0) {
            throw new InputException("DiT image size must be a multiple of 16: " + imageSize);
        }
        int latent = imageSize / 8;
        long grid = latent / PATCH;
        long tokens = grid * grid;
        long rows = batch * tokens;
        ShapeBuilder b = new ShapeBuilder();
        // x_embedder: PatchEmbed = Conv2d(4, 1152, kernel 2, stride 2).
        b.conv("x_embedder.proj", batch, latent, latent, IN_CHANNELS, HIDDEN, PATCH, PATCH, 0);
        // pos_embed is a frozen sin-cos table but an nn.Parameter, so the published count includes it.
        b.table(tokens * HIDDEN);
        b.linear("t_embedder.mlp.0", batch, FREQ_EMBED, HIDDEN, true);
        b.linear("t_embedder.mlp.2", batch, HIDDEN, HIDDEN, true);
        // y_embedder: nn.Embedding(num_classes + 1 (CFG null label), hidden): a lookup, no GEMM.
        b.table((CLASSES + 1L) * HIDDEN);
        int headDim = HIDDEN / HEADS;
        for (int i = 0; i < DEPTH; i++) {
            String p = "block." + i;
            // norm1/norm2 are LayerNorm(elementwise_affine=False): no parameters.
            b.linear(p + ".adaLN_modulation", batch, HIDDEN, 6L * HIDDEN, true);
            b.linear(p + ".attn.qkv", rows, HIDDEN, 3L * HIDDEN, true);
            b.attentionProducts(p + ".attn", (long) batch * HEADS, tokens, tokens, headDim);
            b.linear(p + ".attn.proj", rows, HIDDEN, HIDDEN, true);
            b.linear(p + ".mlp.fc1", rows, HIDDEN, MLP, true);
            b.site(p + ".mlp", rows, MLP, tokens);
            b.linear(p + ".mlp.fc2", rows, MLP, HIDDEN, true, p + ".mlp");
        }
        b.linear("final_layer.adaLN_modulation", batch, HIDDEN, 2L * HIDDEN, true);
        b.linear("final_layer.linear", rows, HIDDEN, (long) PATCH * PATCH * OUT_CHANNELS, true);
        return b.build("dit", "DiT-XL/2, " + imageSize + "x" + imageSize + " image (" + latent + "x" + latent
                + "x4 latent, " + tokens + " patches), batch " + batch);
    }
}
