package org.colsparse.accel;

import org.colsparse.dram.DramConfig;
import org.colsparse.dram.DramStats;
import org.colsparse.dram.MemorySystem;
import org.colsparse.dram.Timings;

import java.util.HashMap;
import java.util.Map;

/**
 * A command-level memory system (package {@code dram}, any standard) behind the tile scheduler. A batch is offered
 * to the controllers as a DMA engine would: up to one request per channel per DRAM cycle, a refused
 * request offered again once the controllers have moved on; the call returns when the batch's last
 * request has completed. Idle stretches are skipped, not ticked.
 *
 * <p>Sampling (what makes a full-size layer take seconds). The tile loop repeats similar transfers
 * many times. A transfer's <em>pattern</em> is its operand, direction and addresses relative to its
 * first one; its <em>class</em> is its operand, direction, length and mean run length (consecutive
 * bursts), both on a 5 % logarithmic scale. A transfer whose pattern has been simulated
 * {@code sampleRepeats} times takes that pattern's mean duration and row-hit/miss/conflict counts;
 * otherwise, one whose class has been simulated that often takes the class's mean per-burst duration
 * and counts times its length (masked tiles differ in their exact columns but not in their shape);
 * anything else is simulated request by request. Estimated transfers leave the DRAM's row state as
 * it was. With {@code sampleRepeats = 0} every request is simulated.
 *
 * <p>Refresh is kept out of the means: it comes by the clock (every {@code nREFI}), not by the
 * transfer, so a few samples catch it at a rate unrelated to the layer's (a 1,100-cycle output write
 * meets a refresh one time in three; its first four samples met none, and a whole QK^T layer came
 * out 10 % short). Each sample counts the refresh deadlines that can touch it (from {@code nRFCab}
 * before its start, but not before the previous transfer ended, to its end); the cost of one
 * refresh is learned from samples that met one against clean means of the same pattern or class
 * (the other direction's until then, and before any, {@code nRFCab + nRP + nRCDRD}: the blackout,
 * closing the open rows and opening one again); a sample's refresh-free part is its duration less that cost; an
 * estimated transfer takes the refresh-free mean plus the cost of the deadlines its own window
 * holds.
 */
public final class SampledDram implements DramBackend {
    private final MemorySystem mem;
    private final int perCycle;
    private final int sampleRepeats;
    private final Map<Pattern, Sample> patterns = new HashMap<>();
    private final Map<Shape, Sample> classes = new HashMap<>();
    private long nextId;
    private long completed;
    private long lastCompletion;
    private long busyUntil;
    private long extraReads;
    private long extraWrites;
    private double extraHits;
    private double extraMisses;
    private double extraConflicts;
    private final long refreshInterval;   // 0: refresh off
    private final long refreshBlackout;
    private final double refreshGuess;
    /** Per direction (0 read, 1 write): the observed cost of one refresh, summed, and how many. */
    private final Penalty[] refreshCost = {new Penalty(), new Penalty()};

    private record Pattern(int stream, boolean write, int length, long hash) {
    }

    private record Shape(int stream, boolean write, int lengthBucket, int runBucket) {
    }

    /**
     * Sums over the simulated transfers of one pattern or class, per transfer or per burst: all of
     * them (with the refresh deadlines each met) and those that met none.
     */
    private static final class Sample {
        /** Sums per burst (a class: its transfers differ in length) or per transfer (a pattern). */
        private final boolean perBurst;
        int n;
        double duration, hits, misses, conflicts, refreshes;
        int cleanN;
        double cleanDuration, cleanHits, cleanMisses, cleanConflicts;

        Sample(boolean perBurst) {
            this.perBurst = perBurst;
        }

        /** The factor that turns sums over {@code count} samples into one transfer of {@code length} bursts. */
        double per(int length, int count) {
            return perBurst ? (double) length / count : 1.0 / count;
        }

        void add(int length, long d, long h, long m, long c, int r) {
            double scale = perBurst ? length : 1;
            n++;
            duration += d / scale;
            hits += h / scale;
            misses += m / scale;
            conflicts += c / scale;
            refreshes += r / scale;
            if (r == 0) {
                cleanN++;
                cleanDuration += d / scale;
                cleanHits += h / scale;
                cleanMisses += m / scale;
                cleanConflicts += c / scale;
            }
        }
    }

    /** What refreshes added to samples beyond the clean mean of their pattern or class. */
    private static final class Penalty {
        double refreshes, duration, hits, misses, conflicts;
    }

    public SampledDram(DramConfig config, int sampleRepeats) {
        if (sampleRepeats < 0) {
            throw new IllegalArgumentException("sampleRepeats must be >= 0");
        }
        this.mem = new MemorySystem(config);
        this.perCycle = config.channels();
        this.sampleRepeats = sampleRepeats;
        this.refreshInterval = config.refreshInterval();
        Timings t = config.spec().timing();
        this.refreshBlackout = config.spec().standard().evaluate(config.spec().standard().refreshCycles(), t);
        this.refreshGuess = refreshBlackout + t.get("nRP") + t.get(t.has("nRCDRD") ? "nRCDRD" : "nRCD");  // DDR5: one nRCD
        mem.setCompletionListener((id, write, cycle) -> {
            completed++;
            lastCompletion = Math.max(lastCompletion, cycle);
        });
    }

    /** Every request simulated (no pattern sampling). */
    public SampledDram(DramConfig config) {
        this(config, 0);
    }

    @Override
    public long serve(long[] addrs, boolean write, long at, int stream) {
        if (addrs.length == 0) {
            return at;
        }
        long start = Math.max(at, busyUntil);
        if (sampleRepeats == 0) {
            busyUntil = simulate(addrs, write, start);
            return busyUntil;
        }
        Pattern p = pattern(addrs, write, stream);
        Shape c = shape(addrs, write, stream);
        Sample ps = patterns.get(p);
        Sample cs = classes.get(c);
        Penalty pen = refreshCost[write ? 1 : 0];
        Penalty cost = pen.refreshes > 0 ? pen : refreshCost[write ? 0 : 1];
        long lo = Math.max(busyUntil, start - refreshBlackout);
        Sample s = ps != null && ps.n >= sampleRepeats ? ps : cs != null && cs.n >= sampleRepeats ? cs : null;
        if (s != null) {
            double scale = s.per(addrs.length, s.n);
            double perRefresh = cost.refreshes > 0 ? cost.duration / cost.refreshes : refreshGuess;
            double clean = (s.duration - perRefresh * s.refreshes) * scale;
            int r = refreshDeadlines(lo, start + Math.round(clean));
            int r2 = refreshDeadlines(lo, start + Math.round(clean + r * perRefresh));
            if (r2 != r) {
                r = refreshDeadlines(lo, start + Math.round(clean + r2 * perRefresh));
            }
            busyUntil = start + Math.max(1, Math.round(clean + r * perRefresh));
            if (write) {
                extraWrites += addrs.length;
            } else {
                extraReads += addrs.length;
            }
            double k = cost.refreshes > 0 ? 1.0 / cost.refreshes : 0;
            extraHits += (s.hits - cost.hits * k * s.refreshes) * scale + r * cost.hits * k;
            extraMisses += (s.misses - cost.misses * k * s.refreshes) * scale + r * cost.misses * k;
            extraConflicts += (s.conflicts - cost.conflicts * k * s.refreshes) * scale + r * cost.conflicts * k;
            return busyUntil;
        }
        DramStats before = mem.stats();
        busyUntil = simulate(addrs, write, start);
        DramStats after = mem.stats();
        long d = busyUntil - start;
        long h = after.rowHits() - before.rowHits();
        long m = after.rowMisses() - before.rowMisses();
        long k = after.rowConflicts() - before.rowConflicts();
        int r = refreshDeadlines(lo, busyUntil);
        if (r > 0) {
            // what the refreshes added, against the clean mean of the pattern (or else the class)
            Sample clean = ps != null && ps.cleanN > 0 ? ps : cs != null && cs.cleanN > 0 ? cs : null;
            if (clean != null) {
                double base = clean.per(addrs.length, clean.cleanN);
                pen.refreshes += r;
                pen.duration += d - clean.cleanDuration * base;
                pen.hits += h - clean.cleanHits * base;
                pen.misses += m - clean.cleanMisses * base;
                pen.conflicts += k - clean.cleanConflicts * base;
            }
        }
        patterns.computeIfAbsent(p, x -> new Sample(false)).add(addrs.length, d, h, m, k, r);
        classes.computeIfAbsent(c, x -> new Sample(true)).add(addrs.length, d, h, m, k, r);
        return busyUntil;
    }

    /** Refresh deadlines (multiples of nREFI, the controller's schedule) in {@code (lo, hi]}. */
    private int refreshDeadlines(long lo, long hi) {
        if (refreshInterval == 0 || hi <= lo) {
            return 0;
        }
        return (int) (Math.floorDiv(hi, refreshInterval) - Math.floorDiv(lo, refreshInterval));
    }

    private static Pattern pattern(long[] addrs, boolean write, int stream) {
        long h = 0x9E3779B97F4A7C15L;
        long a0 = addrs[0];
        for (long a : addrs) {
            h = (h ^ (a - a0)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return new Pattern(stream, write, addrs.length, h);
    }

    private Shape shape(long[] addrs, boolean write, int stream) {
        int runs = 1;
        long burst = mem.config().txBytes();
        for (int i = 1; i < addrs.length; i++) {
            if (addrs[i] != addrs[i - 1] + burst) {
                runs++;
            }
        }
        return new Shape(stream, write, bucket(addrs.length), bucket((double) addrs.length / runs));
    }

    private static int bucket(double x) {
        return (int) Math.floor(Math.log(x) / Math.log(1.05));
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
