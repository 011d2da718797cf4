package org.colsparse.sparsity;

import org.colsparse.tensor.DType;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorScanTest {
    /** An in-memory tensor in C order. */
    private record Mem(TensorInfo info, double[] v) implements TensorData {
        @Override
        public void readFloats(long first, float[] dst, int off, int count) {
            for (int i = 0; i < count; i++) {
                dst[off + i] = (float) v[(int) first + i];
            }
        }

        @Override
        public void readDoubles(long first, double[] dst, int off, int count) {
            System.arraycopy(v, (int) first, dst, off, count);
        }
    }

    private static Mem tensor(DType t, double[] v, long... shape) {
        return new Mem(new TensorInfo("x", t, shape), v);
    }

    @Test
    void channelFirstTensorIsReadAsRowsOfChannels() {
        // (B=1, C=2, H=1, W=3): channel 0 = 0, 0, 0.5; channel 1 = 0, 0, 0.
        // As (B*H*W, C) = 3 x 2: rows (0,0), (0,0), (0.5,0). With R = 2: tiles rows 0-1 (both
        // columns zero) and row 2 (channel 1 zero) -> 3 of 4 columns zero.
        Mem m = tensor(DType.F32, new double[] {0, 0, 0.5, 0, 0, 0}, 1, 2, 1, 3);
        AnalysisConfig cfg = new AnalysisConfig(new double[] {0.01}, new int[] {2});
        SiteStats s = TensorScan.scan("x", m, new TensorScan.View(1, 0), cfg, 1).results().get(0);
        assertEquals(3, s.rows());
        assertEquals(2, s.cols());
        assertEquals(4, s.columns());
        assertEquals(3, s.zeroColumns());
        assertArrayEquals(new double[] {1.0 / 3, 0}, s.channelActivity(), 1e-15);

        // The default, channel-last view of the same tensor is 6 rows of one channel (W=3 is K).
        SiteStats last = TensorScan.scan("x", m, TensorScan.View.DEFAULT, cfg, 1).results().get(0);
        assertEquals(2, last.rows());
        assertEquals(3, last.cols());
    }

    @Test
    void rowsPerCallRestartsTiles() {
        // 4 rows x 1 channel: 0, 0.5, 0, 0. One call, R=4: one non-zero column.
        // Two calls of 2 rows: tiles {0, 0.5} and {0, 0} -> one of two zero.
        Mem m = tensor(DType.F32, new double[] {0, 0.5, 0, 0}, 4, 1);
        AnalysisConfig cfg = new AnalysisConfig(new double[] {0.01}, new int[] {4});
        SiteStats one = TensorScan.scan("x", m, TensorScan.View.DEFAULT, cfg, 1).results().get(0);
        assertEquals(1, one.columns());
        assertEquals(0, one.zeroColumns());
        SiteStats two = TensorScan.scan("x", m, new TensorScan.View(-1, 2), cfg, 1).results().get(0);
        assertEquals(2, two.calls());
        assertEquals(2, two.columns());
        assertEquals(1, two.zeroColumns());
        assertThrows(InputException.class, () -> TensorScan.scan("x", m, new TensorScan.View(-1, 3), cfg, 1));
    }

    @Test
    void threadsDoNotChangeTheResult() {
        Random rnd = new Random(5);
        int rows = 300;
        int k = 19;
        double[] v = new double[rows * k];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextGaussian() * ((i % k) % 7 == 0 ? 0.001 : 0.05);
        }
        Mem m = tensor(DType.F32, v, rows, k);
        AnalysisConfig cfg = new AnalysisConfig(AnalysisConfig.DEFAULT_SWEEP, new int[] {8, 32, 48});
        // 300 rows split at multiples of lcm(8, 32, 48) = 96: 2 threads 96 + 204, 3 threads 96 + 96 + 108
        SiteAccumulator a = TensorScan.scan("x", m, TensorScan.View.DEFAULT, cfg, 1);
        SiteAccumulator b = TensorScan.scan("x", m, TensorScan.View.DEFAULT, cfg, 2, 1);
        SiteAccumulator c = TensorScan.scan("x", m, TensorScan.View.DEFAULT, cfg, 3, 1);
        // several calls spread over threads
        SiteAccumulator d = TensorScan.scan("x", m, new TensorScan.View(-1, 100), cfg, 1);
        SiteAccumulator e = TensorScan.scan("x", m, new TensorScan.View(-1, 100), cfg, 2, 1);
        assertEquals(a.results(), b.results());
        assertEquals(a.results(), c.results());
        assertEquals(1, b.calls());
        assertEquals(1, c.calls());
        assertEquals(d.results(), e.results());
        assertEquals(3, e.calls());
    }

    @Test
    void float64TensorsAreComparedInDouble() {
        Mem m = tensor(DType.F64, new double[] {0.05, 0.05000000001}, 1, 2);
        SiteStats s = TensorScan.scan("x", m, TensorScan.View.DEFAULT,
                new AnalysisConfig(new double[] {0.05}, new int[] {1}), 1).results().get(0);
        assertEquals(1, s.nearZeroElements());
    }

    @Test
    void firstNonFiniteInTensorOrderIsReportedEvenWithThreads() {
        int rows = 512;
        int k = 20;
        double[] v = new double[rows * k];
        v[300 * k + 17] = Double.NaN;   // in the second half
        v[100 * k + 5] = Double.POSITIVE_INFINITY;
        Mem m = tensor(DType.F32, v, rows, k);
        AnalysisConfig cfg = new AnalysisConfig(new double[] {0.01}, new int[] {32});
        InputException e = assertThrows(InputException.class,
                () -> TensorScan.scan("acts", m, TensorScan.View.DEFAULT, cfg, 2, 1));
        assertTrue(e.getMessage().contains("site 'acts': +Inf activation at row 100, channel 5"), e.getMessage());
        v[100 * k + 5] = 0;
        InputException e2 = assertThrows(InputException.class,
                () -> TensorScan.scan("acts", m, TensorScan.View.DEFAULT, cfg, 2, 1));
        assertTrue(e2.getMessage().contains("NaN activation at row 300, channel 17"), e2.getMessage());
    }

    @Test
    void badViewsAreInputErrors() {
        AnalysisConfig cfg = AnalysisConfig.defaults();
        assertThrows(InputException.class, () -> TensorScan.scan("x", tensor(DType.F32, new double[] {1}), TensorScan.View.DEFAULT, cfg, 1));
        assertThrows(InputException.class, () -> TensorScan.scan("x", tensor(DType.F32, new double[] {1, 2}, 2), new TensorScan.View(3, 0), cfg, 1));
        assertThrows(InputException.class, () -> TensorScan.scan("x", tensor(DType.I32, new double[] {1, 2}, 2), TensorScan.View.DEFAULT, cfg, 1));
    }

    /** Rows x channels of zeros whose reads fail with {@code error} from element {@code failFrom} on. */
    private record Failing(TensorInfo info, long failFrom, Error error) implements TensorData {
        @Override
        public void readFloats(long first, float[] dst, int off, int count) {
            if (first + count > failFrom) {
                throw error;
            }
            java.util.Arrays.fill(dst, off, off + count, 0f);
        }

        @Override
        public void readDoubles(long first, double[] dst, int off, int count) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aWorkerKilledByAnErrorFailsTheScan() {
        // issue 22, 5b: an OutOfMemoryError in one worker (inflating a deflated array) ended that
        // thread only; its rows were merged as never seen, and the site reported with 0 rows
        long rows = 4096;
        int k = 64;
        OutOfMemoryError oom = new OutOfMemoryError("inflating (test)");
        Failing data = new Failing(new TensorInfo("x", DType.F32, new long[] {rows, k}), rows * k / 2, oom);
        AnalysisConfig cfg = new AnalysisConfig(new double[] {0.01}, new int[] {8});
        Error thrown = assertThrows(Error.class, () -> TensorScan.scan("x", data, TensorScan.View.DEFAULT, cfg, 4, 1));
        assertEquals(oom, thrown);
        // and one call per row, several calls per worker
        assertThrows(Error.class, () -> TensorScan.scan("x", data, new TensorScan.View(-1, 8), cfg, 3, 1));
    }

    @Test
    void aSiteWhoseCountersWouldNotFitTheHeapIsRefused() {
        // issue 22: a 1 GiB array of one dimension is one row of 2^28 channels, whose counters
        // (7 ints a channel and worker) ran the heap out in FloatScan's constructor
        Failing data = new Failing(new TensorInfo("x", DType.F32, new long[] {1L << 28}), 0, new AssertionError("never read"));
        AnalysisConfig cfg = new AnalysisConfig(new double[] {0.01}, new int[] {8});
        InputException e = assertThrows(InputException.class, () -> TensorScan.scan("x", data, TensorScan.View.DEFAULT, cfg, 1));
        assertEquals("site 'x': 268435456 channels (shape [268435456], channel axis 0) x 1 thresholds x 1 tile heights need"
                + " 7168 MiB of counters, more than 512 MiB (is the channel axis right?)", e.getMessage());
        // the bound itself: 2^24 channels take 448 MiB, so one worker is allowed and two are not
        assertEquals(448L << 20, TensorScan.counterBytes(1 << 24, cfg));
    }
}
