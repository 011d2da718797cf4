package org.colsparse.accel;

import org.colsparse.dram.DramConfig;
import org.colsparse.dram.DramStats;
import org.colsparse.dram.MemorySystem;

/**
 * The command-level GDDR6 model (package {@code dram}) behind the tile scheduler. A batch is offered
 * to the controllers as a DMA engine would: up to one request per channel per DRAM cycle, a refused
 * request offered again once the controllers have moved on; the call returns when the batch's last
 * request has completed. Idle stretches are skipped, not ticked.
 */
public final class Gddr6Dram implements DramBackend {
    private final MemorySystem mem;
    private final int perCycle;
    private long nextId;
    private long completed;
    private long lastCompletion;

    public Gddr6Dram(DramConfig config) {
        this.mem = new MemorySystem(config);
        this.perCycle = config.channels();
        mem.setCompletionListener((id, write, cycle) -> {
            completed++;
            lastCompletion = Math.max(lastCompletion, cycle);
        });
    }

    @Override
    public long serve(long[] addrs, boolean write, long at) {
        if (addrs.length == 0) {
            return at;
        }
        if (mem.cycle() < at) {
            mem.advanceTo(at);
        }
        int i = 0;
        while (i < addrs.length) {
            int sentThisCycle = 0;
            while (i < addrs.length && sentThisCycle < perCycle && mem.send(addrs[i], write, nextId)) {
                nextId++;
                i++;
                sentThisCycle++;
            }
            if (sentThisCycle == 0) {
                // buffers full: nothing to do until some controller issues a command
                step();
            } else {
                mem.tick();
            }
        }
        while (completed < nextId) {
            step();
        }
        return Math.max(at, lastCompletion);
    }

    /** Moves to the next cycle in which something can happen, skipping idle ones. */
    private void step() {
        long e = mem.nextEventCycle();
        if (e == Long.MAX_VALUE || e <= mem.cycle() + 1) {
            mem.tick();
        } else {
            mem.advanceTo(e);
        }
    }

    @Override
    public double clockPs() {
        return mem.config().spec().timing().tCKps();
    }

    @Override
    public long capacityBytes() {
        return mem.config().capacityBytes();
    }

    @Override
    public int burstBytes() {
        return mem.config().txBytes();
    }

    @Override
    public Counters counters() {
        DramStats s = mem.stats();
        return new Counters(s.reads(), s.writes(), s.rowHits(), s.rowMisses(), s.rowConflicts());
    }
}
