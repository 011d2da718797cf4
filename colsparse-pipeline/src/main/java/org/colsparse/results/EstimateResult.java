package org.colsparse.results;

import org.colsparse.systolic.Dataflow;

import java.util.List;

/**
 * The estimate stage: analytic cycles of the profiled model's own GEMMs, each headline consumer
 * skipping with its site's real recorded mask.
 *
 * @param consumerReduction the configured dataflow's consumer reduction (the summary's number)
 * @param dataflows         os, ws and is, in that order
 * @param projection        the full-size projection, labelled; null when the profiled model is itself full size
 */
public record EstimateResult(String workload, String method, String array, Dataflow dataflow, int calls, List<Integer> callSteps,
                             double consumerReduction, double modelReduction, List<DataflowCycles> dataflows,
                             List<GemmCycles> gemms, Projection projection) {

    /** The totals of {@code d}, or null. */
    public DataflowCycles of(Dataflow d) {
        return dataflows == null ? null : dataflows.stream().filter(f -> f.dataflow() == d).findFirst().orElse(null);
    }

    /**
     * One dataflow's totals over the recorded calls.
     *
     * @param consumerReduction      cycle reduction of the headline consumers: the GEMMs that read headline GELU
     *                               outputs (FFN down-projections, next convolutions)
     * @param modelReduction         cycle reduction of the whole denoiser call (all GEMMs; only the headline consumers skip)
     * @param otherConsumerReduction beside the headline: what the consumers of sites outside it (time-mlp) would
     *                               save of their own cycles if they skipped too; null when the call has none
     */
    public record DataflowCycles(Dataflow dataflow, String skipUnit, long denseCycles, long cyclesWithSkipping, long consumerDenseCycles,
                                 long consumerCyclesWithSkipping, double consumerReduction, double modelReduction,
                                 long otherConsumerDenseCycles, long otherConsumerCyclesWithSkipping, Double otherConsumerReduction) {
    }

    /**
     * One GEMM of the profiled call: dense cycles and cycles with skipping, each dataflow, mean over
     * the recorded calls. A consumer of a site outside the headline ({@code consumesRole} time-mlp)
     * runs dense here, as in the totals; what it would save is in {@link DataflowCycles}' other_consumer fields.
     *
     * @param consumesRole "" when it reads no GELU site (as estimate.csv writes it)
     */
    public record GemmCycles(String name, long m, long n, long k, long instances, String consumesSite, String consumesRole, long denseCyclesOs,
                             double cyclesWithSkippingOs, long denseCyclesWs, double cyclesWithSkippingWs, long denseCyclesIs,
                             double cyclesWithSkippingIs) {
        public long dense(Dataflow d) {
            return switch (d) {
                case OS -> denseCyclesOs;
                case WS -> denseCyclesWs;
                case IS -> denseCyclesIs;
            };
        }

        public double withSkipping(Dataflow d) {
            return switch (d) {
                case OS -> cyclesWithSkippingOs;
                case WS -> cyclesWithSkippingWs;
                case IS -> cyclesWithSkippingIs;
            };
        }
    }

    public record Projection(String label, String preset, double consumerReduction, double modelReduction, List<ProjectedGemm> gemms) {
    }

    /** A full-size consumer GEMM in the projection, with the tiny site whose measured column sparsity it borrows. */
    public record ProjectedGemm(String name, long m, long n, long k, long instances, String fullSite, String tinySite,
                                double columnSparsity, long denseCycles, long projectedCycles) {
    }
}
