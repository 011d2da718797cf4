package org.colsparse.dram;

/**
 * Told when a request accepted by {@link MemorySystem#send} completes. Reads complete when their
 * data has returned (read latency nCL + nBL after the RD command, or one cycle after acceptance
 * when served from a buffered write to the same address); writes complete when their WR command
 * issues (or at acceptance when merged into a buffered write to the same address), as in Ramulator.
 */
@FunctionalInterface
public interface CompletionListener {
    void completed(long id, boolean write, long cycle);
}
