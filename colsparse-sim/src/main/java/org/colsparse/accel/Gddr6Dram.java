package org.colsparse.accel;

import org.colsparse.dram.DramConfig;
import org.colsparse.dram.DramStats;
import org.colsparse.dram.MemorySystem;

import java.util.HashMap;
import java.util.Map;

/**
 * The command-level GDDR6 model (package {@code dram}) behind the tile scheduler. A batch is offered
 * to the controllers as a DMA engine would: up to one request per channel per DRAM cycle, a refused
 * request offered again once the controllers have moved on; the call returns when the batch's last
 * request has completed. Idle stretches are skipped, not ticked.
 *
 * <p>Pattern sampling (what makes a full-size layer take seconds): the tile loop repeats the same
 * transfer many times at shifted addresses — the same weight tile for every row tile, row tiles of A
 * that differ only in their base. A batch's <em>pattern</em> is its direction and its addresses
 * relative to its first one. The first {@code sampleRepeats} batches of each pattern are simulated
 * request by request; every later batch of that pattern takes the mean duration and the mean
 * row-hit/miss/conflict counts of those samples, and leaves the DRAM's row state as it was. With
 * {@code sampleRepeats = 0} every request is simulated.
 */
public final class Gddr6Dram implements DramBackend {
    private final MemorySystem mem;
    private final int perCycle;
    private final int sampleRepeats;
    private final Map<Pattern, Sample> samples = new HashMap<>();
    private long nextId;
    private long completed;
    private long lastCompletion;
    private long busyUntil;
    private long extraReads;
    private long extraWrites;
    private double extraHits;
    private double extraMisses;
    private double extraConflicts;

    private record Pattern(boolean write, int length, long hash) {
    }

    private static final class Sample {
        int n;
        long duration;
        long hits;
        long misses;
        long conflicts;
    }

    public Gddr6Dram(DramConfig config, int sampleRepeats) {
        if (sampleRepeats < 0) {
            throw new IllegalArgumentException("sampleRepeats must be >= 0");
        }
        this.mem = new MemorySystem(config);
        this.perCycle = config.channels();
        this.sampleRepeats = sampleRepeats;
        mem.setCompletionListener((id, write, cycle) -> {
            completed++;
            lastCompletion = Math.max(lastCompletion, cycle);
        });
    }

    /** Every request simulated (no pattern sampling). */
    public Gddr6Dram(DramConfig config) {
        this(config, 0);
    }

    @Override
    public long serve(long[] addrs, boolean write, long at) {
        if (addrs.length == 0) {
            return at;
        }
        long start = Math.max(at, busyUntil);
        Pattern p = sampleRepeats == 0 ? null : pattern(addrs, write);
        Sample s = p == null ? null : samples.get(p);
        if (s != null && s.n >= sampleRepeats) {
            busyUntil = start + Math.round((double) s.duration / s.n);
            if (write) {
                extraWrites += addrs.length;
            } else {
                extraReads += addrs.length;
            }
            extraHits += (double) s.hits / s.n;
            extraMisses += (double) s.misses / s.n;
            extraConflicts += (double) s.conflicts / s.n;
            return busyUntil;
        }
        DramStats before = p == null ? null : mem.stats();
        busyUntil = simulate(addrs, write, start);
        if (p != null) {
            DramStats after = mem.stats();
            Sample n = samples.computeIfAbsent(p, x -> new Sample());
            n.n++;
            n.duration += busyUntil - start;
            n.hits += after.rowHits() - before.rowHits();
            n.misses += after.rowMisses() - before.rowMisses();
            n.conflicts += after.rowConflicts() - before.rowConflicts();
        }
        return busyUntil;
    }

    private static Pattern pattern(long[] addrs, boolean write) {
        long h = 0x9E3779B97F4A7C15L;
        long a0 = addrs[0];
        for (long a : addrs) {
            h = (h ^ (a - a0)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return new Pattern(write, addrs.length, h);
    }

    private long simulate(long[] addrs, boolean write, long start) {
        if (mem.cycle() < start) {
            mem.advanceTo(start);
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
        return Math.max(start, lastCompletion);
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
        return new Counters(s.reads() + extraReads, s.writes() + extraWrites, s.rowHits() + Math.round(extraHits),
                s.rowMisses() + Math.round(extraMisses), s.rowConflicts() + Math.round(extraConflicts));
    }
}
