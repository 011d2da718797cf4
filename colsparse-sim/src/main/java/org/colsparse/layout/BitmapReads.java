package org.colsparse.layout;

import java.util.BitSet;

/**
 * A layout plus a separate skip bitmap: {@code ceil(k/8)} bytes per row tile of {@code tileRows},
 * {@link CompactedLayout#ALIGN}-aligned, stored from {@code bitmapBase}. With column skipping an
 * accelerator must learn which columns are zero before it streams a tile, so every layout but the
 * compacted one (whose records carry the bitmap inline) pays for reading this bitmap.
 */
public record BitmapReads(ActivationLayout inner, int m, int k, int tileRows, long bitmapBase) implements ActivationLayout {
    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public long base() {
        return inner.base();
    }

    private long bitmapStride() {
        return ((k + 7) / 8 + CompactedLayout.ALIGN - 1) / CompactedLayout.ALIGN * CompactedLayout.ALIGN;
    }

    @Override
    public long footprintBytes() {
        return inner.footprintBytes() + (long) ((m + tileRows - 1) / tileRows) * bitmapStride();
    }

    @Override
    public void ranges(BitSet rows, BitSet cols, RangeSink sink) {
        int last = -1;
        for (int r = rows.nextSetBit(0); r >= 0 && r < m; r = rows.nextSetBit(r + 1)) {
            int t = r / tileRows;
            if (t != last) {
                sink.range(bitmapBase + t * bitmapStride(), (k + 7) / 8);
                last = t;
            }
        }
        inner.ranges(rows, cols, sink);
    }
}
