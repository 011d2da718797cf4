package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import org.colsparse.workload.SiteRole;

/**
 * PyTorch's nn.TransformerEncoderLayer with GELU (MDM, MLD): self_attn, linear1 -> GELU -> linear2,
 * norm1, norm2; post-norm by default, pre-norm with {@code normFirst}. Batch-first (B, S, dim).
 */
public final class EncoderLayer {
    private final Params p;
    private final String prefix;
    private final boolean normFirst;
    private final boolean rotary;
    private final int dim;
    private final int heads;
    private final Attention attn;
    private final GeluSite site;

    public EncoderLayer(Params p, String prefix, int dim, int heads, int ffDim, boolean normFirst, Sites sites, String siteName) {
        this(p, prefix, dim, heads, ffDim, normFirst, false, sites, siteName);
    }

    /**
     * @param rotary rotate the self-attention's query and key inputs (not the values) with
     *               {@link Embeddings#rotary}, as EDGE's condition encoder does
     */
    public EncoderLayer(Params p, String prefix, int dim, int heads, int ffDim, boolean normFirst, boolean rotary, Sites sites, String siteName) {
        this.p = p;
        this.prefix = prefix;
        this.normFirst = normFirst;
        this.rotary = rotary;
        this.dim = dim;
        this.heads = heads;
        attn = Attention.fused(p, prefix + ".self_attn", dim, heads);
        declareFeedForward(p, prefix, dim, ffDim);
        TransformerBlock.declareNorm(p, prefix + ".norm1", dim);
        TransformerBlock.declareNorm(p, prefix + ".norm2", dim);
        site = sites.add(siteName, ffDim, GeluForm.EXACT, SiteLayout.CHANNEL_LAST, SiteRole.FFN);
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

    /**
     * nn.MultiheadAttention with separate query, key and value inputs (PyTorch's
     * {@code self_attn(q, k, v)}): what rotary models need, since only q and k are rotated.
     */
    static NDArray fusedAttention(Params p, String prefix, int dim, int heads, NDArray q, NDArray k, NDArray v) {
        NDArray w = p.get(prefix + ".in_proj_weight");
        NDArray b = p.get(prefix + ".in_proj_bias");
        String[] rows = {"0:" + dim, dim + ":" + 2 * dim, 2 * dim + ":"};
        NDArray qp = Nn.linear(q, w.get(rows[0]), b.get(rows[0]));
        NDArray kp = Nn.linear(k, w.get(rows[1]), b.get(rows[1]));
        NDArray vp = Nn.linear(v, w.get(rows[2]), b.get(rows[2]));
        return Nn.linear(Nn.attention(qp, kp, vp, heads), p, prefix + ".out_proj");
    }

    private NDArray selfAttention(NDArray x) {
        if (!rotary) {
            return attn.forward(x, null);
        }
        NDArray qk = Embeddings.rotary(x);
        return fusedAttention(p, prefix + ".self_attn", dim, heads, qk, qk, x);
    }

    /** @param x (B, S, dim) */
    public NDArray forward(NDArray x, GeluTap tap) {
        if (normFirst) {
            NDArray h = x.add(selfAttention(Nn.layerNorm(x, p, prefix + ".norm1", 1e-5f)));
            return h.add(feedForward(Nn.layerNorm(h, p, prefix + ".norm2", 1e-5f), p, prefix, site, tap));
        }
        NDArray h = Nn.layerNorm(x.add(selfAttention(x)), p, prefix + ".norm1", 1e-5f);
        return Nn.layerNorm(h.add(feedForward(h, p, prefix, site, tap)), p, prefix + ".norm2", 1e-5f);
    }
}
