package org.colsparse.systolic;

/**
 * Closed-form compute cycles of one GEMM ({@code A: m x k} times {@code W: k x n}) on an R x C
 * array, equal to SCALE-Sim v2's "Total Cycles" in CALC (estimate-bandwidth) mode.
 *
 * <p>SCALE-Sim builds one demand line per cycle. Every fold (one mapping of the operands onto the
 * array) contributes its streaming length plus pipeline fill and drain:
 * <ul>
 * <li>os: folds {@code ceil(m/R) * ceil(n/C)}, {@code R + C + k - 2} lines each (T = k);</li>
 * <li>ws: folds {@code ceil(k/R) * ceil(n/C)}, {@code 2R + C + m - 2} lines each (R cycles to load the
 *     weights, T = m tokens, C - 1 to drain, R - 1 of skew);</li>
 * <li>is: folds {@code ceil(k/R) * ceil(m/C)}, {@code 2R + C + n - 2} lines each (T = n).</li>
 * </ul>
 * and reports the index of the last line, i.e. the sum minus one. CALC mode never stalls on reads, so
 * this is the whole count (checked against 44 measured SCALE-Sim runs, see the test fixtures).
 */
public final class CycleModel {
    private CycleModel() {
    }

    /**
     * Dense cycles of one instance of the GEMM.
     *
     * @throws ArithmeticException when the count does not fit a long (absurd dimensions): a wrapped
     *                             negative count would otherwise be reported as a result
     */
    public static long denseCycles(long m, long n, long k, ArrayShape a, Dataflow df) {
        return Math.multiplyExact(folds(m, n, k, a, df), foldCycles(a, df, streamLength(m, n, k, df))) - 1;
    }

    /** Number of folds (array mappings) of the dense GEMM. */
    public static long folds(long m, long n, long k, ArrayShape a, Dataflow df) {
        return switch (df) {
            case OS -> Math.multiplyExact(ceilDiv(m, a.rows()), ceilDiv(n, a.cols()));
            case WS -> Math.multiplyExact(ceilDiv(k, a.rows()), ceilDiv(n, a.cols()));
            case IS -> Math.multiplyExact(ceilDiv(k, a.rows()), ceilDiv(m, a.cols()));
        };
    }

    /** The GEMM dimension that streams through the array in time (SCALE-Sim's T). */
    public static long streamLength(long m, long n, long k, Dataflow df) {
        return switch (df) {
            case OS -> k;
            case WS -> m;
            case IS -> n;
        };
    }

    /** Demand lines of one fold whose operands stream for {@code t} steps. */
    public static long foldCycles(ArrayShape a, Dataflow df, long t) {
        return switch (df) {
            case OS -> Math.addExact(a.rows() + a.cols() - 2L, t);
            case WS, IS -> Math.addExact(2L * a.rows() + a.cols() - 2, t);
        };
    }

    /** Pipeline fill/drain overhead of one fold (its cycles minus its streaming length). */
    public static long foldOverhead(ArrayShape a, Dataflow df) {
        return foldCycles(a, df, 0);
    }

    /**
     * SCALE-Sim's "Compute Util %" as a fraction: the per-fold ratio of useful MACs to PE-cycles,
     * averaged over folds. The per-fold cycle count SCALE-Sim uses here is the un-skewed output
     * demand (os: {@code R + C + k - 2}) or the filter demand plus skew (ws/is: {@code 2R + 2C + T - 3}).
     */
    public static double computeUtilization(long m, long n, long k, ArrayShape a, Dataflow df) {
        long t = streamLength(m, n, k, df);
        long cyclesPerFold = df == Dataflow.OS ? a.rows() + a.cols() + t - 2 : 2L * a.rows() + 2L * a.cols() + t - 3;
        // the sum over folds of t * rows_used * cols_used factorizes into m * n * k for every dataflow
        return (double) m * n * k / ((double) folds(m, n, k, a, df) * a.rows() * a.cols() * cyclesPerFold);
    }

    /**
     * Cycles with column skipping (docs/simulator.md §skipping), one instance. The mask is A of this GEMM.
     * <ul>
     * <li>os: row tile t of R tokens streams only its {@code k_t} non-zero columns:
     *     {@code ceil(n/C) * (R + C + k_t - 2)} per row tile, nothing when {@code k_t = 0};</li>
     * <li>ws: the K-slice s of R channels streams only the {@code m_s} tokens whose slice holds a
     *     non-zero: {@code ceil(n/C) * (2R + C + m_s - 2)}, nothing when {@code m_s = 0};</li>
     * <li>is: token tile u of C tokens pins only its {@code k_u} non-zero channels, packed into
     *     {@code ceil(k_u/R)} folds of {@code 2R + C + n - 2}.</li>
     * </ul>
     * SCALE-Sim's final "minus one" is kept so an all-non-zero mask gives the dense count exactly; a
     * GEMM whose every fold is skipped takes 0 cycles.
     */
    public static long skippedCycles(long n, ArrayShape a, Dataflow df, ActivationMask mask) {
        long sum = switch (df) {
            case OS -> osSkipped(n, a, mask.nonZeroColumnsPerTile(a.rows()));
            case WS -> wsSkipped(n, a, mask.tokensPerChannelSlice(a.rows()));
            case IS -> isSkipped(n, a, mask.nonZeroColumnsPerTile(a.cols()));
        };
        return Math.max(0, sum - 1);
    }

    /**
     * The unit a mask skips in each dataflow, for outputs (docs/definitions.md asks every output to name a
     * non-default view): os uses the default column (one channel within an R-token row tile).
     */
    public static String skipUnit(Dataflow df, ArrayShape a) {
        return switch (df) {
            case OS -> "column: channel x " + a.rows() + "-token row tile";
            case WS -> "token slice: token x " + a.rows() + "-channel slice (weight-stationary view)";
            case IS -> "column: channel x " + a.cols() + "-token tile (input-stationary view)";
        };
    }

    /** Sum of os fold cycles given the non-zero column count of each R-row tile (without the final -1). */
    public static long osSkipped(long n, ArrayShape a, int[] nonZeroColumnsPerRowTile) {
        long colTiles = ceilDiv(n, a.cols());
        long sum = 0;
        for (int kt : nonZeroColumnsPerRowTile) {
            if (kt > 0) {
                sum = Math.addExact(sum, Math.multiplyExact(colTiles, foldCycles(a, Dataflow.OS, kt)));
            }
        }
        return sum;
    }

    private static long wsSkipped(long n, ArrayShape a, int[] tokensPerSlice) {
        long colTiles = ceilDiv(n, a.cols());
        long sum = 0;
        for (int ms : tokensPerSlice) {
            if (ms > 0) {
                sum = Math.addExact(sum, Math.multiplyExact(colTiles, foldCycles(a, Dataflow.WS, ms)));
            }
        }
        return sum;
    }

    private static long isSkipped(long n, ArrayShape a, int[] nonZeroChannelsPerTokenTile) {
        long sum = 0;
        for (int ku : nonZeroChannelsPerTokenTile) {
            sum = Math.addExact(sum, Math.multiplyExact(ceilDiv(ku, a.rows()), foldCycles(a, Dataflow.IS, n)));
        }
        return sum;
    }

    static long ceilDiv(long a, long b) {
        // (a + b - 1) / b would wrap for a near Long.MAX_VALUE
        return a / b + (a % b == 0 ? 0 : 1);
    }
}
