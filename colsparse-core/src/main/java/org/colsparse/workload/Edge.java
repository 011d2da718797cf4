package org.colsparse.workload;

/**
 * EDGE, Editable Dance Generation (Tseng et al., CVPR 2023), from the official
 * {@code Stanford-TML/EDGE}: {@code EDGE.py} builds {@code DanceDecoder(nfeats=151, seq_len=150,
 * latent_dim=512, ff_size=1024, num_layers=8, num_heads=8, cond_feature_dim=4800)}: 151 = root
 * position 3 + 24 joints x 6-D rotation + 4 foot contacts; 150 frames = 5 s at 30 fps; 4800 =
 * Jukebox music features per frame; {@code guidance_weight=2}; DDIM with 50 sampling steps
 * ({@code model/diffusion.py}). {@code model/model.py}: GELU ({@code F.gelu}) FFNs 512 -> 1024;
 * music tokens = Linear(4800 -> 512), then 2 pre-norm {@code TransformerEncoderLayer}s (the
 * condition encoder); time = SinusoidalPosEmb, Linear(512 -> 2048), Mish, then Linear(2048 -> 512)
 * for FiLM and Linear(2048 -> 1024) for 2 time tokens appended to the 150 music tokens (152 memory
 * tokens); 8 {@code FiLMTransformerDecoderLayer}s (self-attention, cross-attention to the memory,
 * FFN, each followed by a FiLM of Linear(512 -> 1024) on the time vector). Rotary position
 * embedding ({@code learned_freq=False}) has no parameters. GELU sites: 2 encoder + 8 decoder = 10.
 * {@code guided_forward} runs the unconditional and conditional passes separately; as docs/definitions.md
 * says, they are counted here as one batch of 2.
 */
final class Edge {
    static final int LATENT = 512;
    static final int FF = 1024;
    static final int HEADS = 8;
    static final int DECODER_LAYERS = 8;
    static final int ENCODER_LAYERS = 2;
    static final int POSE_FEATURES = 151;
    static final int MUSIC_FEATURES = 4800;
    static final int FRAMES = 150;
    static final int TIME_TOKENS = 2;

    private Edge() {
    }

    static FullPreset build(int batch) {
        long rows = (long) batch * FRAMES;
        long memTokens = FRAMES + TIME_TOKENS;
        long memRows = batch * memTokens;
        int headDim = LATENT / HEADS;
        ShapeBuilder b = new ShapeBuilder();
        b.linear("input_projection", rows, POSE_FEATURES, LATENT, true);
        b.linear("cond_projection", rows, MUSIC_FEATURES, LATENT, true);
        for (int i = 0; i < ENCODER_LAYERS; i++) {
            String p = "cond." + i;
            b.norm(LATENT);
            // Rotary makes q = k a rotated copy of x while v = x: PyTorch projects the three separately.
            attention(b, p + ".self_attn", rows, rows, batch, FRAMES, FRAMES, headDim);
            b.norm(LATENT);
            ffn(b, p, rows, FRAMES);
        }
        // null_cond_embed (150 x 512) and null_cond_hidden (512) replace the music for the unconditional pass.
        b.table((long) FRAMES * LATENT + LATENT);
        b.norm(LATENT);
        b.linear("non_attn_cond_projection.1", batch, LATENT, LATENT, true);
        b.linear("non_attn_cond_projection.3", batch, LATENT, LATENT, true);
        b.linear("time_mlp.1", batch, LATENT, 4L * LATENT, true);
        b.linear("to_time_cond", batch, 4L * LATENT, LATENT, true);
        b.linear("to_time_tokens", batch, 4L * LATENT, 2L * LATENT, true);
        b.norm(LATENT);
        for (int i = 0; i < DECODER_LAYERS; i++) {
            String p = "decoder." + i;
            b.norm(LATENT);
            attention(b, p + ".self_attn", rows, rows, batch, FRAMES, FRAMES, headDim);
            b.linear(p + ".film1", batch, LATENT, 2L * LATENT, true);
            b.norm(LATENT);
            attention(b, p + ".multihead_attn", rows, memRows, batch, FRAMES, memTokens, headDim);
            b.linear(p + ".film2", batch, LATENT, 2L * LATENT, true);
            b.norm(LATENT);
            ffn(b, p, rows, FRAMES);
            b.linear(p + ".film3", batch, LATENT, 2L * LATENT, true);
        }
        b.linear("final_layer", rows, LATENT, POSE_FEATURES, true);
        return b.build("edge", "EDGE DanceDecoder, 150 frames (5 s at 30 fps), 152 memory tokens, batch " + batch);
    }

    private static void attention(ShapeBuilder b, String name, long rows, long kvRows, long batch, long q, long kv, int headDim) {
        b.linear(name + ".q_proj", rows, LATENT, LATENT, true);
        b.linear(name + ".k_proj", kvRows, LATENT, LATENT, true);
        b.linear(name + ".v_proj", kvRows, LATENT, LATENT, true);
        b.attentionProducts(name, batch * HEADS, q, kv, headDim);
        b.linear(name + ".out_proj", rows, LATENT, LATENT, true);
    }

    private static void ffn(ShapeBuilder b, String p, long rows, long tokens) {
        b.linear(p + ".linear1", rows, LATENT, FF, true);
        b.site(p + ".ff", rows, FF, tokens);
        b.linear(p + ".linear2", rows, FF, LATENT, true, p + ".ff");
    }
}
