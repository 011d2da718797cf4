package org.colsparse.train;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HalfTest {
    // bit patterns from the IEEE 754 binary16 definition (and Wikipedia's half-precision examples)
    @Test
    void encodesKnownValues() {
        assertEquals(0x3c00, Half.fromFloat(1f) & 0xffff);
        assertEquals(0xc000, Half.fromFloat(-2f) & 0xffff);
        assertEquals(0x7bff, Half.fromFloat(65504f) & 0xffff);
        assertEquals(0x3555, Half.fromFloat(1f / 3) & 0xffff);
        assertEquals(0x2e66, Half.fromFloat(0.1f) & 0xffff);
        assertEquals(0x0001, Half.fromFloat(0x1p-24f) & 0xffff);
        assertEquals(0x0400, Half.fromFloat(0x1p-14f) & 0xffff);
        assertEquals(0x0000, Half.fromFloat(0x1p-26f) & 0xffff);
        assertEquals(0x8000, Half.fromFloat(-0f) & 0xffff);
    }

    @Test
    void roundsHalfwayToEven() {
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1)
        assertEquals(0x3c00, Half.fromFloat(1f + 0x1p-11f) & 0xffff);
        // 1 + 3 * 2^-11 lies halfway between 1 + 2^-10 and 1 + 2^-9: ties go to 1 + 2^-9
        assertEquals(0x3c02, Half.fromFloat(1f + 3 * 0x1p-11f) & 0xffff);
    }

    @Test
    void roundTripsEveryFiniteHalf() {
        for (int h = 0; h < 0x10000; h++) {
            if ((h & 0x7c00) == 0x7c00) {
                continue;
            }
            assertEquals(h, Half.fromFloat(Half.toFloat((short) h)) & 0xffff, "pattern " + Integer.toHexString(h));
        }
    }

    @Test
    void rejectsValuesBeyondTheRange() {
        assertThrows(IllegalArgumentException.class, () -> Half.fromFloat(70000f));
    }
}
