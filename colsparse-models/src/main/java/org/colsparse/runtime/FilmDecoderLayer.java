package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import org.colsparse.workload.SiteRole;

/**
 * EDGE's FiLMTransformerDecoderLayer (pre-norm): self-attention, cross-attention to the music
 * features, GELU feed-forward, each residual branch modulated by FiLM from the conditioning vector:
 * {@code (1 + scale) * branch + shift}, with {@code scale, shift = Linear(Mish(cond))} (film{1,2,3}.block.1).
 */
public final class FilmDecoderLayer {
    private final Params p;
    private final String prefix;
    private final int dim;
    private final int heads;
    private final boolean rotary;
    private final boolean exactMish;
    private final Attention self;
    private final Attention cross;
    private final GeluSite site;

    public FilmDecoderLayer(Params p, String prefix, int dim, int heads, int ffDim, int condDim, Sites sites, String siteName) {
        this(p, prefix, dim, heads, ffDim, condDim, false, false, sites, siteName);
    }

    /**
     * @param rotary rotate the attention inputs as EDGE does: self-attention queries and keys, and
     *               in cross-attention the queries and the memory's keys (each over its own
     *               positions); values are never rotated
     * @param exactMish  FiLM from PyTorch's {@code nn.Mish}, {@link #mish}; false keeps {@link Nn#mish}
     *                   (DJL 0.36's, which takes log2 where Mish takes ln: the tiny EDGE was trained with it)
     */
    public FilmDecoderLayer(Params p, String prefix, int dim, int heads, int ffDim, int condDim, boolean rotary, boolean exactMish,
                            Sites sites, String siteName) {
        this.p = p;
        this.prefix = prefix;
        this.dim = dim;
        this.heads = heads;
        this.rotary = rotary;
        this.exactMish = exactMish;
        self = Attention.fused(p, prefix + ".self_attn", dim, heads);
        cross = Attention.fused(p, prefix + ".multihead_attn", dim, heads);
        EncoderLayer.declareFeedForward(p, prefix, dim, ffDim);
        for (int i = 1; i <= 3; i++) {
            TransformerBlock.declareNorm(p, prefix + ".norm" + i, dim);
            p.declare(prefix + ".film" + i + ".block.1.weight", 2L * dim, condDim);
            p.declare(prefix + ".film" + i + ".block.1.bias", 2L * dim);
        }
        site = sites.add(siteName, ffDim, GeluForm.EXACT, SiteLayout.CHANNEL_LAST, SiteRole.FFN);
    }

    /** @param x (B, S, dim) motion tokens; memory (B, L, dim) condition tokens; cond (B, condDim) */
    public NDArray forward(NDArray x, NDArray memory, NDArray cond, GeluTap tap) {
        NDArray h = x.add(film(1, selfAttention(Nn.layerNorm(x, p, prefix + ".norm1", 1e-5f)), cond));
        h = h.add(film(2, crossAttention(Nn.layerNorm(h, p, prefix + ".norm2", 1e-5f), memory), cond));
        NDArray ff = EncoderLayer.feedForward(Nn.layerNorm(h, p, prefix + ".norm3", 1e-5f), p, prefix, site, tap);
        return h.add(film(3, ff, cond));
    }

    private NDArray selfAttention(NDArray x) {
        if (!rotary) {
            return self.forward(x, null);
        }
        NDArray qk = Embeddings.rotary(x);
        return EncoderLayer.fusedAttention(p, prefix + ".self_attn", dim, heads, qk, qk, x);
    }

    private NDArray crossAttention(NDArray x, NDArray memory) {
        if (!rotary) {
            return cross.forward(x, memory);
        }
        return EncoderLayer.fusedAttention(p, prefix + ".multihead_attn", dim, heads, Embeddings.rotary(x), Embeddings.rotary(memory), memory);
    }

    private NDArray film(int i, NDArray branch, NDArray cond) {
        NDArray ss = Nn.linear(exactMish ? mish(cond) : Nn.mish(cond), p, prefix + ".film" + i + ".block.1").expandDims(1);
        NDArray scale = ss.get(":, :, 0:" + dim);
        NDArray shift = ss.get(":, :, " + dim + ":");
        return branch.mul(scale.add(1f)).add(shift);
    }

    /**
     * PyTorch's {@code nn.Mish}: {@code x * tanh(ln(1 + e^x))}. DJL 0.36's {@code Activation.mish}
     * computes {@code log2(1 + e^x)} instead (measured: -0.362 at x = -2 where Mish is -0.2525).
     */
    public static NDArray mish(NDArray x) {
        return x.mul(x.exp().add(1f).log().tanh());
    }
}
