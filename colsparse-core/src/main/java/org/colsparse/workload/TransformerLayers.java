package org.colsparse.workload;

/** PyTorch {@code nn.TransformerEncoderLayer}-shaped blocks shared by the motion transformers. */
final class TransformerLayers {
    private TransformerLayers() {
    }

    /**
     * {@code count} encoder layers named {@code prefix.i}: self-attention with PyTorch's packed
     * {@code in_proj} (q = k = v, so one GEMM to 3 x d), out_proj, linear1 -> GELU -> linear2, two
     * LayerNorms. The GELU site is {@code prefix.i.ff}.
     */
    static void encoderLayer(ShapeBuilder b, String prefix, int count, long rows, long batch, long tokens,
                             int d, int heads, int ff) {
        for (int i = 0; i < count; i++) {
            encoderLayer(b, prefix + "." + i, rows, batch, tokens, d, heads, ff);
        }
    }

    static void encoderLayer(ShapeBuilder b, String name, long rows, long batch, long tokens, int d, int heads, int ff) {
        b.linear(name + ".self_attn.in_proj", rows, d, 3L * d, true);
        b.attentionProducts(name + ".self_attn", batch * heads, tokens, tokens, d / heads);
        b.linear(name + ".self_attn.out_proj", rows, d, d, true);
        b.norm(d);
        b.linear(name + ".linear1", rows, d, ff, true);
        b.site(name + ".ff", rows, ff, tokens);
        b.linear(name + ".linear2", rows, ff, d, true, name + ".ff");
        b.norm(d);
    }
}
