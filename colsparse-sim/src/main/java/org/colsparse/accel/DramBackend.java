package org.colsparse.accel;

/**
 * The memory side of the accelerator as the tile scheduler sees it: batches of burst requests
 * (one DMA transfer each) served in the order they are issued. Times are DRAM clock cycles.
 */
public interface DramBackend {
    /**
     * Serves {@code addrs} (burst-aligned bytes, in order), none before cycle {@code at}; returns
     * the cycle by which the last of them has completed ({@code at} for an empty batch). Calls come
     * with non-decreasing {@code at}; a batch issued while an earlier one is still in flight queues
     * behind it. {@code stream} names the operand (0 = A, 1 = W, 2 = O): transfers of one operand
     * share their access structure, which pattern sampling relies on.
     */
    long serve(long[] addrs, boolean write, long at, int stream);

    /** Clock period of {@code serve}'s cycles, in picoseconds. */
    double clockPs();

    /** Addressable bytes. */
    long capacityBytes();

    /** Bytes per request. */
    int burstBytes();

    /** Counters since construction. Row-buffer counts are -1 when the model has no rows. */
    Counters counters();

    record Counters(long reads, long writes, long rowHits, long rowMisses, long rowConflicts) {
        public double rowHitRate() {
            long n = rowHits + rowMisses + rowConflicts;
            return rowHits < 0 || n <= 0 ? Double.NaN : (double) rowHits / n;
        }
    }
}
