package org.colsparse.pipeline;

import org.colsparse.denoiser.Preset;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.results.EstimateResult;
import org.colsparse.results.EstimateResult.DataflowCycles;
import org.colsparse.results.EstimateResult.GemmCycles;
import org.colsparse.results.EstimateResult.ProjectedGemm;
import org.colsparse.results.EstimateResult.Projection;
import org.colsparse.results.Primary;
import org.colsparse.results.ProfileResult;
import org.colsparse.runtime.GemmRecorder;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.systolic.ActivationMask;
import org.colsparse.systolic.ArrayShape;
import org.colsparse.systolic.CycleModel;
import org.colsparse.systolic.Dataflow;
import org.colsparse.systolic.GemmEstimate;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.Gemm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The estimate stage: analytic cycles (SCALE-Sim-exact dense counts) of GEMMs on the array, dense
 * or skipping a mask's near-zero columns. {@code gemm} estimates the layers it is given with
 * {@link #of}; {@code run} every GEMM of the profiled model's own call, each headline consumer
 * skipping with its site's real recorded mask, per dataflow, summed over the recorded calls
 * ({@link #replay}), plus for tiny models a projection onto the full-size shapes.
 */
public final class EstimateStage {
    private static final Dataflow[] FLOWS = {Dataflow.OS, Dataflow.WS, Dataflow.IS};

    private EstimateStage() {
    }

    /** One GEMM's estimate: dense without a mask, skipping its near-zero columns with one. */
    public static GemmEstimate of(Gemm g, ArrayShape array, Dataflow df, ActivationMask mask) {
        return mask == null ? GemmEstimate.dense(g, array, df) : GemmEstimate.withMask(g, array, df, mask);
    }

    /**
     * Every GEMM of {@code masks}' call, each dataflow, over every recorded call.
     *
     * @param operands the headline consumers' masks per call; @param others those of the consumers beside the headline
     * @param profile  the profile the projection borrows its measured column sparsity from
     */
    public static EstimateResult replay(String id, RecordedMasks masks, Replay.Operands operands, Replay.Operands others, ArrayShape array,
                                        Dataflow configuredFlow, Preset preset, ProfileResult profile, Primary primary) {
        long[] dense = new long[3];
        long[] skip = new long[3];
        long[] cDense = new long[3];
        long[] cSkip = new long[3];
        long[] oDense = new long[3];
        long[] oSkip = new long[3];
        int n = masks.calls().size();
        List<GemmCycles> rows = new ArrayList<>();
        for (GemmRecorder.Op op : masks.gemms()) {
            Gemm g = op.gemm();
            long[] d = new long[3];
            double[] sk = new double[3];
            for (RecordedMasks.Call call : masks.calls()) {
                ActivationMask mask = operands.of(call).get(g.name());
                ActivationMask beside = others.of(call).get(g.name());
                for (int f = 0; f < 3; f++) {
                    GemmEstimate e = of(g, array, FLOWS[f], mask);
                    if (beside != null) {
                        oDense[f] += e.denseCycles();
                        oSkip[f] += GemmEstimate.withMask(g, array, FLOWS[f], beside).effectiveCycles();
                    }
                    d[f] = e.denseCycles();
                    sk[f] += e.effectiveCycles();
                    dense[f] += e.denseCycles();
                    skip[f] += e.effectiveCycles();
                    if (mask != null) {
                        cDense[f] += e.denseCycles();
                        cSkip[f] += e.effectiveCycles();
                    }
                }
            }
            rows.add(new GemmCycles(g.name(), g.m(), g.n(), g.k(), g.instances(), g.consumesSite(), consumesRole(masks, g), d[0], sk[0] / n,
                    d[1], sk[1] / n, d[2], sk[2] / n));
        }
        List<DataflowCycles> flowsOut = new ArrayList<>();
        int configured = 0;
        for (int f = 0; f < 3; f++) {
            flowsOut.add(new DataflowCycles(FLOWS[f], CycleModel.skipUnit(FLOWS[f], array), dense[f], skip[f],
                    cDense[f], cSkip[f], cDense[f] == 0 ? 0 : 1 - (double) cSkip[f] / cDense[f], 1 - (double) skip[f] / dense[f],
                    oDense[f], oSkip[f], oDense[f] == 0 ? null : 1 - (double) oSkip[f] / oDense[f]));
            if (FLOWS[f] == configuredFlow) {
                configured = f;
            }
        }
        DataflowCycles main = flowsOut.get(configured);
        List<Integer> steps = masks.calls().stream().map(RecordedMasks.Call::step).toList();
        Projection projection = preset == Preset.tiny ? projection(id, profile, array, primary) : null;
        return new EstimateResult(id, "analytic (SCALE-Sim-exact dense cycles) on the profiled model's own GEMMs; each headline consumer "
                + "skips with its site's real recorded mask, exactly per tile; consumers of sites outside the headline run dense "
                + "(their skipping is reported beside, other_consumer_*); summed over " + n + " recorded calls",
                array.rows() + "x" + array.cols(), main.dataflow(), n, steps, main.consumerReduction(), main.modelReduction(),
                flowsOut, rows, projection);
    }

    /** A GEMM's {@code consumes_role} as results.json and estimate.csv write it: "" when it reads no GELU site. */
    private static String consumesRole(RecordedMasks masks, Gemm g) {
        org.colsparse.workload.SiteRole role = masks.consumedRole(g);
        return role == null ? "" : role.cliName();
    }

    /**
     * The full-size projection: the real model's shapes, each consumer GEMM streaming
     * {@code (1 - s) K} columns per row tile with {@code s} the measured column sparsity (primary
     * threshold, array rows) of the tiny site at the same relative depth. A mean per tile, not a mask.
     */
    private static Projection projection(String id, ProfileResult profile, ArrayShape array, Primary primary) {
        // a workload outside the catalog (an ONNX graph's) has no full-size shapes to project onto
        FullPreset full = org.colsparse.catalog.Catalog.find(id).map(org.colsparse.catalog.WorkloadDescriptor::fullSize)
                .map(org.colsparse.catalog.FullSize::preset).orElse(null);
        if (full == null) {
            return null;
        }
        Map<String, Double> measured = new LinkedHashMap<>();
        for (SiteStats s : profile.sites()) {
            if (primary.of(s)) {
                measured.put(s.site(), s.columnSparsity());
            }
        }
        List<String> tiny = new ArrayList<>();
        for (SiteSpec site : org.colsparse.catalog.Catalog.runtime(id).info().sites()) {
            if (site.role().headline() && measured.containsKey(site.name())) {
                tiny.add(site.name());
            }
        }
        List<String> fullSites = full.sites().stream().map(org.colsparse.workload.GeluSite::name).toList();
        if (tiny.isEmpty() || fullSites.isEmpty()) {
            return null;
        }
        Dataflow df = Dataflow.OS;
        long dense = 0;
        long projected = 0;
        long cDense = 0;
        long cProjected = 0;
        List<ProjectedGemm> rows = new ArrayList<>();
        for (Gemm g : full.gemms()) {
            long d = CycleModel.denseCycles(g.m(), g.n(), g.k(), array, df) * g.instances();
            long p = d;
            if (g.consumesGelu()) {
                int at = Math.max(0, fullSites.indexOf(g.consumesSite()));
                String t = tiny.get(Math.min(tiny.size() - 1, at * tiny.size() / fullSites.size()));
                double s = measured.get(t);
                long k = Math.max(0, Math.round((1 - s) * g.k()));
                p = k == 0 ? 0 : CycleModel.denseCycles(g.m(), g.n(), k, array, df) * g.instances();
                rows.add(new ProjectedGemm(g.name(), g.m(), g.n(), g.k(), g.instances(), g.consumesSite(), t, s, d, p));
                cDense += d;
                cProjected += p;
            }
            dense += d;
            projected += p;
        }
        return new Projection("PROJECTION, not a measurement: full-size " + full.config() + " shapes (os); each consumer GEMM streams "
                + "(1 - s) x K columns per row tile, s = measured column sparsity of the tiny site at the same relative depth",
                full.config(), cDense == 0 ? 0 : 1 - (double) cProjected / cDense, 1 - (double) projected / dense, rows);
    }
}
