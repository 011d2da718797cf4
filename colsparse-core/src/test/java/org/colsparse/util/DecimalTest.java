package org.colsparse.util;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DecimalTest {
    private static void same(double v, int places) {
        assertEquals(String.format(Locale.ROOT, "%." + places + "f", v), Decimal.fixed(v, places), "v = " + v + ", places " + places);
    }

    @Test
    void handWrittenCases() {
        assertEquals("0.13", Decimal.fixed(0.125, 2));
        assertEquals("0.12", Decimal.fixed(0.1249, 2));
        assertEquals("-0.00", Decimal.fixed(-0.001, 2));
        assertEquals("-0.0", Decimal.fixed(-0.0, 1));
        assertEquals("39.4", Decimal.fixed(39.4, 1));
        assertEquals("5", Decimal.fixed(4.6, 0));
        assertEquals("100000000000000000000.00", Decimal.fixed(1e20, 2));
        assertEquals("0.000010", Decimal.fixed(1e-5, 6));
        assertEquals("NaN", Decimal.fixed(Double.NaN, 2));
        assertEquals("-Infinity", Decimal.fixed(Double.NEGATIVE_INFINITY, 2));
        assertThrows(IllegalArgumentException.class, () -> Decimal.fixed(1, -1));
    }

    @Test
    void agreesWithStringFormat() {
        double[] edges = {0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.005, 0.015, 0.045, 1.005, 0.9999, 99.995, 1e-300, 4.9e-324,
                Double.MAX_VALUE, 123456789.987654321, Double.NaN, Double.POSITIVE_INFINITY};
        for (double v : edges) {
            for (int p = 0; p <= 6; p++) {
                same(v, p);
            }
        }
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            // values like the reports': fractions, percentages, and exact halves at the rounding digit
            double v = switch (i % 4) {
                case 0 -> rnd.nextDouble();
                case 1 -> (rnd.nextDouble() - 0.5) * 200;
                case 2 -> rnd.nextInt(-100_000, 100_000) / 1000.0 + 0.0005;
                default -> Double.longBitsToDouble(rnd.nextLong());
            };
            same(v, rnd.nextInt(0, 7));
        }
    }
}
