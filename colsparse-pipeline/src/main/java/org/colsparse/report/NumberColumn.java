package org.colsparse.report;

import java.util.List;
import java.util.Locale;

/**
 * One number format for a whole table column, so digits line up and a value beside its dense
 * value (jerk 10475.15 vs 10475.34) never rounds to the same digits: fixed decimals enough for
 * four significant digits of the column's smallest non-zero value (at most six), or
 * scientific for the whole column when that value is below 1e-4.
 */
record NumberColumn(boolean scientific, int decimals) {
    static NumberColumn of(List<Double> values) {
        double smallest = Double.POSITIVE_INFINITY;
        for (double v : values) {
            if (v != 0 && Double.isFinite(v)) {
                smallest = Math.min(smallest, Math.abs(v));
            }
        }
        if (smallest == Double.POSITIVE_INFINITY || smallest >= 1) {
            return new NumberColumn(false, 2);
        }
        if (smallest < 1e-4) {
            return new NumberColumn(true, 3);
        }
        return new NumberColumn(false, Math.min(6, 3 - (int) Math.floor(Math.log10(smallest))));
    }

    String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return scientific ? String.format(Locale.ROOT, "%." + decimals + "e", v) : Summary.fixed(v, decimals);
    }
}
