package org.colsparse.layout;

import java.util.BitSet;

/** Channel-major: channel c of all M tokens is contiguous, {@code addr = base + (c*m + r) * w}. */
public record ColumnMajorLayout(long base, int m, int k, int wordBytes) implements ActivationLayout {
    @Override
    public String name() {
        return "column-major";
    }

    @Override
    public long footprintBytes() {
        return (long) m * k * wordBytes;
    }

    @Override
    public void ranges(BitSet rows, BitSet cols, RangeSink sink) {
        for (int c = cols.nextSetBit(0); c >= 0 && c < k; c = cols.nextSetBit(c + 1)) {
            long colBase = base + (long) c * m * wordBytes;
            for (int r = rows.nextSetBit(0); r >= 0 && r < m; ) {
                int end = Math.min(m, rows.nextClearBit(r));
                sink.range(colBase + (long) r * wordBytes, (long) (end - r) * wordBytes);
                r = rows.nextSetBit(end);
            }
        }
    }
}
