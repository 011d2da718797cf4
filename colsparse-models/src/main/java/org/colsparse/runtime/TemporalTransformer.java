package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;

/**
 * AnimateDiff's motion module: attention across the frames at every spatial position. Input is the
 * UNet's (B * F, C, H, W); each position's F frames become a sequence with sinusoidal frame
 * positions; two self-attention layers (attention_blocks.0/1 with norms.0/1) and a GEGLU
 * feed-forward (ff, ff_norm). The GEGLU site sees (B * H * W * F) rows.
 */
public final class TemporalTransformer {
    private final Params p;
    private final String prefix;
    private final int channels;
    private final int groups;
    private final int frames;
    private final Attention[] attn = new Attention[2];
    private final GegluFeedForward ff;
    private final boolean perFrameNorm;

    /** The tiny models' variant: the input GroupNorm normalizes each video over all its frames together. */
    public TemporalTransformer(Params p, String prefix, int channels, int heads, int frames, int groups, Sites sites, String siteName) {
        this(p, prefix, channels, heads, frames, groups, sites, siteName, false);
    }

    /**
     * The official AnimateDiff module (guoyww/AnimateDiff {@code animatediff/models/motion_module.py}
     * TemporalTransformer3DModel): its GroupNorm runs after {@code "b c f h w -> (b f) c h w"}, so
     * each frame is normalized on its own.
     */
    public static TemporalTransformer perFrameNorm(Params p, String prefix, int channels, int heads, int frames, int groups,
                                                   Sites sites, String siteName) {
        return new TemporalTransformer(p, prefix, channels, heads, frames, groups, sites, siteName, true);
    }

    private TemporalTransformer(Params p, String prefix, int channels, int heads, int frames, int groups, Sites sites, String siteName,
                                boolean perFrameNorm) {
        this.p = p;
        this.perFrameNorm = perFrameNorm;
        this.prefix = prefix;
        this.channels = channels;
        this.groups = groups;
        this.frames = frames;
        TransformerBlock.declareNorm(p, prefix + ".norm", channels);
        p.declare(prefix + ".proj_in.weight", channels, channels);
        p.declare(prefix + ".proj_in.bias", channels);
        String blk = prefix + ".transformer_blocks.0";
        for (int i = 0; i < 2; i++) {
            TransformerBlock.declareNorm(p, blk + ".norms." + i, channels);
            attn[i] = Attention.separate(p, blk + ".attention_blocks." + i, channels, channels, heads, channels / heads);
        }
        TransformerBlock.declareNorm(p, blk + ".ff_norm", channels);
        ff = new GegluFeedForward(p, blk + ".ff", channels, 4, sites, siteName);
        p.declare(prefix + ".proj_out.weight", channels, channels);
        p.declare(prefix + ".proj_out.bias", channels);
    }

    /** @param x (B * F, C, H, W) with frames consecutive per video */
    public NDArray forward(NDArray x, GeluTap tap) {
        long bf = x.getShape().get(0);
        long b = bf / frames;
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray t = perFrameNorm
                ? Nn.groupNorm(x, groups, p.get(prefix + ".norm.weight"), p.get(prefix + ".norm.bias"), 1e-6f)
                        .reshape(b, frames, channels, h, w).transpose(0, 2, 1, 3, 4)
                : Nn.groupNorm(x.reshape(b, frames, channels, h, w).transpose(0, 2, 1, 3, 4), groups,
                        p.get(prefix + ".norm.weight"), p.get(prefix + ".norm.bias"), 1e-6f);
        // (B, C, F, H, W) -> (B, H, W, F, C) -> (B*H*W, F, C)
        t = t.transpose(0, 3, 4, 2, 1).reshape(b * h * w, frames, channels);
        t = Nn.linear(t, p, prefix + ".proj_in");
        NDArray pe = Embeddings.positional(x.getManager(), frames, channels).reshape(1, frames, channels);
        String blk = prefix + ".transformer_blocks.0";
        for (int i = 0; i < 2; i++) {
            NDArray n = Nn.layerNorm(t, p, blk + ".norms." + i, 1e-5f).add(pe);
            t = t.add(attn[i].forward(n, null));
        }
        if (perFrameNorm) {
            // the official module runs its feed-forward on "(b f) d c" tokens: the GEMM's (and the site's)
            // rows are ordered (b, f, h, w), which decides how row tiles fall (docs/definitions.md)
            t = t.reshape(b, h, w, frames, channels).transpose(0, 3, 1, 2, 4).reshape(bf, h * w, channels);
            t = t.add(ff.forward(Nn.layerNorm(t, p, blk + ".ff_norm", 1e-5f), tap));
            t = Nn.linear(t, p, prefix + ".proj_out");
            return t.reshape(bf, h, w, channels).transpose(0, 3, 1, 2).add(x);
        }
        t = t.add(ff.forward(Nn.layerNorm(t, p, blk + ".ff_norm", 1e-5f), tap));
        t = Nn.linear(t, p, prefix + ".proj_out");
        // back to (B * F, C, H, W)
        t = t.reshape(b, h, w, frames, channels).transpose(0, 3, 4, 1, 2).reshape(bf, channels, h, w);
        return t.add(x);
    }
}
