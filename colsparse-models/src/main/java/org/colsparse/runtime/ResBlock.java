package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;

/**
 * A UNet residual block with GroupNorm and a time embedding (diffusers' ResnetBlock2D names:
 * norm1, conv1, time_emb_proj, norm2, conv2, conv_shortcut). SiLU throughout: no GELU site.
 */
public final class ResBlock {
    private final Params p;
    private final String prefix;
    private final int groups;
    private final float eps;
    private final boolean shortcut;

    public ResBlock(Params p, String prefix, int in, int out, int tembDim, int groups, float eps) {
        this.p = p;
        this.prefix = prefix;
        this.groups = groups;
        this.eps = eps;
        this.shortcut = in != out;
        p.declare(prefix + ".norm1.weight", in);
        p.declare(prefix + ".norm1.bias", in);
        p.declare(prefix + ".conv1.weight", out, in, 3, 3);
        p.declare(prefix + ".conv1.bias", out);
        p.declare(prefix + ".time_emb_proj.weight", out, tembDim);
        p.declare(prefix + ".time_emb_proj.bias", out);
        p.declare(prefix + ".norm2.weight", out);
        p.declare(prefix + ".norm2.bias", out);
        p.declare(prefix + ".conv2.weight", out, out, 3, 3);
        p.declare(prefix + ".conv2.bias", out);
        if (shortcut) {
            p.declare(prefix + ".conv_shortcut.weight", out, in, 1, 1);
            p.declare(prefix + ".conv_shortcut.bias", out);
        }
    }

    /** @param x (B, in, H, W); temb (B, tembDim) → (B, out, H, W) */
    public NDArray forward(NDArray x, NDArray temb) {
        NDArray h = Nn.silu(Nn.groupNorm(x, groups, p.get(prefix + ".norm1.weight"), p.get(prefix + ".norm1.bias"), eps));
        h = Nn.conv2d(h, p.get(prefix + ".conv1.weight"), p.get(prefix + ".conv1.bias"), 1);
        NDArray t = Nn.linear(Nn.silu(temb), p, prefix + ".time_emb_proj");
        h = h.add(t.reshape(t.getShape().get(0), t.getShape().get(1), 1, 1));
        h = Nn.silu(Nn.groupNorm(h, groups, p.get(prefix + ".norm2.weight"), p.get(prefix + ".norm2.bias"), eps));
        h = Nn.conv2d(h, p.get(prefix + ".conv2.weight"), p.get(prefix + ".conv2.bias"), 1);
        NDArray skip = shortcut ? Nn.conv2d(x, p.get(prefix + ".conv_shortcut.weight"), p.get(prefix + ".conv_shortcut.bias"), 0) : x;
        return skip.add(h);
    }
}
