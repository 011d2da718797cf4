package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;

/**
 * diffusers' BasicTransformerBlock: pre-norm self-attention, cross-attention to a context (text,
 * audio or nothing), GEGLU feed-forward; names norm1, attn1, norm2, attn2, norm3, ff.
 */
public final class TransformerBlock {
    private final Params p;
    private final String prefix;
    private final Attention attn1;
    private final Attention attn2;
    private final GegluFeedForward ff;

    /** @param contextDim width of the cross-attention context; 0 for a block without cross-attention */
    public TransformerBlock(Params p, String prefix, int dim, int contextDim, int heads, Sites sites, String siteName) {
        this.p = p;
        this.prefix = prefix;
        declareNorm(p, prefix + ".norm1", dim);
        attn1 = Attention.separate(p, prefix + ".attn1", dim, dim, heads, dim / heads);
        if (contextDim > 0) {
            declareNorm(p, prefix + ".norm2", dim);
            attn2 = Attention.separate(p, prefix + ".attn2", dim, contextDim, heads, dim / heads);
        } else {
            attn2 = null;
        }
        declareNorm(p, prefix + ".norm3", dim);
        ff = new GegluFeedForward(p, prefix + ".ff", dim, 4, sites, siteName);
    }

    static void declareNorm(Params p, String name, int dim) {
        p.declare(name + ".weight", dim);
        p.declare(name + ".bias", dim);
    }

    /** @param x (B, N, dim); context (B, L, contextDim) or null */
    public NDArray forward(NDArray x, NDArray context, GeluTap tap) {
        NDArray h = x.add(attn1.forward(Nn.layerNorm(x, p, prefix + ".norm1", 1e-5f), null));
        if (attn2 != null) {
            h = h.add(attn2.forward(Nn.layerNorm(h, p, prefix + ".norm2", 1e-5f), context));
        }
        return h.add(ff.forward(Nn.layerNorm(h, p, prefix + ".norm3", 1e-5f), tap));
    }
}
