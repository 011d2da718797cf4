package org.colsparse.layout;

import java.util.BitSet;

/**
 * Column-compacted: each row tile of {@code tileRows} tokens is one contiguous record holding a
 * bitmap of its K channels ({@code ceil(k/8)} bytes, padded to {@link #ALIGN}) followed by only its
 * non-zero columns, each column's tokens contiguous (column-major inside the tile), in channel
 * order. Records start at {@link #ALIGN}-byte boundaries. A reader always fetches the bitmap of a
 * tile it touches (it needs it to find the columns); zero columns cost nothing more.
 */
public final class CompactedLayout implements ActivationLayout {
    /** Record and bitmap alignment in bytes (one GDDR6 32-byte access). */
    public static final int ALIGN = 32;

    private final long base;
    private final int m;
    private final int k;
    private final int wordBytes;
    private final int tileRows;
    private final BitSet[] stored;
    private final long[] tileOffset;
    private final long bitmapBytes;

    /**
     * @param storedColumns per row tile, the channels stored (its non-zero columns); null stores all
     *                      K columns of every tile (a dense tensor in this layout)
     */
    public CompactedLayout(long base, int m, int k, int wordBytes, int tileRows, BitSet[] storedColumns) {
        this.base = base;
        this.m = m;
        this.k = k;
        this.wordBytes = wordBytes;
        this.tileRows = tileRows;
        int tiles = (m + tileRows - 1) / tileRows;
        if (storedColumns != null && storedColumns.length != tiles) {
            throw new IllegalArgumentException("need " + tiles + " column sets, got " + storedColumns.length);
        }
        this.stored = new BitSet[tiles];
        this.tileOffset = new long[tiles + 1];
        this.bitmapBytes = align((k + 7) / 8);
        for (int t = 0; t < tiles; t++) {
            BitSet s = new BitSet(k);
            if (storedColumns == null) {
                s.set(0, k);
            } else {
                s.or(storedColumns[t]);
                s.clear(k, Math.max(k, s.length()));
            }
            stored[t] = s;
            long rowsHere = Math.min(m, (t + 1) * tileRows) - (long) t * tileRows;
            tileOffset[t + 1] = tileOffset[t] + align(bitmapBytes + s.cardinality() * rowsHere * wordBytes);
        }
    }

    private static long align(long bytes) {
        return (bytes + ALIGN - 1) / ALIGN * ALIGN;
    }

    @Override
    public String name() {
        return "compacted";
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long footprintBytes() {
        return tileOffset[stored.length];
    }

    /** Byte offset of row tile {@code t}'s record from {@link #base()}. */
    public long tileOffset(int t) {
        return tileOffset[t];
    }

    public long bitmapBytes() {
        return bitmapBytes;
    }

    @Override
    public void ranges(BitSet rows, BitSet cols, RangeSink sink) {
        int first = rows.nextSetBit(0);
        if (first < 0 || first >= m) {
            return;
        }
        for (int t = first / tileRows; t < stored.length; t++) {
            int r0 = t * tileRows;
            int r1 = Math.min(m, r0 + tileRows);
            int r = rows.nextSetBit(r0);
            if (r < 0) {
                break;
            }
            if (r >= r1) {
                continue;
            }
            long rec = base + tileOffset[t];
            sink.range(rec, (k + 7) / 8);
            int rowsHere = r1 - r0;
            BitSet s = stored[t];
            int rank = 0;
            int sc = s.nextSetBit(0);
            for (int c = cols.nextSetBit(0); c >= 0 && c < k; c = cols.nextSetBit(c + 1)) {
                while (sc >= 0 && sc < c) {
                    rank++;
                    sc = s.nextSetBit(sc + 1);
                }
                if (sc != c) {
                    continue; // a zero column: the bitmap says so, no data to fetch
                }
                long colBase = rec + bitmapBytes + (long) rank * rowsHere * wordBytes;
                for (int rr = r; rr >= 0 && rr < r1; ) {
                    int end = Math.min(r1, rows.nextClearBit(rr));
                    sink.range(colBase + (long) (rr - r0) * wordBytes, (long) (end - rr) * wordBytes);
                    rr = rows.nextSetBit(end);
                }
            }
        }
    }
}
