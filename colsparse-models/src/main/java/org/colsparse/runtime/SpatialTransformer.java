package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;

/**
 * The SD-family spatial transformer (diffusers Transformer2DModel, conv 1x1 projections): GroupNorm,
 * proj_in, transformer_blocks over the H x W tokens, proj_out, residual. The GEGLU site sees
 * (B * H * W) rows.
 */
public final class SpatialTransformer {
    private final Params p;
    private final String prefix;
    private final int channels;
    private final int groups;
    private final TransformerBlock[] blocks;

    public SpatialTransformer(Params p, String prefix, int channels, int contextDim, int heads, int depth, int groups,
                              Sites sites, String siteName) {
        this.p = p;
        this.prefix = prefix;
        this.channels = channels;
        this.groups = groups;
        TransformerBlock.declareNorm(p, prefix + ".norm", channels);
        p.declare(prefix + ".proj_in.weight", channels, channels, 1, 1);
        p.declare(prefix + ".proj_in.bias", channels);
        blocks = new TransformerBlock[depth];
        for (int i = 0; i < depth; i++) {
            blocks[i] = new TransformerBlock(p, prefix + ".transformer_blocks." + i, channels, contextDim, heads, sites,
                    depth == 1 ? siteName : siteName + "." + i);
        }
        p.declare(prefix + ".proj_out.weight", channels, channels, 1, 1);
        p.declare(prefix + ".proj_out.bias", channels);
    }

    /** @param x (B, C, H, W); context (B, L, contextDim) or null */
    public NDArray forward(NDArray x, NDArray context, GeluTap tap) {
        long b = x.getShape().get(0);
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        NDArray t = Nn.groupNorm(x, groups, p.get(prefix + ".norm.weight"), p.get(prefix + ".norm.bias"), 1e-6f);
        t = Nn.conv2d(t, p.get(prefix + ".proj_in.weight"), p.get(prefix + ".proj_in.bias"), 0);
        t = t.transpose(0, 2, 3, 1).reshape(b, h * w, channels);
        for (TransformerBlock block : blocks) {
            t = block.forward(t, context, tap);
        }
        t = t.reshape(b, h, w, channels).transpose(0, 3, 1, 2);
        return Nn.conv2d(t, p.get(prefix + ".proj_out.weight"), p.get(prefix + ".proj_out.bias"), 0).add(x);
    }
}
