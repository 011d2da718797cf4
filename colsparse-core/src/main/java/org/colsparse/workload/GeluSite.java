package org.colsparse.workload;

/**
 * One GELU application of a full-size denoiser call, viewed as docs/definitions.md's {@code M x K} matrix:
 * {@code m} rows for the whole call (CFG batch included), {@code k} channels. {@code tokensPerSample}
 * is the row count of one batch entry (the "tokens per site" of docs/workloads.md), so {@code m} is
 * {@code tokensPerSample} times the batch.
 */
public record GeluSite(String name, long m, long k, long tokensPerSample) {
    public GeluSite {
        if (m <= 0 || k <= 0 || tokensPerSample <= 0 || m % tokensPerSample != 0) {
            throw new IllegalArgumentException("GELU site " + name + ": m=" + m + " k=" + k + " tokensPerSample=" + tokensPerSample);
        }
    }
}
