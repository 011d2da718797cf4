package org.colsparse.layout;

import java.util.BitSet;

/**
 * Blocks of {@code tileRows x tileCols} (R x B), each block contiguous and token-major inside
 * (a block row of B channels is {@code B * w} bytes), blocks ordered row tile by row tile, and
 * within a row tile channel block by channel block. Edge blocks are padded to the full size so
 * every block starts at {@code base + (rowTile * ceil(k/B) + colBlock) * R * B * w}. A skipped
 * column saves traffic only where a whole burst of a block row is skipped.
 */
public record TiledLayout(long base, int m, int k, int wordBytes, int tileRows, int tileCols) implements ActivationLayout {
    public TiledLayout {
        if (tileRows <= 0 || tileCols <= 0) {
            throw new IllegalArgumentException("tile must be positive: " + tileRows + "x" + tileCols);
        }
    }

    @Override
    public String name() {
        return "tiled";
    }

    private int colBlocks() {
        return (k + tileCols - 1) / tileCols;
    }

    @Override
    public long footprintBytes() {
        long rowTiles = (m + tileRows - 1) / tileRows;
        return rowTiles * colBlocks() * tileRows * tileCols * wordBytes;
    }

    @Override
    public void ranges(BitSet rows, BitSet cols, RangeSink sink) {
        long blockBytes = (long) tileRows * tileCols * wordBytes;
        int nb = colBlocks();
        for (int r = rows.nextSetBit(0); r >= 0 && r < m; r = rows.nextSetBit(r + 1)) {
            int rt = r / tileRows;
            int inRow = r - rt * tileRows;
            for (int c = cols.nextSetBit(0); c >= 0 && c < k; ) {
                int cb = c / tileCols;
                int end = Math.min(Math.min(k, cols.nextClearBit(c)), (cb + 1) * tileCols);
                long blockBase = base + ((long) rt * nb + cb) * blockBytes;
                sink.range(blockBase + ((long) inRow * tileCols + (c - cb * tileCols)) * wordBytes, (long) (end - c) * wordBytes);
                c = cols.nextSetBit(end);
            }
        }
    }
}
