package org.colsparse.systolic;

import org.colsparse.util.InputException;

/** An R x C systolic array: {@code rows} PE rows (SCALE-Sim's ArrayHeight) and {@code cols} PE columns (ArrayWidth). */
public record ArrayShape(int rows, int cols) {
    public ArrayShape {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("array dimensions must be positive: " + rows + "x" + cols);
        }
    }

    /** Parses {@code RxC}, e.g. {@code 128x128}. */
    public static ArrayShape parse(String s, String what) {
        String[] p = s.trim().toLowerCase(java.util.Locale.ROOT).split("x", -1);
        if (p.length == 2) {
            try {
                int r = Integer.parseInt(p[0].trim());
                int c = Integer.parseInt(p[1].trim());
                if (r > 0 && c > 0) {
                    return new ArrayShape(r, c);
                }
            } catch (NumberFormatException ignored) {
                // fall through to the one error message below
            }
        }
        throw new InputException(what + ": array must be ROWSxCOLS with positive integers, got '" + org.colsparse.util.Printable.excerpt(s) + "'");
    }

    @Override
    public String toString() {
        return rows + "x" + cols;
    }
}
