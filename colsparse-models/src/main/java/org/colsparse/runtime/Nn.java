package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/** Stateless layer functions over explicit weight tensors, in PyTorch's conventions (weights [out, in, ...]). */
public final class Nn {
    private Nn() {
    }

    /** x @ w^T + b over the last axis; {@code b} may be null. */
    public static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return linear("linear", x, w, b);
    }

    /** Linear layer {@code prefix.weight}/{@code prefix.bias} of a parameter store. */
    public static NDArray linear(NDArray x, Params p, String prefix) {
        return linear(prefix, x, p.get(prefix + ".weight"), p.get(prefix + ".bias"));
    }

    /** {@link #linear(NDArray, NDArray, NDArray)} recorded under {@code name}. */
    public static NDArray linear(String name, NDArray x, NDArray w, NDArray b) {
        GemmRecorder.linear(name, x, w);
        return b == null ? Linear.linear(x, w).singletonOrThrow() : Linear.linear(x, w, b).singletonOrThrow();
    }

    /** 2-D convolution, stride 1, symmetric zero padding. */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int padding) {
        return conv2d(x, w, b, 1, padding);
    }

    /** Channels oneDNN's AVX-512 convolution packs into one block; see {@link #conv2d(NDArray, NDArray, NDArray, int, int)}. */
    static final int CHANNEL_BLOCK = 16;

    /**
     * 2-D convolution with a square stride and symmetric zero padding.
     *
     * <p>Input channels are zero-padded to a multiple of 16 when there are more than 16 of them and
     * the kernel is larger than 1x1: on AVX-512 CPUs the PyTorch 2.7.1 native library (oneDNN 3.7.1,
     * {@code jit:avx512_core} direct convolution on {@code aBcd16b} blocked tensors) returns wrong
     * outputs, 10-60 % off and sometimes NaN, for exactly those shapes (docs/avx512.md,
     * {@code ConvolutionIsaTest}). Zero channels with zero weights add exact zeros to every sum, so
     * the result is the same convolution on every CPU.
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int padding) {
        GemmRecorder.conv2d(x, w, stride, padding);
        long in = w.getShape().get(1);
        boolean kernelOverOne = w.getShape().get(2) * w.getShape().get(3) > 1;
        if (kernelOverOne && in > CHANNEL_BLOCK && in % CHANNEL_BLOCK != 0) {
            long pad = CHANNEL_BLOCK - in % CHANNEL_BLOCK;
            x = padChannels(x, pad);
            w = padChannels(w, pad);
        }
        return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
    }

    /** Appends {@code extra} all-zero channels on axis 1. */
    private static NDArray padChannels(NDArray t, long extra) {
        Shape s = t.getShape();
        long[] dims = s.getShape().clone();
        dims[1] = extra;
        return t.concat(t.getManager().zeros(new Shape(dims), t.getDataType()), 1);
    }

    /** Layer norm over the trailing {@code normalized} axes; gamma/beta may be null (no affine). */
    public static NDArray layerNorm(NDArray x, Shape normalized, NDArray gamma, NDArray beta, float eps) {
        NDArray g = gamma != null ? gamma : x.getManager().ones(normalized);
        NDArray b = beta != null ? beta : x.getManager().zeros(normalized);
        return LayerNorm.layerNorm(x, normalized, g, b, eps).singletonOrThrow();
    }

    /** Layer norm over the last axis with {@code prefix.weight}/{@code prefix.bias}. */
    public static NDArray layerNorm(NDArray x, Params p, String prefix, float eps) {
        long c = x.getShape().get(x.getShape().dimension() - 1);
        return layerNorm(x, new Shape(c), p.get(prefix + ".weight"), p.get(prefix + ".bias"), eps);
    }

    /** Group norm of a channel-first tensor (B, C, ...), affine per channel. */
    public static NDArray groupNorm(NDArray x, int groups, NDArray gamma, NDArray beta, float eps) {
        Shape s = x.getShape();
        long b = s.get(0);
        long c = s.get(1);
        NDArray g = x.reshape(b, groups, -1);
        NDArray mean = g.mean(new int[] {2}, true);
        NDArray centered = g.sub(mean);
        NDArray var = centered.square().mean(new int[] {2}, true);
        NDArray norm = centered.div(var.add(eps).sqrt()).reshape(s);
        long[] affine = new long[s.dimension()];
        java.util.Arrays.fill(affine, 1);
        affine[1] = c;
        return norm.mul(gamma.reshape(affine)).add(beta.reshape(affine));
    }

    /**
     * A scalar as a tensor PyTorch owns, for products that autograd differentiates. DJL 0.36's
     * {@code mul(Number)} / {@code pow(Number)} wrap the scalar in a Java direct buffer and release it
     * right after the op, but autograd keeps the scalar for backward: after a garbage collection
     * the gradient reads freed memory (measured: NaN or 1e18 gradients when training).
     */
    public static NDArray constant(NDArray like, float value) {
        return like.getManager().full(new Shape(), value, like.getDataType());
    }

    public static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /**
     * DJL 0.36's Mish, which computes x * tanh(log2(1 + e^x)) instead of x * tanh(ln(1 + e^x))
     * (-0.362 at x = -2 where Mish is -0.2525). The tiny EDGE was trained with it, so it keeps it to
     * stay bit-identical with its shipped weights; the full-size EDGE, which must match the official
     * model, uses {@link FilmDecoderLayer#mish}, the exact one.
     */
    public static NDArray mish(NDArray x) {
        return Activation.mish(x);
    }

    /**
     * Scaled dot-product attention with {@code heads} heads over (B, N, C) queries and (B, L, C)
     * keys/values (already projected).
     */
    public static NDArray attention(NDArray q, NDArray k, NDArray v, int heads) {
        long b = q.getShape().get(0);
        long n = q.getShape().get(1);
        long l = k.getShape().get(1);
        long c = q.getShape().get(2);
        long d = c / heads;
        GemmRecorder.attention(b, n, l, c, heads);
        NDArray qh = q.reshape(b, n, heads, d).transpose(0, 2, 1, 3);
        NDArray kh = k.reshape(b, l, heads, d).transpose(0, 2, 3, 1);
        NDArray vh = v.reshape(b, l, heads, d).transpose(0, 2, 1, 3);
        NDArray scores = qh.matMul(kh).mul(constant(q, (float) (1 / Math.sqrt(d))));
        NDArray out = scores.softmax(-1).matMul(vh);
        return out.transpose(0, 2, 1, 3).reshape(b, n, c);
    }
}
