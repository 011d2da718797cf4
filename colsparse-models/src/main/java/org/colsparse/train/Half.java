package org.colsparse.train;

/**
 * IEEE 754 binary16 encoding, round to nearest even (Java 17 has no Float.floatToFloat16). Shipped
 * weights are stored as F16 to keep the seven tiny models small.
 */
public final class Half {
    private Half() {
    }

    /** The binary16 bit pattern nearest to {@code f}; a finite value beyond the F16 range is an error. */
    public static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 : 0));
        }
        int e = exp - 127 + 15;
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            // subnormal: the value in units of 2^-24
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = m >> shift;
            int rem = m & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++; // a carry out of the mantissa correctly bumps the exponent
        }
        if ((half & 0x7fff) >= 0x7c00) {
            throw new IllegalArgumentException("value " + f + " is outside the float16 range");
        }
        return (short) (sign | half);
    }

    /** The float a binary16 bit pattern stands for. */
    public static float toFloat(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }
}
