package org.colsparse.layout;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.BitSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Small layouts checked by hand: A is 4 x 40 of 2-byte words, 32-byte bursts (16 words). */
class LayoutTest {
    private static final int M = 4;
    private static final int K = 40;
    private static final int W = 2;

    private static BitSet set(int... bits) {
        BitSet b = new BitSet();
        for (int i : bits) {
            b.set(i);
        }
        return b;
    }

    private static BitSet range(int from, int to) {
        BitSet b = new BitSet();
        b.set(from, to);
        return b;
    }

    private static String bursts(ActivationLayout l, BitSet rows, BitSet cols) {
        return Arrays.toString(Bursts.of(l, rows, cols, 32));
    }

    @Test
    void rowMajor() {
        ActivationLayout l = new RowMajorLayout(0, M, K, W);
        // rows 0-1, all channels: bytes 0..159
        assertEquals("[0, 32, 64, 96, 128]", bursts(l, range(0, 2), range(0, K)));
        // channels 0-15: row 0 = bytes 0..31, row 1 = bytes 80..111
        assertEquals("[0, 64, 96]", bursts(l, range(0, 2), range(0, 16)));
        // skipping channels 1..39 of row 0 still needs its first burst: no saving inside a burst
        assertEquals("[0]", bursts(l, set(0), set(0)));
    }

    @Test
    void columnMajor() {
        ActivationLayout l = new ColumnMajorLayout(0, M, K, W);
        // a column of 4 tokens is 8 bytes: channels 0..3 share burst 0
        assertEquals("[0]", bursts(l, range(0, 4), range(0, 4)));
        // channel 5 is bytes 40..47
        assertEquals("[0, 32]", bursts(l, range(0, 4), set(0, 5)));
        assertEquals("[288]", bursts(l, range(0, 4), set(36)));
    }

    @Test
    void tiled() {
        // R=2 x B=16 blocks of 64 bytes; 3 channel blocks per row tile (the last padded)
        ActivationLayout l = new TiledLayout(0, M, K, W, 2, 16);
        assertEquals(2 * 3 * 64, l.footprintBytes());
        assertEquals("[0, 32, 64, 96, 128, 160]", bursts(l, range(0, 2), range(0, K)));
        // channel 17 of rows 0,1: block (0,1) at 64, rows at 66 and 98
        assertEquals("[64, 96]", bursts(l, range(0, 2), set(17)));
        // row tile 1 starts at block 3 = byte 192
        assertEquals("[192]", bursts(l, set(2), set(0)));
    }

    @Test
    void compactedStoresOnlyNonZeroColumnsPlusBitmap() {
        // tile 0 keeps channels 3 and 7, tile 1 none
        CompactedLayout l = new CompactedLayout(0, M, K, W, 2, new BitSet[] {set(3, 7), new BitSet()});
        // tile 0: 32-byte bitmap + 2 columns x 2 rows x 2 bytes = 40 -> 64; tile 1: bitmap only
        assertEquals(64, l.tileOffset(1));
        assertEquals(96, l.footprintBytes());
        assertEquals("[0, 32]", bursts(l, range(0, 2), range(0, K)));
        // an all-zero tile costs its bitmap only
        assertEquals("[64]", bursts(l, range(2, 4), range(0, K)));
    }

    @Test
    void compactedWithoutMaskStoresEverything() {
        CompactedLayout l = new CompactedLayout(0, M, K, W, 2, null);
        // 32 + 40 x 2 x 2 = 192 bytes per tile
        assertEquals(384, l.footprintBytes());
        assertEquals("[0, 32, 64, 96, 128, 160]", bursts(l, range(0, 2), range(0, K)));
        // channel 16 of tile 1: record 192 + bitmap 32 + 16 columns x 4 bytes = 288
        assertEquals("[192, 288]", bursts(l, range(2, 4), set(16)));
    }

    @Test
    void allZeroAndAllNonZeroMasksOnEveryLayout() {
        BitSet[] none = {new BitSet(), new BitSet()};
        BitSet[] all = {range(0, K), range(0, K)};
        for (LayoutKind kind : LayoutKind.values()) {
            ActivationLayout dense = kind.build(0, M, K, W, 2, 16, null);
            ActivationLayout masked = kind.build(0, M, K, W, 2, 16, all);
            long denseBursts = Bursts.of(dense, range(0, M), range(0, K), 32).length;
            // all columns non-zero: the data bursts are the same, plus one bitmap burst per row tile
            assertEquals(denseBursts + (kind == LayoutKind.COMPACTED ? 0 : 2), Bursts.of(masked, range(0, M), range(0, K), 32).length, kind.cliName());
            // all columns zero: nothing is streamed; only the two tiles' bitmaps are read
            ActivationLayout zero = kind.build(0, M, K, W, 2, 16, none);
            assertEquals(2, Bursts.of(zero, range(0, M), new BitSet(), 32).length, kind.cliName());
        }
    }

    @Test
    void layoutListsRejectEmptyNamesAndDropRepeats() {
        org.junit.jupiter.api.Assertions.assertThrows(org.colsparse.util.InputException.class, () -> LayoutKind.parse(",", "--layout"));
        org.junit.jupiter.api.Assertions.assertThrows(org.colsparse.util.InputException.class, () -> LayoutKind.parse("tiled,", "--layout"));
        assertEquals(java.util.List.of(LayoutKind.TILED, LayoutKind.ROW_MAJOR), LayoutKind.parse("tiled, row-major,tiled", "--layout"));
    }

    /**
     * The refusals list the layouts from the enum: the four of today word for word as they were
     * spelled out by hand, and any layout added after them.
     */
    @Test
    void refusalsNameEveryLayout() {
        var unknown = org.junit.jupiter.api.Assertions.assertThrows(org.colsparse.util.InputException.class, () -> LayoutKind.parse("rowmajor", "--layout"));
        assertTrue(unknown.getMessage().startsWith("--layout: unknown layout 'rowmajor' (expected row-major, column-major, tiled, compacted"), unknown.getMessage());
        assertTrue(unknown.getMessage().endsWith(" or all)"), unknown.getMessage());
        var empty = org.junit.jupiter.api.Assertions.assertThrows(org.colsparse.util.InputException.class, () -> LayoutKind.parse("tiled,", "--layout"));
        assertTrue(empty.getMessage().startsWith("--layout: empty layout name in 'tiled,' (expected row-major, column-major, tiled, compacted"), empty.getMessage());
        assertTrue(empty.getMessage().endsWith(", a comma list of them, or all)"), empty.getMessage());
        for (LayoutKind l : LayoutKind.values()) {
            assertTrue(unknown.getMessage().contains(" " + l.cliName() + ",") || unknown.getMessage().contains(" " + l.cliName() + " or all"), l.cliName());
            assertTrue(empty.getMessage().contains(" " + l.cliName() + ","), l.cliName());
        }
    }
}
