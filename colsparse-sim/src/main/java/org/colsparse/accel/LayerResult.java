package org.colsparse.accel;

/**
 * What one GEMM cost on the accelerator with one activation layout. Cycles are array cycles.
 *
 * @param masked        whether column skipping from a mask was applied
 * @param cycles        from the first request until the last output is written back
 * @param computeCycles cycles the array computes (the analytic count, dense or skipped)
 * @param stallCycles   {@code cycles - computeCycles}: cycles the array waits for memory
 * @param rowHitRate    row-buffer hits / requests that opened or used a row; NaN without a row model
 */
public record LayerResult(String name, long m, long n, long k, String dataflow, String layout, boolean masked,
                          long cycles, long computeCycles, long stallCycles, double stallShare,
                          long bytesRead, long bytesWritten, double bandwidthGBps, double rowHitRate,
                          long rowHits, long rowMisses, long rowConflicts, double timeUs) {
}
