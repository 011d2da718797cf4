package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;

/**
 * PyTorch's nn.TransformerEncoderLayer with GELU (MDM, MLD): self_attn, linear1 -> GELU -> linear2,
 * norm1, norm2; post-norm by default, pre-norm with {@code normFirst}. Batch-first (B, S, dim).
 */
public final class EncoderLayer {
    private final Params p;
    private final String prefix;
    private final boolean normFirst;
    private final Attention attn;
    private final GeluSite site;

    public EncoderLayer(Params p, String prefix, int dim, int heads, int ffDim, boolean normFirst, Sites sites, String siteName) {
        this.p = p;
        this.prefix = prefix;
        this.normFirst = normFirst;
        attn = Attention.fused(p, prefix + ".self_attn", dim, heads);
        declareFeedForward(p, prefix, dim, ffDim);
        TransformerBlock.declareNorm(p, prefix + ".norm1", dim);
        TransformerBlock.declareNorm(p, prefix + ".norm2", dim);
        site = sites.add(siteName, ffDim, GeluForm.EXACT, SiteLayout.CHANNEL_LAST, "ffn");
    }

    static void declareFeedForward(Params p, String prefix, int dim, int ffDim) {
        p.declare(prefix + ".linear1.weight", ffDim, dim);
        p.declare(prefix + ".linear1.bias", ffDim);
        p.declare(prefix + ".linear2.weight", dim, ffDim);
        p.declare(prefix + ".linear2.bias", dim);
    }

    static NDArray feedForward(NDArray x, Params p, String prefix, GeluSite site, GeluTap tap) {
        return Nn.linear(site.apply(Nn.linear(x, p, prefix + ".linear1"), tap), p, prefix + ".linear2");
    }

    /** @param x (B, S, dim) */
    public NDArray forward(NDArray x, GeluTap tap) {
        if (normFirst) {
            NDArray h = x.add(attn.forward(Nn.layerNorm(x, p, prefix + ".norm1", 1e-5f), null));
            return h.add(feedForward(Nn.layerNorm(h, p, prefix + ".norm2", 1e-5f), p, prefix, site, tap));
        }
        NDArray h = Nn.layerNorm(x.add(attn.forward(x, null)), p, prefix + ".norm1", 1e-5f);
        return Nn.layerNorm(h.add(feedForward(h, p, prefix, site, tap)), p, prefix + ".norm2", 1e-5f);
    }
}
