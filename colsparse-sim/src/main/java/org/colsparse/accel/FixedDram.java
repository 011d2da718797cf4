package org.colsparse.accel;

import org.colsparse.util.InputException;

/**
 * A DRAM with a fixed access latency and a fixed peak bandwidth and no banks or rows: a batch of
 * {@code n} bursts occupies the bus for {@code n * burstBytes / bytesPerCycle} cycles once the bus is
 * free, and its last burst completes {@code latency} cycles after its transfer. For quick studies and
 * as a baseline against the command-level GDDR6 model.
 */
public final class FixedDram implements DramBackend {
    private final double clockPs;
    private final int burstBytes;
    private final long latency;
    private final double bytesPerCycle;
    private double busFree;
    private long reads;
    private long writes;

    /**
     * @param clockPs       clock period of this model's cycles
     * @param latencyCycles cycles from the end of a batch's transfer to its completion
     * @param bytesPerCycle peak bandwidth
     */
    public FixedDram(double clockPs, int burstBytes, long latencyCycles, double bytesPerCycle) {
        if (clockPs <= 0 || burstBytes <= 0 || latencyCycles < 0 || bytesPerCycle <= 0) {
            throw new IllegalArgumentException("fixed DRAM parameters must be positive");
        }
        this.clockPs = clockPs;
        this.burstBytes = burstBytes;
        this.latency = latencyCycles;
        this.bytesPerCycle = bytesPerCycle;
    }

    @Override
    public long serve(long[] addrs, boolean write, long at, int stream) {
        if (addrs.length == 0) {
            return at;
        }
        if (write) {
            writes += addrs.length;
        } else {
            reads += addrs.length;
        }
        double start = Math.max(busFree, at);
        busFree = start + addrs.length * (double) burstBytes / bytesPerCycle;
        // AccelConfig's ranges keep this far below 2^62; checked anyway, since a cast of a larger
        // double saturates and the sum with the latency then wrapped to a cycle before `at`
        if (!(busFree < 0x1p62) || latency > (1L << 62)) {
            throw new InputException("fixed DRAM: a transfer ends beyond 2^62 cycles (bytes_per_cycle " + bytesPerCycle
                    + ", latency_cycles " + latency + ")");
        }
        return (long) Math.ceil(busFree) + latency;
    }

    @Override
    public double clockPs() {
        return clockPs;
    }

    @Override
    public long capacityBytes() {
        return Long.MAX_VALUE;
    }

    @Override
    public int burstBytes() {
        return burstBytes;
    }

    @Override
    public Counters counters() {
        return new Counters(reads, writes, -1, -1, -1);
    }
}
