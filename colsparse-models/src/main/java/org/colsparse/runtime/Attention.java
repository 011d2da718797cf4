package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;

/**
 * Multi-head attention in two checkpoint conventions: diffusers' separate {@code to_q/to_k/to_v}
 * (no bias) + {@code to_out.0}, or PyTorch's {@code nn.MultiheadAttention} with a fused
 * {@code in_proj_weight/in_proj_bias} + {@code out_proj} (MDM, MLD, EDGE).
 */
public final class Attention {
    private final Params p;
    private final String prefix;
    private final int heads;
    private final int dim;
    private final boolean fused;

    /**
     * Score elements (batch x heads x queries x keys) above which attention runs a few batch entries at
     * a time, each slice's scores freed before the next: SD's 4096-token self-attention holds 0.5 GB of
     * scores per image and head group, AnimateDiff's 16 frames x CFG 2 would hold 17 GB at once. Only
     * full-size inference reaches it; the tiny models (and their training, which needs every
     * intermediate for backward) stay far below and take the single-call path.
     */
    static final long CHUNK_SCORES = 1L << 27;

    private Attention(Params p, String prefix, int heads, int dim, boolean fused) {
        this.p = p;
        this.prefix = prefix;
        this.heads = heads;
        this.dim = dim;
        this.fused = fused;
    }

    /** diffusers Attention: queries of {@code queryDim}, keys/values from {@code contextDim}, {@code heads * headDim} inner width. */
    public static Attention separate(Params p, String prefix, int queryDim, int contextDim, int heads, int headDim) {
        int inner = heads * headDim;
        p.declare(prefix + ".to_q.weight", inner, queryDim);
        p.declare(prefix + ".to_k.weight", inner, contextDim);
        p.declare(prefix + ".to_v.weight", inner, contextDim);
        p.declare(prefix + ".to_out.0.weight", queryDim, inner);
        p.declare(prefix + ".to_out.0.bias", queryDim);
        return new Attention(p, prefix, heads, inner, false);
    }

    /** nn.MultiheadAttention with embed_dim = kdim = vdim = {@code dim}. */
    public static Attention fused(Params p, String prefix, int dim, int heads) {
        p.declare(prefix + ".in_proj_weight", 3L * dim, dim);
        p.declare(prefix + ".in_proj_bias", 3L * dim);
        p.declare(prefix + ".out_proj.weight", dim, dim);
        p.declare(prefix + ".out_proj.bias", dim);
        return new Attention(p, prefix, heads, dim, true);
    }

    /** @param x (B, N, queryDim); context (B, L, contextDim) or null for self-attention */
    public NDArray forward(NDArray x, NDArray context) {
        NDArray ctx = context == null ? x : context;
        if (!fused) {
            NDArray q = Nn.linear(x, p.get(prefix + ".to_q.weight"), null);
            NDArray k = Nn.linear(ctx, p.get(prefix + ".to_k.weight"), null);
            NDArray v = Nn.linear(ctx, p.get(prefix + ".to_v.weight"), null);
            return Nn.linear(attention(q, k, v, heads, CHUNK_SCORES), p, prefix + ".to_out.0");
        }
        // PyTorch's _in_projection_packed: self-attention (q is k is v) is one product to 3 x dim,
        // cross-attention (k is v) one to dim from the queries and one to 2 x dim from the context.
        // The recorder must see those products, not three dim-wide ones: they tile differently.
        NDArray w = p.get(prefix + ".in_proj_weight");
        NDArray b = p.get(prefix + ".in_proj_bias");
        NDArray q;
        NDList kv;
        if (context == null) {
            NDList qkv = Nn.linear(prefix + ".in_proj", x, w, b).split(3, x.getShape().dimension() - 1);
            q = qkv.get(0);
            kv = new NDList(qkv.get(1), qkv.get(2));
        } else {
            String queryRows = "0:" + dim;
            String contextRows = dim + ":";
            q = Nn.linear(prefix + ".in_proj.q", x, w.get(queryRows), b.get(queryRows));
            kv = Nn.linear(prefix + ".in_proj.kv", ctx, w.get(contextRows), b.get(contextRows)).split(2, ctx.getShape().dimension() - 1);
        }
        return Nn.linear(Nn.attention(q, kv.get(0), kv.get(1), heads), p, prefix + ".out_proj");
    }

    /** {@link Nn#attention}, split along the batch when the scores would exceed {@code maxScores} elements. */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, int heads, long maxScores) {
        long b = q.getShape().get(0);
        long perEntry = heads * q.getShape().get(1) * k.getShape().get(1);
        if (b == 1 || b * perEntry <= maxScores) {
            return Nn.attention(q, k, v, heads);
        }
        long step = Math.max(1, maxScores / perEntry);
        NDList parts = new NDList();
        for (long i = 0; i < b; i += step) {
            String rows = i + ":" + Math.min(b, i + step);
            try (NDScope scope = new NDScope()) {
                NDArray part = Nn.attention(q.get(rows), k.get(rows), v.get(rows), heads);
                NDScope.unregister(part);
                parts.add(part);
            }
        }
        NDArray out = NDArrays.concat(parts, 0);
        parts.close();
        return out;
    }
}
