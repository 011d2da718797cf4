package org.colsparse.sparsity;

import org.colsparse.tensor.DType;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.util.InputException;

import java.util.ArrayList;
import java.util.List;

/**
 * Feeds a stored tensor into a {@link SiteAccumulator} as the M x K matrix of docs/definitions.md, in
 * chunks (the tensor is never copied whole onto the heap), optionally on several threads.
 */
public final class TensorScan {
    /** Elements per chunk read from the tensor: 256 KiB of floats, so the chunk the kernel reads back is still in L2. */
    private static final int CHUNK_ELEMENTS = 1 << 16;
    /** Calls smaller than this are not split across threads: the fork costs more than it saves. */
    private static final long MIN_SPLIT_ELEMENTS = 1L << 22;
    /**
     * Per-channel counters of all workers together. A real site has at most a few tens of
     * thousands of channels (8 MB a worker with the default sweep); a 1-D tensor of 2^28 elements
     * read as one row of 2^28 channels asked for 7 GiB and ran out of heap. Fewer workers are used
     * when they would hold more (the result does not depend on their number); a site whose one
     * worker would is refused.
     */
    static final long MAX_COUNTER_BYTES = 512L << 20;

    private TensorScan() {
    }

    /**
     * How a tensor becomes an M x K site matrix.
     *
     * @param channelAxis the channel axis K (negative counts from the end; -1, the last axis, is
     *                    the default; 1 turns a channel-first conv tensor (B,C,H,W) into (B*H*W, C))
     * @param rowsPerCall rows of M per denoiser call, so tiles restart every that many rows
     *                    (e.g. a dump of many timesteps); 0 means the whole tensor is one call
     */
    public record View(int channelAxis, long rowsPerCall) {
        public static final View DEFAULT = new View(-1, 0);

        public View {
            if (rowsPerCall < 0) {
                throw new IllegalArgumentException("rows per call must be >= 0, got " + rowsPerCall);
            }
        }
    }

    /** True when {@link #scan} can analyze this dtype (floating types only). */
    public static boolean analyzable(DType dtype) {
        return dtype.isFloating();
    }

    /**
     * Scans the whole tensor. {@code threads > 1} splits large calls at rows that are multiples of
     * every tile height (so no tile is cut) and runs calls or parts in parallel; the merge is exact
     * integer addition, so the result does not depend on the thread count.
     */
    public static SiteAccumulator scan(String site, TensorData data, View view, AnalysisConfig config, int threads) {
        return scan(site, data, view, config, threads, MIN_SPLIT_ELEMENTS);
    }

    /** {@link #scan} with the call size from which calls are split (tests split small tensors). */
    static SiteAccumulator scan(String site, TensorData data, View view, AnalysisConfig config, int threads,
                                long minSplitElements) {
        Matrix m = Matrix.of(site, data.info(), view.channelAxis());
        long callRows = view.rowsPerCall() == 0 ? m.rows : view.rowsPerCall();
        if (m.rows > 0 && m.rows % callRows != 0) {
            throw new InputException("site '" + site + "': " + m.rows + " rows (shape " + data.info().shapeString()
                    + ", channel axis " + m.axis + ") are not a multiple of " + callRows + " rows per call");
        }
        if (callRows > Integer.MAX_VALUE) {
            throw new InputException("site '" + site + "': a call of " + callRows
                    + " rows exceeds 2^31-1; give the rows per call");
        }
        long counters = counterBytes(m.channels, config);
        if (counters > MAX_COUNTER_BYTES) {
            throw new InputException("site '" + site + "': " + m.channels + " channels (shape " + data.info().shapeString()
                    + ", channel axis " + m.axis + ") x " + config.thresholds().length + " thresholds x "
                    + config.tileRows().length + " tile heights need " + (counters >> 20) + " MiB of counters, more than "
                    + (MAX_COUNTER_BYTES >> 20) + " MiB (is the channel axis right?)");
        }
        int affordable = (int) Math.min(Integer.MAX_VALUE, MAX_COUNTER_BYTES / counters);
        int usable = Math.max(1, Math.min(threads, affordable));
        List<Unit> units = units(m, callRows, config.tileRows(), usable, minSplitElements);
        boolean f64 = data.info().dtype() == DType.F64;

        int workers = Math.max(1, Math.min(usable, units.size()));
        SiteAccumulator[] accs = new SiteAccumulator[workers];
        // Throwable, not RuntimeException: a worker killed by an Error (out of memory) was merged
        // as if it had finished, and sites were reported with 0 rows
        Throwable[] errors = new Throwable[workers];
        int[] errorUnit = new int[workers];
        for (int w = 0; w < workers; w++) {
            accs[w] = new SiteAccumulator(site, m.channels, config);
        }
        if (workers == 1) {
            for (Unit u : units) {
                run(u, m, data, f64, accs[0]);
            }
        } else {
            Thread[] pool = new Thread[workers];
            for (int w = 0; w < workers; w++) {
                final int id = w;
                pool[w] = new Thread(() -> {
                    for (int i = id; i < units.size(); i += workers) {
                        try {
                            run(units.get(i), m, data, f64, accs[id]);
                        } catch (Throwable e) {
                            errors[id] = e;
                            errorUnit[id] = i;
                            return;
                        }
                    }
                }, "colsparse-scan-" + w);
                pool[w].start();
            }
            for (Thread t : pool) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while scanning site '" + site + "'", e);
                }
            }
            // Each worker stops at its first failing unit, so the earliest failing unit overall
            // is the smallest of those: report the first bad element in the tensor's own order.
            int first = -1;
            for (int w = 0; w < workers; w++) {
                if (errors[w] != null && (first < 0 || errorUnit[w] < errorUnit[first])) {
                    first = w;
                }
            }
            if (first >= 0) {
                Throwable e = errors[first];
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                if (e instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("scanning site '" + site + "' failed", e);
            }
            for (int w = 1; w < workers; w++) {
                accs[0].merge(accs[w]);
            }
        }
        return accs[0];
    }

    /**
     * Bytes of per-channel counters one worker holds: in its kernel (near-zero counts or level
     * histogram, the row, a running maximum per tile level, zero tiles per threshold and height)
     * and in its accumulator (near-zero counts, as longs).
     */
    static long counterBytes(int channels, AnalysisConfig config) {
        long t = config.thresholds().length;
        long h = config.tileRows().length;
        long intsPerChannel = (t + 1) + (h + 1) + t * h + 2 * t;
        return 4L * channels * intsPerChannel;
    }

    /** A run of rows inside one call; {@code firstOfCall} counts the call once. */
    private record Unit(long start, int rows, boolean firstOfCall) {
    }

    private static List<Unit> units(Matrix m, long callRows, int[] heights, int threads, long minSplitElements) {
        long align = 1;
        for (int h : heights) {
            align = align / CallScan.gcd((int) Math.min(align, Integer.MAX_VALUE), h) * h;
            if (align > callRows) {
                break;
            }
        }
        List<Unit> out = new ArrayList<>();
        boolean split = threads > 1 && callRows * m.channels >= minSplitElements && align <= callRows / threads;
        for (long start = 0; start < m.rows; start += callRows) {
            if (!split) {
                out.add(new Unit(start, (int) callRows, true));
                continue;
            }
            long part = callRows / threads / align * align;
            long at = 0;
            for (int p = 0; p < threads; p++) {
                long end = p == threads - 1 ? callRows : at + part;
                out.add(new Unit(start + at, (int) (end - at), p == 0));
                at = end;
            }
        }
        return out;
    }

    private static void run(Unit u, Matrix m, TensorData data, boolean f64, SiteAccumulator acc) {
        acc.beginSegment(f64, u.start, 0);
        int chunkRows = Math.max(1, CHUNK_ELEMENTS / m.channels);
        int n = Math.min(chunkRows, u.rows);
        if (f64) {
            double[] buf = new double[n * m.channels];
            double[] tmp = m.channelLast ? null : new double[buf.length];
            for (long r = 0; r < u.rows; r += n) {
                int take = (int) Math.min(n, u.rows - r);
                m.readDoubles(data, u.start + r, take, buf, tmp);
                acc.segmentRows(buf, 0, take);
            }
        } else {
            float[] buf = new float[n * m.channels];
            float[] tmp = m.channelLast ? null : new float[buf.length];
            for (long r = 0; r < u.rows; r += n) {
                int take = (int) Math.min(n, u.rows - r);
                m.readFloats(data, u.start + r, take, buf, tmp);
                acc.segmentRows(buf, 0, take);
            }
        }
        acc.endSegment(u.firstOfCall);
    }

    /**
     * The M x K view of a C-order tensor with channel axis {@code axis}: element (p, c, s) with
     * p over the axes before it (P values) and s over the axes after it (S values) is row
     * {@code p*S + s}, channel c.
     */
    private record Matrix(int axis, long rows, int channels, long after, boolean channelLast) {
        static Matrix of(String site, TensorInfo info, int channelAxis) {
            if (!info.dtype().isFloating()) {
                throw new InputException("site '" + site + "': dtype " + info.dtype() + " is not floating point");
            }
            int rank = info.rank();
            if (rank == 0) {
                throw new InputException("site '" + site + "': a scalar has no channel axis");
            }
            int a = channelAxis < 0 ? rank + channelAxis : channelAxis;
            if (a < 0 || a >= rank) {
                throw new InputException("site '" + site + "': channel axis " + channelAxis + " is out of range for shape "
                        + info.shapeString());
            }
            long k = info.dim(a);
            if (k < 1 || k > Integer.MAX_VALUE / 2) {
                throw new InputException("site '" + site + "': channel axis " + a + " has " + k + " channels (shape "
                        + info.shapeString() + ")");
            }
            long after = 1;
            for (int i = a + 1; i < rank; i++) {
                after = Math.multiplyExact(after, info.dim(i));
            }
            return new Matrix(a, info.elementCount() / k, (int) k, after, a == rank - 1);
        }

        void readFloats(TensorData data, long row, int n, float[] buf, float[] tmp) {
            if (channelLast) {
                data.readFloats(row * channels, buf, 0, n * channels);
                return;
            }
            transpose(row, n, (first, at, len) -> data.readFloats(first, tmp, at, len), (from, to) -> buf[to] = tmp[from]);
        }

        void readDoubles(TensorData data, long row, int n, double[] buf, double[] tmp) {
            if (channelLast) {
                data.readDoubles(row * channels, buf, 0, n * channels);
                return;
            }
            transpose(row, n, (first, at, len) -> data.readDoubles(first, tmp, at, len), (from, to) -> buf[to] = tmp[from]);
        }

        /** Reads {@code len} consecutive elements of the tensor, from {@code first}, into the scratch at {@code at}. */
        interface Gather {
            void read(long first, int at, int len);
        }

        /** Copies scratch element {@code from} to row-major position {@code to}. */
        interface Place {
            void move(int from, int to);
        }

        /**
         * Rows {@code [row, row + n)} of a channel-first tensor: for each run of rows within one
         * {@code p}, every channel's run is contiguous in the file, so it is read whole and then
         * scattered to its column of the row-major chunk.
         */
        private void transpose(long row, int n, Gather gather, Place place) {
            int done = 0;
            while (done < n) {
                long r = row + done;
                long p = r / after;
                long s = r % after;
                int len = (int) Math.min(n - done, after - s);
                for (int c = 0; c < channels; c++) {
                    gather.read((p * channels + c) * after + s, c * len, len);
                }
                for (int i = 0; i < len; i++) {
                    int dst = (done + i) * channels;
                    for (int c = 0; c < channels; c++) {
                        place.move(c * len + i, dst + c);
                    }
                }
                done += len;
            }
        }
    }
}
