package org.colsparse.util;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Fixed-point text of a double, the same as {@code String.format(Locale.ROOT, "%.Nf", v)}.
 *
 * <p>Exists for start-up time only: the first {@code String.format} of a JVM sets up the
 * Formatter and the locale data behind it, about 40 ms, which a one-shot {@code analyze} pays
 * for its taxonomy evidence. Like Formatter, it rounds the shortest decimal that reads back as
 * {@code v} half-up, and keeps the sign of negative values that round to zero ("-0.00").
 */
public final class Decimal {
    private Decimal() {
    }

    public static String fixed(double v, int places) {
        if (places < 0) {
            throw new IllegalArgumentException("places must be >= 0, got " + places);
        }
        if (Double.isNaN(v)) {
            return "NaN";
        }
        String sign = Double.compare(v, 0.0) < 0 ? "-" : "";
        double a = Math.abs(v);
        if (Double.isInfinite(a)) {
            return sign + "Infinity";
        }
        return sign + new BigDecimal(Double.toString(a)).setScale(places, RoundingMode.HALF_UP).toPlainString();
    }
}
