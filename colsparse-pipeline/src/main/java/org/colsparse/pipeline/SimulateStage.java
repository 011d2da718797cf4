package org.colsparse.pipeline;

import org.colsparse.accel.AccelConfig;
import org.colsparse.accel.AcceleratorSim;
import org.colsparse.accel.LayerResult;
import org.colsparse.layout.LayoutKind;
import org.colsparse.results.SimulateResult;
import org.colsparse.results.SimulateResult.CallResult;
import org.colsparse.results.SimulateResult.LayoutTotals;
import org.colsparse.runtime.GemmRecorder;
import org.colsparse.systolic.ActivationMask;
import org.colsparse.workload.Gemm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The simulate stage of {@code run}: cycle-level simulation (array + SRAM + DRAM) of every GEMM of
 * whole recorded denoiser calls, dense and with each headline consumer's real recorded mask, per
 * layout, for a few recorded calls spread over the timesteps.
 */
public final class SimulateStage {
    private SimulateStage() {
    }

    /**
     * @param simCalls how many of the recorded calls to simulate (spread, first and last included)
     * @param progress told after each (layer, layout, sparsity) run: runs done and in all
     */
    public static SimulateResult replay(RecordedMasks masks, Replay replay, AccelConfig accel, List<LayoutKind> layouts, int simCalls,
                                        StageListener progress) {
        List<RecordedMasks.Call> picked = spread(masks.calls(), simCalls);
        List<Gemm> layers = masks.gemms().stream().map(GemmRecorder.Op::gemm).toList();
        // every picked call in one simulator run, each layer under a per-call name: the dense runs,
        // the same in every call, are then made once (AcceleratorSim shares runs of one shape)
        List<Gemm> all = new ArrayList<>();
        Map<String, ActivationMask> skipping = new HashMap<>();
        // consumers of sites outside the headline are simulated with skipping too, but only for the beside totals
        Set<String> beside = new HashSet<>();
        for (RecordedMasks.Call call : picked) {
            Map<String, ActivationMask> m = replay.headline().of(call);
            Map<String, ActivationMask> o = replay.others().of(call);
            for (Gemm g : layers) {
                Gemm named = new Gemm(inCall(g, call), g.m(), g.n(), g.k(), g.instances(), g.consumesSite());
                all.add(named);
                if (m.containsKey(g.name())) {
                    skipping.put(named.name(), m.get(g.name()));
                } else if (o.containsKey(g.name())) {
                    skipping.put(named.name(), o.get(g.name()));
                    beside.add(named.name());
                }
            }
        }
        AcceleratorSim sim = new AcceleratorSim(accel);
        long total = AcceleratorSim.runCount(all, layouts, skipping);
        long[] done = {0};
        Map<String, LayerResult> results = new HashMap<>();
        for (LayerResult r : sim.run(all, layouts, skipping, null, k -> progress.progress(++done[0], total))) {
            results.put(r.layout() + "/" + r.masked() + "/" + r.name(), r);
        }
        Map<LayoutKind, Totals[]> totals = new LinkedHashMap<>();
        Map<LayoutKind, Totals[]> otherTotals = new LinkedHashMap<>();
        List<CallResult> perCall = new ArrayList<>();
        for (RecordedMasks.Call call : picked) {
            for (LayoutKind layout : layouts) {
                Totals[] t = totals.computeIfAbsent(layout, k -> new Totals[] {new Totals(), new Totals()});
                Totals[] o = otherTotals.computeIfAbsent(layout, k -> new Totals[] {new Totals(), new Totals()});
                long d = 0;
                long s = 0;
                for (Gemm g : layers) {
                    LayerResult dr = results.get(layout.cliName() + "/false/" + inCall(g, call));
                    LayerResult sr = results.getOrDefault(layout.cliName() + "/true/" + inCall(g, call), dr);
                    if (beside.contains(inCall(g, call))) {
                        o[0].add(dr);
                        o[1].add(sr);
                        sr = dr;
                    }
                    t[0].add(dr);
                    t[1].add(sr);
                    d += dr.cycles();
                    s += sr.cycles();
                }
                perCall.add(new CallResult(call.step(), call.timestep(), layout, d, s, 1 - (double) s / d));
            }
        }
        List<LayoutTotals> out = new ArrayList<>();
        totals.forEach((layout, t) -> {
            out.add(t[0].of(layout, false, picked.size()));
            out.add(t[1].of(layout, true, picked.size()));
        });
        List<LayoutTotals> otherOut = new ArrayList<>();
        if (!beside.isEmpty()) {
            otherTotals.forEach((layout, o) -> {
                otherOut.add(o[0].of(layout, false, picked.size()));
                otherOut.add(o[1].of(layout, true, picked.size()));
            });
        }
        return new SimulateResult(masks.workload(), "cycle-level (array + double-buffered SRAM + " + sim.dramName() + ") of every GEMM of "
                + "the profiled model's denoiser call; headline consumers skip with their site's real recorded mask, consumers of sites "
                + "outside the headline run dense (alone in other_consumers); " + sim.dramMethod(), layers.size(),
                picked.stream().map(RecordedMasks.Call::step).toList(), out, perCall, otherOut);
    }

    private static String inCall(Gemm g, RecordedMasks.Call call) {
        return g.name() + "@" + call.name();
    }

    /** One layout's sums over the GEMMs of the simulated calls. */
    private static final class Totals {
        private long cycles;
        private long compute;
        private long read;
        private long written;
        private long rowHits;
        private long rowRequests;

        void add(LayerResult r) {
            cycles += r.cycles();
            compute += r.computeCycles();
            read += r.bytesRead();
            written += r.bytesWritten();
            if (r.rowHits() >= 0) {
                rowHits += r.rowHits();
                rowRequests += r.rowHits() + r.rowMisses() + r.rowConflicts();
            }
        }

        LayoutTotals of(LayoutKind layout, boolean masked, int calls) {
            return new LayoutTotals(layout, masked, calls, cycles, compute, cycles - compute,
                    cycles == 0 ? 0 : (double) (cycles - compute) / cycles, read, written, (read + written) / 1e6,
                    rowRequests == 0 ? Double.NaN : (double) rowHits / rowRequests);
        }
    }

    /** {@code count} of {@code calls}, evenly spread, first and last included. */
    static <T> List<T> spread(List<T> calls, int count) {
        if (count >= calls.size()) {
            return calls;
        }
        TreeSet<Integer> at = new TreeSet<>();
        for (int j = 0; j < count; j++) {
            at.add(count == 1 ? 0 : (int) Math.round((double) j * (calls.size() - 1) / (count - 1)));
        }
        return at.stream().map(calls::get).toList();
    }
}
