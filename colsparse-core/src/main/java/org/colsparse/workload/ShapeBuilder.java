package org.colsparse.workload;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the GEMMs, GELU sites and parameters of one denoiser call while a model's layers are
 * walked in execution order. Each layer method both records its GEMMs and adds its parameters, so
 * the two tallies cannot drift apart.
 */
final class ShapeBuilder {
    private final List<Gemm> gemms = new ArrayList<>();
    private final List<GeluSite> sites = new ArrayList<>();
    private long parameters;

    /** A dense layer over {@code rows} token rows: A is rows x in, W is in x out. */
    void linear(String name, long rows, long in, long out, boolean bias) {
        linear(name, rows, in, out, bias, "");
    }

    /** A dense layer that reads the output of GELU site {@code site}. */
    void linear(String name, long rows, long in, long out, boolean bias, String site) {
        gemms.add(new Gemm(name, rows, out, in, 1, site));
        parameters += in * out + (bias ? out : 0);
    }

    /** A GEMM that has no weights of its own (attention products): no parameters. */
    void product(String name, long m, long n, long k, long instances) {
        gemms.add(new Gemm(name, m, n, k, instances, ""));
    }

    /**
     * A 2-D convolution as its im2col GEMM: M = images x H_out x W_out, K = Cin x kh x kw,
     * N = Cout. Returns {H_out, W_out}.
     */
    long[] conv(String name, long images, long h, long w, long cin, long cout, int kernel, int stride, int pad) {
        long hOut = (h + 2L * pad - kernel) / stride + 1;
        long wOut = (w + 2L * pad - kernel) / stride + 1;
        gemms.add(new Gemm(name, images * hOut * wOut, cout, cin * kernel * kernel, 1, ""));
        parameters += cin * kernel * kernel * cout + cout;
        return new long[] {hOut, wOut};
    }

    /**
     * Scaled dot-product attention's two weightless GEMMs, one instance per (batch entry, head):
     * scores Q K^T (q x d times d x kv) and the value product P V (q x kv times kv x d).
     */
    void attentionProducts(String name, long instances, long q, long kv, long headDim) {
        product(name + ".qk", q, kv, headDim, instances);
        product(name + ".pv", q, headDim, kv, instances);
    }

    /** GroupNorm or LayerNorm with affine scale and shift. */
    void norm(long channels) {
        parameters += 2 * channels;
    }

    /** Parameters that take part in no GEMM: embedding tables, learned position tables, null tokens. */
    void table(long count) {
        parameters += count;
    }

    void site(String name, long rows, long channels, long tokensPerSample) {
        sites.add(new GeluSite(name, rows, channels, tokensPerSample));
    }

    FullPreset build(String workload, String config) {
        return new FullPreset(workload, config, gemms, sites, parameters);
    }
}
