package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * What happens at every GELU site of a run: an optional observer (profiling) and an optional
 * threshold below which outputs are forced to exact zeros (accuracy sweep). A model run without a
 * tap passes {@code null} and pays nothing beyond the GELU itself. A tap is not thread-safe: one
 * sampling loop, one thread.
 */
public final class GeluTap {
    private final GeluObserver observer;
    private final double tau;
    private final float tauFloat;
    /** Reused copy buffer: a tap serves one sampling loop on one thread. */
    private float[] scratch;

    private GeluTap(GeluObserver observer, double tau) {
        if (!Double.isNaN(tau) && !(tau >= 0 && Double.isFinite(tau))) {
            throw new IllegalArgumentException("zeroing threshold must be a finite value >= 0, got " + tau);
        }
        this.observer = observer;
        this.tau = tau;
        this.tauFloat = Double.isNaN(tau) ? Float.NaN : org.colsparse.sparsity.NearZeroMask.largestFloatNotAbove(tau);
    }

    /** Only watches: outputs flow on unchanged. */
    public static GeluTap observing(GeluObserver observer) {
        return new GeluTap(observer, Double.NaN);
    }

    /** Replaces every output with {@code |a| <= tau} by an exact +0 (docs/definitions.md "near zero"). */
    public static GeluTap zeroing(double tau) {
        return new GeluTap(null, tau);
    }

    /** Zeroes at {@code tau}, then lets the observer see what flows downstream. */
    public static GeluTap zeroingAndObserving(double tau, GeluObserver observer) {
        return new GeluTap(observer, tau);
    }

    /** The zeroing threshold, NaN when this tap does not zero. */
    public double tau() {
        return tau;
    }

    /**
     * Hands a site output computed outside DJL (an ONNX graph's) to the observer: {@code data} is the
     * channel-last view, already zeroed at {@link #tau()} when this tap zeroes.
     */
    public void observe(GeluSite site, float[] data, int rows) {
        if (observer != null) {
            observer.accept(site, data, rows);
        }
    }

    NDArray process(GeluSite site, NDArray y) {
        NDArray out = y;
        if (!Double.isNaN(tau)) {
            // |a| <= tau in exact arithmetic equals |a| <= the largest float32 not above tau
            out = NDArrays.where(y.abs().gt(tauFloat), y, y.zerosLike());
        }
        if (observer != null) {
            float[] data = site.layout() == SiteLayout.CHANNEL_FIRST ? channelLast(out, site.channels()) : copy(out);
            observer.accept(site, data, data.length / site.channels());
        }
        return out;
    }

    /**
     * Row-major copy. toByteBuffer(true) views the tensor's own memory, so the bulk get is the only
     * copy; toFloatArray allocates a fresh direct buffer per call and was ~2x slower on ddpm-mnist.
     */
    private static float[] copy(NDArray out) {
        float[] data = new float[Math.toIntExact(out.size())];
        out.toByteBuffer(true).asFloatBuffer().get(data);
        return data;
    }

    /**
     * (B, C, spatial...) to (B * spatial, C), transposed in Java: a PyTorch-side transpose before
     * the copy made the tap's copy-out ~3x more expensive, most of its overhead on ddpm-mnist.
     */
    private float[] channelLast(NDArray out, int channels) {
        int n = Math.toIntExact(out.size());
        if (scratch == null || scratch.length < n) {
            scratch = new float[n];
        }
        out.toByteBuffer(true).asFloatBuffer().get(scratch, 0, n);
        return channelLast(scratch, n, out.getShape().get(0), channels);
    }

    /**
     * The first {@code n} elements of {@code src}, a (B, C, spatial...) tensor of {@code batch} rows,
     * as a fresh (B * spatial, C) array; the ONNX runtime's site outputs go through it too.
     */
    public static float[] channelLast(float[] src, int n, long batch, int channels) {
        int positions = (int) (n / batch / channels);
        float[] data = new float[n];
        for (int b = 0; b < batch; b++) {
            int base = b * channels * positions;
            for (int c = 0; c < channels; c++) {
                int from = base + c * positions;
                int to = base + c;
                for (int p = 0; p < positions; p++) {
                    data[to + p * channels] = src[from + p];
                }
            }
        }
        return data;
    }
}
