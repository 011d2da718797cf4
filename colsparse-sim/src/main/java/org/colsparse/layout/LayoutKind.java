package org.colsparse.layout;

import org.colsparse.util.InputException;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;

/** The four activation layouts of docs/simulator.md and how to build each for one activation. */
public enum LayoutKind {
    ROW_MAJOR("row-major"), COLUMN_MAJOR("column-major"), TILED("tiled"), COMPACTED("compacted");

    private final String cliName;

    LayoutKind(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** The CLI names in declaration order, "row-major, column-major, ...": a new constant shows up in every message and help text. */
    public static String names() {
        return String.join(", ", new Names());
    }

    /** The CLI names, for picocli's {@code completionCandidates} (its {@code ${COMPLETION-CANDIDATES}} joins them as {@link #names()} does). */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return java.util.Arrays.stream(values()).map(LayoutKind::cliName).iterator();
        }
    }

    /** Parses one name or {@code all}. */
    public static List<LayoutKind> parse(String s, String what) {
        if (s.trim().equalsIgnoreCase("all")) {
            return List.of(values());
        }
        List<LayoutKind> out = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            if (part.isBlank()) {
                throw new InputException(what + ": empty layout name in '" + s + "' (expected " + names() + ", a comma list of them, or all)");
            }
            LayoutKind found = null;
            for (LayoutKind l : values()) {
                if (l.cliName.equalsIgnoreCase(part.trim())) {
                    found = l;
                }
            }
            if (found == null) {
                throw new InputException(what + ": unknown layout '" + part.trim() + "' (expected " + names() + " or all)");
            }
            if (!out.contains(found)) {
                // a repeated name would simulate (and trace) the same layout twice
                out.add(found);
            }
        }
        return out;
    }

    /**
     * Builds this layout for an {@code m x k} activation at {@code base}.
     *
     * @param tileRows      R, the row tile of tiled and compacted layouts (and of the skip bitmap)
     * @param tileCols      B, the channel width of a tiled block
     * @param nonZeroPerTile per R-row tile, its non-zero columns; null when no mask is used. With a
     *                      mask the compacted layout stores only these, the others add a separate
     *                      skip bitmap at {@code base + footprint} (see {@link BitmapReads})
     */
    public ActivationLayout build(long base, int m, int k, int wordBytes, int tileRows, int tileCols, BitSet[] nonZeroPerTile) {
        ActivationLayout l = switch (this) {
            case ROW_MAJOR -> new RowMajorLayout(base, m, k, wordBytes);
            case COLUMN_MAJOR -> new ColumnMajorLayout(base, m, k, wordBytes);
            case TILED -> new TiledLayout(base, m, k, wordBytes, tileRows, tileCols);
            case COMPACTED -> new CompactedLayout(base, m, k, wordBytes, tileRows, nonZeroPerTile);
        };
        if (nonZeroPerTile == null || this == COMPACTED) {
            return l;
        }
        long bitmapBase = (base + l.footprintBytes() + CompactedLayout.ALIGN - 1) / CompactedLayout.ALIGN * CompactedLayout.ALIGN;
        return new BitmapReads(l, m, k, tileRows, bitmapBase);
    }
}
