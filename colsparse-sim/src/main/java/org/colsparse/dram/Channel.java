package org.colsparse.dram;

/**
 * One channel's controller as the memory system drives it (Ramulator 2.1's {@code controller}):
 * GenericDDR ({@link Controller}) or the HBM controllers with two command buses
 * ({@link HbmController}). Counters are fields so that the memory system sums them without calls.
 */
abstract class Channel {
    /** Sees every command: bank group and bank within it (-1 for all-bank commands), row (-1 if none). */
    interface CommandListener {
        void issued(int channel, long cycle, int cmd, int bankGroup, int bank, int row);
    }

    final int channelId;
    long clk;
    CompletionListener listener;
    CommandListener commandListener;

    // Statistics (counted as Ramulator counts them).
    long reads;
    long writes;
    long readsServed;
    long writesServed;
    long forwardedReads;
    long coalescedWrites;
    long rowHits;
    long rowMisses;
    long rowConflicts;
    long readRowHits;
    long readRowMisses;
    long readRowConflicts;
    long readLatencySum;
    long readsCompleted;
    long activates;
    long precharges;
    long refreshes;
    long lastCompletion;

    Channel(int channelId) {
        this.channelId = channelId;
    }

    /** Request {@code id} (a write when {@code write}, else a read whose data is back) completed at {@code clk}. */
    final void completed(long id, boolean write, long clk) {
        lastCompletion = Math.max(lastCompletion, clk);
        if (listener != null) {
            listener.completed(id, write, clk);
        }
    }

    /** Offers a request at the current cycle; false when its buffer is full. */
    abstract boolean send(long addr, long intraAddr, boolean write, long id);

    /** Requests accepted but not yet completed (reads until their data returns). */
    abstract int outstanding();

    abstract boolean readBufferFull();

    abstract boolean writeBufferFull();

    /** Advances one cycle. */
    abstract void tick();

    /**
     * The earliest cycle after the current one at which {@link #tick()} could change anything,
     * assuming no new request arrives. Cycles before it may be skipped with {@link #skipTo}.
     */
    abstract long nextEvent();

    /** Jumps the clock to {@code cycle} without doing anything; only valid below {@link #nextEvent()}. */
    void skipTo(long cycle) {
        clk = cycle;
    }
}
