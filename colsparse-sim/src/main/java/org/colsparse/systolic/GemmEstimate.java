package org.colsparse.systolic;

import org.colsparse.workload.Gemm;

/**
 * Compute cycles of one GEMM (all its instances) on one array and dataflow. {@code skippedCycles} is
 * -1 when no mask applies (the GEMM does not consume a GELU site, or no mask was given).
 */
public record GemmEstimate(Gemm gemm, ArrayShape array, Dataflow dataflow, long denseCycles, long skippedCycles) {
    public boolean skipped() {
        return skippedCycles >= 0;
    }

    /** Cycles actually spent: skipped when a mask applies, dense otherwise. */
    public long effectiveCycles() {
        return skipped() ? skippedCycles : denseCycles;
    }

    /** {@code 1 - skipped / dense} (docs/definitions.md), 0 without a mask. */
    public double cycleReduction() {
        return skipped() ? 1.0 - (double) skippedCycles / denseCycles : 0.0;
    }

    public static GemmEstimate dense(Gemm g, ArrayShape a, Dataflow df) {
        return new GemmEstimate(g, a, df, Math.multiplyExact(g.instances(), CycleModel.denseCycles(g.m(), g.n(), g.k(), a, df)), -1);
    }

    /** With column skipping; the mask is the GEMM's A ({@code m x k}); every instance sees the same mask. */
    public static GemmEstimate withMask(Gemm g, ArrayShape a, Dataflow df, ActivationMask mask) {
        if (mask.m() != g.m() || mask.k() != g.k()) {
            throw new IllegalArgumentException("mask " + mask.m() + "x" + mask.k() + " does not match GEMM " + g.name() + " A " + g.m() + "x" + g.k());
        }
        long dense = Math.multiplyExact(g.instances(), CycleModel.denseCycles(g.m(), g.n(), g.k(), a, df));
        return new GemmEstimate(g, a, df, dense, Math.multiplyExact(g.instances(), CycleModel.skippedCycles(g.n(), a, df, mask)));
    }

    /**
     * Output-stationary skipping from per-row-tile counts alone (what a sparsity analyzer already
     * has): {@code nonZeroColumnsPerRowTile[t]} = non-zero columns of the t-th tile of R rows.
     */
    public static GemmEstimate osWithTileCounts(Gemm g, ArrayShape a, int[] nonZeroColumnsPerRowTile) {
        if (nonZeroColumnsPerRowTile.length != (g.m() + a.rows() - 1) / a.rows()) {
            throw new IllegalArgumentException("GEMM " + g.name() + " has " + (g.m() + a.rows() - 1) / a.rows() + " row tiles, got "
                    + nonZeroColumnsPerRowTile.length + " counts");
        }
        long dense = Math.multiplyExact(g.instances(), CycleModel.denseCycles(g.m(), g.n(), g.k(), a, Dataflow.OS));
        long sum = CycleModel.osSkipped(g.n(), a, nonZeroColumnsPerRowTile);
        return new GemmEstimate(g, a, Dataflow.OS, dense, Math.multiplyExact(g.instances(), Math.max(0, sum - 1)));
    }
}
