package org.colsparse.results;

import org.colsparse.layout.LayoutKind;

import java.util.List;

/**
 * The simulate stage: cycle-level runs of whole recorded calls, per layout.
 *
 * @param results        per layout, dense and with skipping (only the headline consumers skip), summed over the simulated calls
 * @param calls          each simulated call on its own
 * @param otherConsumers beside the headline: the consumers of sites outside it (time-mlp) alone, per layout, dense and
 *                       skipping with their own masks; empty when the call has none
 */
public record SimulateResult(String workload, String method, int gemmsPerCall, List<Integer> callSteps, List<LayoutTotals> results,
                             List<CallResult> calls, List<LayoutTotals> otherConsumers) {

    /** One layout's whole-call totals, dense or with skipping, summed over the simulated calls. */
    public record LayoutTotals(LayoutKind layout, boolean skipping, int calls, long cycles, long computeCycles, long stallCycles,
                               double stallShare, long bytesRead, long bytesWritten, double dramMb, double rowHitRate) {
    }

    /** One simulated call, per layout: cycles with skipping and the gain over that layout's dense call. */
    public record CallResult(int step, int timestep, LayoutKind layout, long denseCycles, long cyclesWithSkipping, double skipGain) {
    }
}
