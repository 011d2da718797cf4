package org.colsparse.dram;

import java.nio.file.Path;
import java.util.List;

/**
 * A multi-channel memory system of one DRAM standard ({@link DramStandard}) driven incrementally,
 * for use inside a larger simulator.
 *
 * <p>Time is counted in DRAM command-clock cycles. Within a cycle, first {@link #send} requests
 * (each may be refused when its channel's read or write buffer is full — retry in a later cycle),
 * then {@link #tick()} to let every controller issue at most one command. Completions are reported
 * to the {@link CompletionListener}. {@link #advanceTo(long)} moves time forward skipping cycles in
 * which nothing can happen (no command timing-ready, no refresh due, no data returning), so an
 * accelerator model can jump to its next own event cheaply.
 *
 * <pre>{@code
 * MemorySystem mem = new MemorySystem(DramConfig.ramulator2Gddr6());
 * mem.setCompletionListener((id, write, cycle) -> ...);
 * if (!mem.send(addr, false, id)) { ... retry later ... }
 * mem.tick();                    // or mem.advanceTo(cycle)
 * DramStats s = mem.stats();
 * }</pre>
 *
 * <p>Not thread-safe; deterministic.
 */
public final class MemorySystem {
    private final DramConfig config;
    private final Channel[] channels;
    private final ChannelMapper channelMapper;
    private long clk;

    public MemorySystem(DramConfig config) {
        this(config, false);
    }

    /** {@code exhaustive}: evaluate every controller every cycle, never sleeping (tests check both agree). */
    MemorySystem(DramConfig config, boolean exhaustive) {
        this.config = config;
        TimingTable table = new TimingTable(config.spec().standard(), config.spec().timing());
        this.channels = new Channel[config.channels()];
        for (int i = 0; i < channels.length; i++) {
            channels[i] = controller(i, config, table, exhaustive);
        }
        this.channelMapper = new ChannelMapper(config.channels(), config.txBytes(), config.interleaveBits());
    }

    /** The controller implementations by Ramulator name ({@code memory_system.controller.impl}). */
    private static Channel controller(int channelId, DramConfig cfg, TimingTable table, boolean exhaustive) {
        return switch (cfg.controller()) {
            case "GenericDDR" -> new Controller(channelId, cfg, table, exhaustive);
            case "HBM12", "HBM34" -> new HbmController(channelId, cfg, table);
            default -> throw new IllegalArgumentException("unknown controller '" + cfg.controller() + "'");
        };
    }

    public DramConfig config() {
        return config;
    }

    /** Cycles elapsed (ticks done). */
    public long cycle() {
        return clk;
    }

    public void setCompletionListener(CompletionListener l) {
        for (Channel c : channels) {
            c.listener = l;
        }
    }

    /** Observes every DRAM command issued (tests, command traces). */
    void setCommandListener(Channel.CommandListener l) {
        for (Channel c : channels) {
            c.commandListener = l;
        }
    }

    /** Channel a byte address maps to. */
    public int channelOf(long addr) {
        return channelMapper.channel(addr);
    }

    /**
     * Offers one {@link DramConfig#txBytes()}-byte request at the current cycle. Returns false,
     * changing nothing, when the channel's buffer for that request type is full.
     *
     * @param id caller's tag, handed back on completion
     */
    public boolean send(long addr, boolean write, long id) {
        if (addr < 0) {
            throw new IllegalArgumentException("negative address " + addr);
        }
        int ch = channelMapper.channel(addr);
        return channels[ch].send(addr, channelMapper.intraChannelAddress(addr), write, id);
    }

    /** True when a request of this type to {@code addr} would be refused now (buffer full). */
    public boolean wouldRefuse(long addr, boolean write) {
        Channel c = channels[channelMapper.channel(addr)];
        return write ? c.writeBufferFull() : c.readBufferFull();
    }

    /** Advances one cycle. */
    public void tick() {
        clk++;
        for (Channel c : channels) {
            c.tick();
        }
    }

    /** Requests accepted and not yet completed, over all channels. */
    public int outstanding() {
        int n = 0;
        for (Channel c : channels) {
            n += c.outstanding();
        }
        return n;
    }

    /**
     * The earliest future cycle at which some controller could act if no new request arrives;
     * every cycle before it is idle.
     */
    public long nextEventCycle() {
        long e = Long.MAX_VALUE;
        for (Channel c : channels) {
            e = Math.min(e, c.nextEvent());
        }
        return e;
    }

    /** Advances to {@code cycle}, jumping over idle cycles. Equivalent to ticking one by one. */
    public void advanceTo(long cycle) {
        while (clk < cycle) {
            long e = nextEventCycle();
            if (e > cycle) {
                skipTo(cycle);
                return;
            }
            if (e - 1 > clk) {
                skipTo(e - 1);
            }
            tick();
        }
    }

    /** Runs until every accepted request has completed; returns the cycle reached. */
    public long drain() {
        while (outstanding() > 0) {
            long e = nextEventCycle();
            if (e - 1 > clk) {
                skipTo(e - 1);
            }
            tick();
        }
        return clk;
    }

    private void skipTo(long cycle) {
        clk = cycle;
        for (Channel c : channels) {
            c.skipTo(cycle);
        }
    }

    /** Counters so far; {@code cycles} is the current cycle. */
    public DramStats stats() {
        return stats(null, clk);
    }

    private DramStats stats(DramStats.AcceptSnapshot snap, long cycles) {
        long reads = 0, writes = 0, hits = 0, misses = 0, conflicts = 0, latSum = 0, readsDone = 0;
        long fwd = 0, coal = 0, act = 0, pre = 0, ref = 0, served = 0, last = 0;
        for (Channel c : channels) {
            reads += c.reads;
            writes += c.writes;
            hits += c.rowHits;
            misses += c.rowMisses;
            conflicts += c.rowConflicts;
            latSum += c.readLatencySum;
            readsDone += c.readsCompleted;
            fwd += c.forwardedReads;
            coal += c.coalescedWrites;
            act += c.activates;
            pre += c.precharges;
            ref += c.refreshes;
            served += c.readsServed + c.writesServed;
            last = Math.max(last, c.lastCompletion);
        }
        long rowTotal = hits + misses + conflicts;
        int tck = config.spec().timing().tCKps();
        double bw = last == 0 ? 0 : (double) served * config.txBytes() / ((double) last * tck) * 1000.0;
        return new DramStats(config.name(), channels.length, config.txBytes(), tck, reads + writes, reads, writes,
                cycles, last, hits, misses, conflicts, rowTotal == 0 ? 0 : (double) hits / rowTotal,
                readsDone == 0 ? 0 : (double) latSum / readsDone, bw, fwd, coal, act, pre, ref, snap);
    }

    private DramStats.AcceptSnapshot snapshot() {
        long hits = 0, misses = 0, conflicts = 0, rs = 0, ws = 0;
        for (Channel c : channels) {
            hits += c.rowHits;
            misses += c.rowMisses;
            conflicts += c.rowConflicts;
            rs += c.readsServed;
            ws += c.writesServed;
        }
        return new DramStats.AcceptSnapshot(clk, hits, misses, conflicts, rs, ws);
    }

    /**
     * Replays a LoadStoreTrace as Ramulator 2.1's LoadStoreTrace frontend does: one request offered
     * per memory cycle, in order, a refused request offered again next cycle. {@code cycles} counts
     * memory cycles until the last request is accepted (Ramulator stops there); the run then
     * continues until every request has completed ({@code drainCycles}).
     */
    public static DramStats runTrace(DramConfig config, List<Request> trace) {
        return runTrace(config, PackedRequests.of(trace), false);
    }

    /**
     * Replays a LoadStoreTrace file ({@link LoadStoreTrace}): a second thread parses it while this
     * one simulates the requests parsed so far. The result is the one of {@link #runTrace} on the
     * whole file; a bad line is thrown when the simulation reaches it.
     */
    public static DramStats replay(DramConfig config, Path traceFile) {
        return runTrace(config, LoadStoreTrace.readInBackground(traceFile), false);
    }

    static DramStats runTrace(DramConfig config, List<Request> trace, boolean exhaustive) {
        return runTrace(config, PackedRequests.of(trace), exhaustive);
    }

    private static DramStats runTrace(DramConfig config, PackedRequests trace, boolean exhaustive) {
        MemorySystem m = new MemorySystem(config, exhaustive);
        int avail = trace.available(0);
        if (avail == 0) {
            return m.stats(m.snapshot(), 0);
        }
        int i = 0;
        while (true) {
            if (m.send(trace.addr(i), trace.write(i), i)) {
                if (++i == avail && (avail = trace.available(i)) == i) {
                    break;
                }
            } else {
                m.skipIdleWhileBlocked();
            }
            m.tick();
        }
        DramStats.AcceptSnapshot snap = m.snapshot();
        long cycles = m.clk;
        m.drain();
        return m.stats(snap, cycles);
    }

    // The frontend is stalled on a full buffer, which only an issued command can free: jump to the
    // cycle before the next possible event.
    private void skipIdleWhileBlocked() {
        long e = nextEventCycle();
        if (e - 1 > clk) {
            skipTo(e - 1);
        }
    }
}
