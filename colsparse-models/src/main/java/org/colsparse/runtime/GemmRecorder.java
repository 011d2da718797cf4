package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import org.colsparse.workload.Gemm;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes down every GEMM a denoiser call computes — linear layers, convolutions as im2col GEMMs,
 * the two products of each attention — as the network runs, so the simulator can replay the
 * profiled model's own call instead of a table of shapes. A GEMM whose activation operand is a GELU
 * site's output (or, for GEGLU, {@code value * gelu(gate)}) is marked as that site's consumer: its
 * columns can be skipped with the site's mask. Anything else in between (a residual add, a norm)
 * makes a new tensor, so the GEMM after it is not a consumer: skipping needs the zeros to reach
 * the GEMM unchanged.
 *
 * <p>Recording is off unless {@link #start()} was called; the runtimes run one call at a time on one
 * thread, so a single active recorder is enough.
 */
public final class GemmRecorder {
    private static GemmRecorder active;

    /**
     * One recorded GEMM. For a convolution consumer, {@code conv} says how its im2col operand is
     * built from the site's channel-last output.
     */
    public record Op(Gemm gemm, ConvGeometry conv) {
    }

    /**
     * An im2col convolution over (batch, channels, height, width) with a square kernel, stride and
     * symmetric zero padding: GEMM rows are (batch, out y, out x), columns (channel, ky, kx).
     */
    public record ConvGeometry(int batch, int channels, int height, int width, int kernel, int stride, int padding) {
        public int outHeight() {
            return (height + 2 * padding - kernel) / stride + 1;
        }

        public int outWidth() {
            return (width + 2 * padding - kernel) / stride + 1;
        }
    }

    private final List<Op> ops = new ArrayList<>();
    private final Map<NDArray, GeluSite> siteOutputs = new IdentityHashMap<>();
    private final Map<String, Integer> names = new java.util.HashMap<>();

    private GemmRecorder() {
    }

    /** Starts recording (replacing any recorder still active) and returns the new recorder. */
    public static GemmRecorder start() {
        active = new GemmRecorder();
        return active;
    }

    /** Stops recording; returns what was recorded since {@link #start()}, or an empty list. */
    public static List<Op> stop() {
        GemmRecorder r = active;
        active = null;
        return r == null ? List.of() : List.copyOf(r.ops);
    }

    /** Whether a recorder is active: a runtime that measures its GEMMs apart (an ONNX graph) asks before paying for it. */
    public static boolean recording() {
        return active != null;
    }

    /** Records one call's GEMMs measured outside DJL (an ONNX graph's, {@code GemmProbe}), in order. */
    public static void record(List<Op> ops) {
        if (active == null) {
            return;
        }
        for (Op o : ops) {
            Gemm g = o.gemm();
            active.addNamed(g.name(), g.m(), g.n(), g.k(), g.instances(), g.consumesSite(), o.conv());
        }
    }

    /** Marks {@code output} as carrying {@code site}'s zeros unchanged into whatever GEMM reads it next. */
    static void siteOutput(NDArray output, GeluSite site) {
        if (active != null) {
            active.siteOutputs.put(output, site);
        }
    }

    /** The site whose zeros {@code a} carries, if any. */
    static GeluSite siteOf(NDArray a) {
        return active == null ? null : active.siteOutputs.get(a);
    }

    static void linear(String name, NDArray x, NDArray w) {
        if (active == null) {
            return;
        }
        long k = w.getShape().get(1);
        long n = w.getShape().get(0);
        long m = x.getShape().size() / k;
        GeluSite site = active.siteOutputs.get(x);
        active.add(name, m, n, k, 1, site, null);
    }

    static void conv2d(NDArray x, NDArray w, int stride, int padding) {
        if (active == null) {
            return;
        }
        long[] s = x.getShape().getShape();
        long out = w.getShape().get(0);
        long in = w.getShape().get(1);
        int kernel = (int) w.getShape().get(2);
        ConvGeometry g = new ConvGeometry((int) s[0], (int) s[1], (int) s[2], (int) s[3], kernel, stride, padding);
        long m = (long) g.batch() * g.outHeight() * g.outWidth();
        GeluSite site = active.siteOutputs.get(x);
        active.add("conv" + kernel + "x" + kernel, m, out, in * kernel * kernel, 1, site, site == null ? null : g);
    }

    /** Q K^T and P V of multi-head attention over (B, N, C) queries and (B, L, C) keys. */
    static void attention(long batch, long queries, long keys, long channels, int heads) {
        if (active == null) {
            return;
        }
        long d = channels / heads;
        active.add("attention.qk", queries, keys, d, batch * heads, null, null);
        active.add("attention.pv", queries, d, keys, batch * heads, null, null);
    }

    private void add(String name, long m, long n, long k, long instances, GeluSite site, ConvGeometry conv) {
        addNamed(name, m, n, k, instances, site == null ? null : site.name(), conv);
    }

    private void addNamed(String name, long m, long n, long k, long instances, String site, ConvGeometry conv) {
        int seen = names.merge(name, 1, Integer::sum);
        String unique = seen == 1 ? name : name + "#" + seen;
        ops.add(new Op(new Gemm(unique, m, n, k, instances, site), conv));
    }
}
