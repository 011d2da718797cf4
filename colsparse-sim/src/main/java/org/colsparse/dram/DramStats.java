package org.colsparse.dram;

/**
 * Results of a memory-system run. Cycles are DRAM command-clock cycles (tCK = {@code tckPs}).
 *
 * @param cycles           memory cycles until the last request was accepted by a controller — what
 *                         Ramulator 2.1 reports as the controller's {@code cycles} for a trace
 * @param drainCycles      memory cycles until the last request completed
 * @param rowHits          requests whose row was open when their first command issued (as Ramulator
 *                         counts: hit = row open, conflict = another row open, miss = bank closed);
 *                         forwarded reads and coalesced writes issue no command and count in none
 * @param avgReadLatency   mean cycles from acceptance to data return over all reads
 * @param bandwidthGbps    bytes moved ({@code (reads + writes) * txBytes}) over the drain time
 *                         ({@code drainCycles * tCK}), in GB/s (10^9 bytes per second)
 * @param atLastAccept     row counts and cycles frozen when the last request was accepted: the exact
 *                         quantities Ramulator prints, for cross-checking
 */
public record DramStats(String config, int channels, int txBytes, int tckPs, long requests, long reads, long writes,
                        long cycles, long drainCycles, long rowHits, long rowMisses, long rowConflicts,
                        double rowHitRate, double avgReadLatency, double bandwidthGbps, long forwardedReads,
                        long coalescedWrites, long activates, long precharges, long refreshes,
                        AcceptSnapshot atLastAccept) {

    /** Counters as they stood when the last trace request was accepted (Ramulator's stopping point). */
    public record AcceptSnapshot(long cycles, long rowHits, long rowMisses, long rowConflicts, long readsServed,
                                 long writesServed) {
    }
}
