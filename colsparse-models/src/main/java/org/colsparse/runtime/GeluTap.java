package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * What happens at every GELU site of a run: an optional observer (profiling) and an optional
 * threshold below which outputs are forced to exact zeros (accuracy sweep). A model run without a
 * tap passes {@code null} and pays nothing beyond the GELU itself.
 */
public final class GeluTap {
    private final GeluObserver observer;
    private final double tau;
    private final float tauFloat;

    private GeluTap(GeluObserver observer, double tau) {
        if (!Double.isNaN(tau) && !(tau >= 0 && Double.isFinite(tau))) {
            throw new IllegalArgumentException("zeroing threshold must be a finite value >= 0, got " + tau);
        }
        this.observer = observer;
        this.tau = tau;
        this.tauFloat = Double.isNaN(tau) ? Float.NaN : largestFloatNotAbove(tau);
    }

    /** Only watches: outputs flow on unchanged. */
    public static GeluTap observing(GeluObserver observer) {
        return new GeluTap(observer, Double.NaN);
    }

    /** Replaces every output with {@code |a| <= tau} by an exact +0 (DESIGN §2 "near zero"). */
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

    NDArray process(GeluSite site, NDArray y) {
        NDArray out = y;
        if (!Double.isNaN(tau)) {
            // |a| <= tau in exact arithmetic equals |a| <= the largest float32 not above tau
            out = NDArrays.where(y.abs().gt(tauFloat), y, y.zerosLike());
        }
        if (observer != null) {
            NDArray view = out;
            if (site.layout() == SiteLayout.CHANNEL_FIRST) {
                int rank = out.getShape().dimension();
                int[] axes = new int[rank];
                axes[0] = 0;
                for (int i = 1; i < rank - 1; i++) {
                    axes[i] = i + 1;
                }
                axes[rank - 1] = 1;
                view = out.transpose(axes);
            }
            float[] data = view.toFloatArray();
            observer.accept(site, data, data.length / site.channels());
        }
        return out;
    }

    static float largestFloatNotAbove(double tau) {
        float f = (float) tau;
        return f > tau ? Math.nextDown(f) : f;
    }
}
