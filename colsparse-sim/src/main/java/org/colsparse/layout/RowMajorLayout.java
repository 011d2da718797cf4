package org.colsparse.layout;

import java.util.BitSet;

/** Token-major: row r's K channels are contiguous, {@code addr = base + (r*k + c) * w}. */
public record RowMajorLayout(long base, int m, int k, int wordBytes) implements ActivationLayout {
    @Override
    public String name() {
        return "row-major";
    }

    @Override
    public long footprintBytes() {
        return (long) m * k * wordBytes;
    }

    @Override
    public void ranges(BitSet rows, BitSet cols, RangeSink sink) {
        for (int r = rows.nextSetBit(0); r >= 0 && r < m; r = rows.nextSetBit(r + 1)) {
            long rowBase = base + (long) r * k * wordBytes;
            for (int c = cols.nextSetBit(0); c >= 0 && c < k; ) {
                int end = Math.min(k, cols.nextClearBit(c));
                sink.range(rowBase + (long) c * wordBytes, (long) (end - c) * wordBytes);
                c = cols.nextSetBit(end);
            }
        }
    }
}
