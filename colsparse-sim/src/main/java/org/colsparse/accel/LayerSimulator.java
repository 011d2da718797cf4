package org.colsparse.accel;

import org.colsparse.layout.ActivationLayout;
import org.colsparse.layout.Bursts;
import org.colsparse.layout.LayoutKind;
import org.colsparse.systolic.ActivationMask;
import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;

import java.util.BitSet;
import java.util.List;

/**
 * Runs one GEMM through the accelerator: the array computes step after step (analytic cycles), the
 * SRAM is double-buffered, and the DRAM is simulated request by request.
 *
 * <p>Timeline (array cycles): step i starts when step i-1 has finished, its operands have arrived,
 * and the ofmap half it will write into has been drained (the writes of step i-2 are complete).
 * When step i starts, the reads of step i+1 are issued (prefetch into the other half); when it ends,
 * its outputs are issued as writes. Everything the array waits for is a memory stall; the final
 * write-back after the last step counts as stall too.
 *
 * <p>DRAM regions: A at address 0 in the chosen layout (plus its skip bitmap), then W ({@code k x n})
 * and O ({@code m x n}) row-major, each region starting on a 1 MiB boundary.
 */
public final class LayerSimulator {
    private static final long REGION_ALIGN = 1 << 20;

    private LayerSimulator() {
    }

    /**
     * @param mask the GEMM's activation for column skipping, or null for a dense run
     * @param sink sees every request, or null
     */
    public static LayerResult run(Gemm g, AccelConfig cfg, LayoutKind layoutKind, ActivationMask mask,
                                  DramBackend dram, RequestSink sink) {
        if (g.m() > Integer.MAX_VALUE || g.n() > Integer.MAX_VALUE || g.k() > Integer.MAX_VALUE) {
            throw new InputException("layer " + g.name() + ": dimensions too large to simulate");
        }
        int m = (int) g.m();
        int n = (int) g.n();
        int k = (int) g.k();
        if (mask != null && (mask.m() != m || mask.k() != k)) {
            throw new IllegalArgumentException("mask " + mask.m() + "x" + mask.k() + " does not match layer " + g.name());
        }
        int w = cfg.wordBytes();
        int rows = cfg.array().rows();
        BitSet[] nonZero = null;
        if (mask != null) {
            nonZero = new BitSet[mask.rowTiles(rows)];
            for (int t = 0; t < nonZero.length; t++) {
                nonZero[t] = mask.nonZeroColumns(t, rows);
            }
        }
        ActivationLayout layout = layoutKind.build(0, m, k, w, rows, cfg.tiledBlockCols(), nonZero);
        // the skip bitmap of non-compacted layouts sits right after the data; reserve room for it
        long aEnd = layout.footprintBytes() + (long) ((m + rows - 1) / rows) * ((k + 7) / 8 + 32);
        long wBase = alignUp(aEnd);
        long oBase = alignUp(wBase + (long) k * n * w);
        long end = oBase + (long) m * n * w;
        if (end > dram.capacityBytes()) {
            throw new InputException("layer " + g.name() + ": A, W and O need " + end + " bytes, more than the DRAM's " + dram.capacityBytes());
        }

        List<Step> steps = new TilePlanner(m, n, k, cfg, mask).plan(cfg.dataflow());
        double ratio = cfg.arrayClockPs() / dram.clockPs(); // DRAM cycles per array cycle
        Bursts bursts = new Bursts(dram.burstBytes());
        DramBackend.Counters before = dram.counters();

        long busy = 0;
        long prevEnd = 0;
        long writeDonePrev = 0;
        long writeDonePrev2 = 0;
        long readsDone = serveReads(dram, steps.get(0), layout, wBase, oBase, n, w, bursts, 0, ratio, sink);
        long lastEnd = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            long start = Math.max(prevEnd, Math.max(readsDone, writeDonePrev2));
            long nextDone = start;
            if (i + 1 < steps.size()) {
                nextDone = serveReads(dram, steps.get(i + 1), layout, wBase, oBase, n, w, bursts, start, ratio, sink);
            }
            long stepEnd = start + s.compute();
            busy += s.compute();
            long[] wr = writes(s, oBase, n, w, bursts);
            long writeDone = serve(dram, wr, true, stepEnd, ratio, sink, 2);
            writeDonePrev2 = writeDonePrev;
            writeDonePrev = writeDone;
            readsDone = nextDone;
            prevEnd = stepEnd;
            lastEnd = Math.max(lastEnd, Math.max(stepEnd, writeDone));
        }
        DramBackend.Counters after = dram.counters();
        long reads = after.reads() - before.reads();
        long writes = after.writes() - before.writes();
        long bytesRead = reads * dram.burstBytes();
        long bytesWritten = writes * dram.burstBytes();
        long total = lastEnd;
        double seconds = total * cfg.arrayClockPs() * 1e-12;
        long hits = after.rowHits() < 0 ? -1 : after.rowHits() - before.rowHits();
        long misses = after.rowMisses() < 0 ? -1 : after.rowMisses() - before.rowMisses();
        long conflicts = after.rowConflicts() < 0 ? -1 : after.rowConflicts() - before.rowConflicts();
        double hitRate = hits < 0 ? Double.NaN : new DramBackend.Counters(reads, writes, hits, misses, conflicts).rowHitRate();
        return new LayerResult(g.name(), m, n, k, cfg.dataflow().cliName(), layoutKind.cliName(), mask != null,
                total, busy, total - busy, total == 0 ? 0 : (double) (total - busy) / total,
                bytesRead, bytesWritten, seconds == 0 ? 0 : (bytesRead + bytesWritten) / seconds / 1e9,
                hitRate, hits, misses, conflicts, seconds * 1e6);
    }

    private static long alignUp(long x) {
        return (x + REGION_ALIGN - 1) / REGION_ALIGN * REGION_ALIGN;
    }

    /** Serves a batch issued at array cycle {@code at}; returns its completion in array cycles. */
    private static long serve(DramBackend dram, long[] addrs, boolean write, long at, double ratio, RequestSink sink, int stream) {
        if (addrs.length == 0) {
            return at;
        }
        if (sink != null) {
            for (long addr : addrs) {
                sink.request(addr, write);
            }
        }
        long doneDram = dram.serve(addrs, write, (long) Math.ceil(at * ratio), stream);
        return Math.max(at, (long) Math.ceil(doneDram / ratio));
    }

    /**
     * Issues a step's operand fetches at {@code at}: A, then W, then partial sums, each one DMA
     * transfer queued behind the previous; returns when all have arrived.
     */
    private static long serveReads(DramBackend dram, Step s, ActivationLayout layout, long wBase, long oBase, int n, int w,
                                   Bursts b, long at, double ratio, RequestSink sink) {
        long done = at;
        if (s.aRead() != null) {
            layout.ranges(s.aRead().rows(), s.aRead().cols(), b);
            done = Math.max(done, serve(dram, b.drain(), false, at, ratio, sink, 0));
        }
        if (s.wRead() != null) {
            block(s.wRead(), wBase, n, w, b);
            done = Math.max(done, serve(dram, b.drain(), false, at, ratio, sink, 1));
        }
        if (s.oRead() != null) {
            block(s.oRead(), oBase, n, w, b);
            done = Math.max(done, serve(dram, b.drain(), false, at, ratio, sink, 2));
        }
        return done;
    }

    private static long[] writes(Step s, long oBase, int n, int w, Bursts b) {
        block(s.oWrite(), oBase, n, w, b);
        return b.drain();
    }

    private static void block(Step.Block blk, long base, int n, int w, Bursts b) {
        if (blk == null) {
            return;
        }
        long len = (long) (blk.c1() - blk.c0()) * w;
        for (int r = blk.rows().nextSetBit(0); r >= 0; r = blk.rows().nextSetBit(r + 1)) {
            b.range(base + ((long) r * n + blk.c0()) * w, len);
        }
    }
}
