package org.colsparse.workload;

/**
 * One GEMM of a denoiser call: an activation A of {@code m x k} times a weight W of {@code k x n}
 * (SCALE-Sim's topology order is M, N, K). {@code instances} identical GEMMs run back to back
 * (attention heads, batch entries that are not fused). {@code consumesSite} names the GELU site whose
 * output is A — only such GEMMs can skip columns — or is empty.
 */
public record Gemm(String name, long m, long n, long k, long instances, String consumesSite) {
    public Gemm {
        if (m <= 0 || n <= 0 || k <= 0 || instances <= 0) {
            throw new IllegalArgumentException("GEMM " + name + ": dimensions must be positive: m=" + m + " n=" + n + " k=" + k + " instances=" + instances);
        }
        consumesSite = consumesSite == null ? "" : consumesSite;
    }

    public Gemm(String name, long m, long n, long k) {
        this(name, m, n, k, 1, "");
    }

    public boolean consumesGelu() {
        return !consumesSite.isEmpty();
    }

    public long macs() {
        return m * n * k * instances;
    }
}
