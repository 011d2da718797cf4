package org.colsparse.accel;

import java.util.BitSet;

/**
 * One unit of work of the array between two buffer swaps: a fold, or a chunk of a fold whose
 * streamed operand does not fit half of its SRAM. Operand parts are named by matrix coordinates;
 * {@link LayerSimulator} turns them into DRAM bursts only when the step is reached.
 *
 * @param compute cycles the array is busy (analytic, SCALE-Sim-equal in sum)
 * @param aRead   part of the activation A to fetch (rows = tokens, cols = channels), or null
 * @param wRead   part of the weight W ({@code k x n}, row-major) to fetch, or null
 * @param oRead   partial sums of the output O ({@code m x n}, row-major) to fetch back, or null
 * @param oWrite  part of O to write back once the step is done, or null
 */
record Step(long compute, Region aRead, Block wRead, Block oRead, Block oWrite) {
    /** Rows x an arbitrary set of columns of A. */
    record Region(BitSet rows, BitSet cols) {
    }

    /** Rows x the column range {@code [c0, c1)} of a row-major matrix. */
    record Block(BitSet rows, int c0, int c1) {
    }

    Step withCompute(long c) {
        return new Step(c, aRead, wRead, oRead, oWrite);
    }
}
