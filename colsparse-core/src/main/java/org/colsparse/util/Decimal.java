package org.colsparse.util;

import java.util.Arrays;

/**
 * Fixed-point text of a double, the same as {@code String.format(Locale.ROOT, "%.Nf", v)}
 * ({@link #fixed}), and the plain text of one as given ({@link #plain}).
 *
 * <p>{@link #fixed} exists for start-up time only: the first {@code String.format} of a JVM sets up the
 * Formatter and the locale data behind it (about 40 ms), and BigDecimal arithmetic still costs
 * 0.4 ms a number before the JIT has compiled it; a one-shot {@code analyze} formats a few hundred
 * numbers. Like Formatter, it rounds the shortest decimal that reads back as {@code v} (the digits
 * of {@link Double#toString}) half-up, and keeps the sign of negative values that round to zero
 * ("-0.00"). StringBuilder rather than + : each + site costs a few ms of bootstrap on first use.
 */
public final class Decimal {
    private Decimal() {
    }

    /**
     * 0.01, 5, 0.1: {@code v} as given (the digits of {@link Double#toString}), without trailing zeros
     * or an exponent; -0.0 reads "0". Thresholds, clocks and rule bounds are written this way wherever
     * they are printed or fingerprinted, so one value always reads the same.
     *
     * @throws NumberFormatException for NaN and the infinities
     */
    public static String plain(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    public static String fixed(double v, int places) {
        if (places < 0) {
            throw new IllegalArgumentException("places must be >= 0, got " + places);
        }
        if (Double.isNaN(v)) {
            return "NaN";
        }
        boolean negative = Double.compare(v, 0.0) < 0;
        double a = Math.abs(v);
        if (Double.isInfinite(a)) {
            return negative ? "-Infinity" : "Infinity";
        }
        // Double.toString gives "123.456" or "1.234E-5": digits, and where the decimal point goes
        String s = Double.toString(a);
        int e = s.indexOf('E');
        String mantissa = e < 0 ? s : s.substring(0, e);
        int dot = mantissa.indexOf('.');
        String digits = new StringBuilder(mantissa).deleteCharAt(dot).toString();
        int point = dot + (e < 0 ? 0 : Integer.parseInt(s.substring(e + 1)));

        // d[0] is a spare zero for a carry, then the integer digits, then the kept fraction digits
        int intDigits = Math.max(point, 0);
        int lead = Math.max(-point, 0); // zeros between the point and the first digit
        char[] d = new char[1 + intDigits + places];
        Arrays.fill(d, '0');
        for (int i = 0; i < digits.length(); i++) {
            int at = 1 + lead + i;
            if (at < d.length) {
                d[at] = digits.charAt(i);
            } else if (at == d.length && digits.charAt(i) >= '5') {
                // the first digit dropped decides (half-up on the decimal digits)
                int j = d.length - 1;
                while (d[j] == '9') {
                    d[j--] = '0';
                }
                d[j]++;
                break;
            } else {
                break;
            }
        }
        int start = 0;
        while (start < intDigits && d[start] == '0') {
            start++; // leading zeros, keeping one digit before the point
        }
        StringBuilder out = new StringBuilder(d.length + 2);
        if (negative) {
            out.append('-');
        }
        out.append(d, start, 1 + intDigits - start);
        if (places > 0) {
            out.append('.').append(d, 1 + intDigits, places);
        }
        return out.toString();
    }
}
