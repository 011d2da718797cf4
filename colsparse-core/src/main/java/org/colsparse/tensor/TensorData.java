package org.colsparse.tensor;

/**
 * The elements of one tensor in logical C (row-major) order, read on demand. Implementations read
 * straight from a memory-mapped file or an inflated buffer, so a site of several GiB is never copied
 * whole onto the heap.
 */
public interface TensorData {
    TensorInfo info();

    /** Copies elements {@code [first, first + count)} into {@code dst[off..]}, converted to float. */
    void readFloats(long first, float[] dst, int off, int count);

    /** Copies elements {@code [first, first + count)} into {@code dst[off..]}, converted to double (exact for every dtype but I64 beyond 2^53). */
    void readDoubles(long first, double[] dst, int off, int count);
}
