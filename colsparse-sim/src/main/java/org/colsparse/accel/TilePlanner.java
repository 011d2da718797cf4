package org.colsparse.accel;

import org.colsparse.systolic.ActivationMask;
import org.colsparse.systolic.ArrayShape;
import org.colsparse.systolic.CycleModel;
import org.colsparse.systolic.Dataflow;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Orders the folds of one GEMM as SCALE-Sim does (column folds outer, row folds inner) and decides
 * what each must fetch given the SRAM sizes; docs/simulator.md §accelerator describes the rules.
 * The compute of the steps sums exactly to {@link CycleModel#denseCycles} (or
 * {@link CycleModel#skippedCycles} with a mask).
 */
final class TilePlanner {
    private final int m;
    private final int n;
    private final int k;
    private final ArrayShape a;
    private final long w;
    private final long ifHalf;
    private final long wHalf;
    private final long ofHalf;
    private final ActivationMask mask;

    TilePlanner(int m, int n, int k, AccelConfig cfg, ActivationMask mask) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.a = cfg.array();
        this.w = cfg.wordBytes();
        // double buffering: one half is computed from while the other is filled
        this.ifHalf = cfg.ifmapSramBytes() / 2;
        this.wHalf = cfg.filterSramBytes() / 2;
        this.ofHalf = cfg.ofmapSramBytes() / 2;
        this.mask = mask;
    }

    List<Step> plan(Dataflow df) {
        List<Step> steps = switch (df) {
            case OS -> os();
            case WS -> ws();
            case IS -> is();
        };
        // SCALE-Sim reports the index of the last cycle: take the one cycle off the last busy step
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i).compute() > 0) {
                steps.set(i, steps.get(i).withCompute(steps.get(i).compute() - 1));
                break;
            }
        }
        return steps;
    }

    private static BitSet range(int from, int to) {
        BitSet b = new BitSet(to);
        b.set(from, to);
        return b;
    }

    /** Splits the set bits of {@code s} in order into chunks of at most {@code size}. */
    private static List<BitSet> chunks(BitSet s, long size) {
        List<BitSet> out = new ArrayList<>();
        BitSet cur = new BitSet();
        int c = 0;
        for (int i = s.nextSetBit(0); i >= 0; i = s.nextSetBit(i + 1)) {
            cur.set(i);
            if (++c == size) {
                out.add(cur);
                cur = new BitSet();
                c = 0;
            }
        }
        if (c > 0) {
            out.add(cur);
        }
        return out;
    }

    private List<Step> os() {
        int R = a.rows();
        int C = a.cols();
        long overhead = CycleModel.foldOverhead(a, Dataflow.OS);
        boolean aResident = (long) m * k * w <= ifHalf;
        boolean wTileResident = (long) k * C * w <= wHalf;
        long kc = Math.max(1, Math.min(ifHalf / (R * w), wTileResident ? Long.MAX_VALUE : wHalf / (C * w)));
        int rowTiles = (m + R - 1) / R;
        int colTiles = (n + C - 1) / C;
        BitSet allK = range(0, k);
        BitSet[] cols = new BitSet[rowTiles];
        for (int rt = 0; rt < rowTiles; rt++) {
            cols[rt] = mask == null ? allK : mask.nonZeroColumns(rt, R);
        }
        List<Step> steps = new ArrayList<>();
        for (int ct = 0; ct < colTiles; ct++) {
            int n0 = ct * C;
            int n1 = Math.min(n, n0 + C);
            for (int rt = 0; rt < rowTiles; rt++) {
                BitSet rows = range(rt * R, Math.min(m, (rt + 1) * R));
                Step.Block out = new Step.Block(rows, n0, n1);
                Step.Block wTile = wTileResident && rt == 0 ? new Step.Block(allK, n0, n1) : null;
                List<BitSet> parts = chunks(cols[rt], kc);
                if (parts.isEmpty()) {
                    // every column of the tile is zero: nothing to stream, the (zero) outputs still go out
                    steps.add(new Step(0, null, wTile, null, out));
                    continue;
                }
                for (int j = 0; j < parts.size(); j++) {
                    BitSet part = parts.get(j);
                    boolean last = j == parts.size() - 1;
                    Step.Region aRead = aResident && ct > 0 ? null : new Step.Region(rows, part);
                    Step.Block wRead = wTileResident ? (j == 0 ? wTile : null) : new Step.Block(part, n0, n1);
                    steps.add(new Step(part.cardinality() + (last ? overhead : 0), aRead, wRead, null, last ? out : null));
                }
            }
        }
        return steps;
    }

    private List<Step> ws() {
        int R = a.rows();
        int C = a.cols();
        long overhead = CycleModel.foldOverhead(a, Dataflow.WS);
        boolean aResident = (long) m * k * w <= ifHalf;
        boolean accumulate = (long) m * C * w <= ofHalf;
        long tc = Math.max(1, ifHalf / (R * w));
        int slices = (k + R - 1) / R;
        int colTiles = (n + C - 1) / C;
        BitSet allM = range(0, m);
        BitSet[] tokens = new BitSet[slices];
        for (int s = 0; s < slices; s++) {
            tokens[s] = mask == null ? allM : tokensOfSlice(s * R, Math.min(k, (s + 1) * R));
        }
        List<Step> steps = new ArrayList<>();
        for (int ct = 0; ct < colTiles; ct++) {
            int n0 = ct * C;
            int n1 = Math.min(n, n0 + C);
            int groupStart = steps.size();
            for (int s = 0; s < slices; s++) {
                BitSet sliceCols = range(s * R, Math.min(k, (s + 1) * R));
                List<BitSet> parts = chunks(tokens[s], tc);
                for (int j = 0; j < parts.size(); j++) {
                    BitSet part = parts.get(j);
                    boolean last = j == parts.size() - 1;
                    Step.Region aRead = aResident && ct > 0 ? null : new Step.Region(part, sliceCols);
                    Step.Block wRead = j == 0 ? new Step.Block(sliceCols, n0, n1) : null;
                    // without room to accumulate a whole output column tile, partial sums round-trip through DRAM
                    Step.Block oRead = !accumulate && s > 0 ? new Step.Block(part, n0, n1) : null;
                    Step.Block oWrite = accumulate ? null : new Step.Block(part, n0, n1);
                    steps.add(new Step(part.cardinality() + (last ? overhead : 0), aRead, wRead, oRead, oWrite));
                }
            }
            if (accumulate) {
                Step.Block out = new Step.Block(allM, n0, n1);
                if (steps.size() == groupStart) {
                    steps.add(new Step(0, null, null, null, out));
                } else {
                    Step l = steps.get(steps.size() - 1);
                    steps.set(steps.size() - 1, new Step(l.compute(), l.aRead(), l.wRead(), l.oRead(), out));
                }
            }
        }
        return steps;
    }

    private BitSet tokensOfSlice(int c0, int c1) {
        BitSet t = new BitSet(m);
        for (int r = 0; r < m; r++) {
            for (int c = c0; c < c1; c++) {
                if (mask.nonZero(r, c)) {
                    t.set(r);
                    break;
                }
            }
        }
        return t;
    }

    private List<Step> is() {
        int R = a.rows();
        int C = a.cols();
        long overhead = CycleModel.foldOverhead(a, Dataflow.IS);
        boolean wResident = (long) k * n * w <= wHalf;
        boolean accumulate = (long) C * n * w <= ofHalf;
        long nc = Math.max(1, wHalf / (R * w));
        int tokenTiles = (m + C - 1) / C;
        BitSet allK = range(0, k);
        List<Step> steps = new ArrayList<>();
        for (int mt = 0; mt < tokenTiles; mt++) {
            BitSet tokens = range(mt * C, Math.min(m, (mt + 1) * C));
            BitSet chans = mask == null ? allK : mask.nonZeroColumns(mt, C);
            List<BitSet> groups = chunks(chans, R);
            int tileStart = steps.size();
            for (int g = 0; g < groups.size(); g++) {
                BitSet group = groups.get(g);
                for (int n0 = 0; n0 < n; n0 += (int) Math.min(nc, n)) {
                    int n1 = (int) Math.min(n, n0 + nc);
                    boolean last = n1 == n;
                    Step.Region aRead = n0 == 0 ? new Step.Region(tokens, group) : null;
                    Step.Block wRead = wResident ? (steps.isEmpty() ? new Step.Block(allK, 0, n) : null) : new Step.Block(group, n0, n1);
                    Step.Block oRead = !accumulate && g > 0 ? new Step.Block(tokens, n0, n1) : null;
                    Step.Block oWrite = accumulate ? null : new Step.Block(tokens, n0, n1);
                    steps.add(new Step((n1 - n0) + (last ? overhead : 0), aRead, wRead, oRead, oWrite));
                }
            }
            if (accumulate || groups.isEmpty()) {
                Step.Block out = new Step.Block(tokens, 0, n);
                if (steps.size() == tileStart) {
                    steps.add(new Step(0, null, wResident && steps.isEmpty() ? new Step.Block(allK, 0, n) : null, null, out));
                } else {
                    Step l = steps.get(steps.size() - 1);
                    steps.set(steps.size() - 1, new Step(l.compute(), l.aRead(), l.wRead(), l.oRead(), out));
                }
            }
        }
        return steps;
    }
}
