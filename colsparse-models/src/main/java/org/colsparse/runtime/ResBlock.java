package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

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
    private final int jointFrames;

    public ResBlock(Params p, String prefix, int in, int out, int tembDim, int groups, float eps) {
        this(p, prefix, in, out, tembDim, groups, eps, 0);
    }

    /**
     * @param jointFrames 0 to normalize each image on its own; else the input is videos of this many
     *                    consecutive frames and both GroupNorms normalize each video over all its frames
     *                    (AnimateDiff v1's ResnetBlock3D: torch GroupNorm on (b, c, f, h, w), {@code use_inflated_groupnorm: false})
     */
    public ResBlock(Params p, String prefix, int in, int out, int tembDim, int groups, float eps, int jointFrames) {
        this.p = p;
        this.jointFrames = jointFrames;
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
        NDArray h = Nn.silu(norm(x, "norm1"));
        h = Nn.conv2d(h, p.get(prefix + ".conv1.weight"), p.get(prefix + ".conv1.bias"), 1);
        NDArray t = Nn.linear(Nn.silu(temb), p, prefix + ".time_emb_proj");
        h = h.add(t.reshape(t.getShape().get(0), t.getShape().get(1), 1, 1));
        h = Nn.silu(norm(h, "norm2"));
        h = Nn.conv2d(h, p.get(prefix + ".conv2.weight"), p.get(prefix + ".conv2.bias"), 1);
        NDArray skip = shortcut ? Nn.conv2d(x, p.get(prefix + ".conv_shortcut.weight"), p.get(prefix + ".conv_shortcut.bias"), 0) : x;
        return skip.add(h);
    }

    private NDArray norm(NDArray x, String name) {
        return groupNorm(x, groups, p.get(prefix + "." + name + ".weight"), p.get(prefix + "." + name + ".bias"), eps, jointFrames);
    }

    /**
     * GroupNorm of (N, C, H, W) images, or with {@code jointFrames > 0} of videos stored as N = videos x
     * frames consecutive images, each video normalized over all its frames together.
     */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps, int jointFrames) {
        if (jointFrames == 0) {
            return Nn.groupNorm(x, groups, gamma, beta, eps);
        }
        Shape s = x.getShape();
        long videos = s.get(0) / jointFrames;
        NDArray v = x.reshape(videos, jointFrames, s.get(1), s.get(2), s.get(3)).transpose(0, 2, 1, 3, 4);
        return Nn.groupNorm(v, groups, gamma, beta, eps).transpose(0, 2, 1, 3, 4).reshape(s);
    }
}
