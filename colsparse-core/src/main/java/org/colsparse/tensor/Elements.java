package org.colsparse.tensor;

import java.nio.ByteBuffer;

/** Decodes raw elements of every {@link DType} from a buffer whose byte order is already set. */
final class Elements {
    private Elements() {
    }

    /** Decodes {@code n} elements from the buffer's position on. F32 is one bulk copy. */
    static void toFloats(ByteBuffer b, DType t, float[] dst, int off, int n) {
        int p = b.position();
        switch (t) {
            case F32 -> b.asFloatBuffer().get(dst, off, n);
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = (float) b.getDouble(p + 8 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = halfToFloat(b.getShort(p + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = Float.intBitsToFloat((b.getShort(p + 2 * i) & 0xffff) << 16);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = (float) integer(b, t, p + t.bytes() * i);
                }
            }
        }
    }

    static void toDoubles(ByteBuffer b, DType t, double[] dst, int off, int n) {
        int p = b.position();
        switch (t) {
            case F64 -> b.asDoubleBuffer().get(dst, off, n);
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = b.getFloat(p + 4 * i);
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = halfToFloat(b.getShort(p + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = Float.intBitsToFloat((b.getShort(p + 2 * i) & 0xffff) << 16);
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = integer(b, t, p + t.bytes() * i);
                }
            }
        }
    }

    private static long integer(ByteBuffer b, DType t, int at) {
        return switch (t) {
            case I8 -> b.get(at);
            case U8 -> b.get(at) & 0xff;
            // numpy and torch store bool as one byte 0/1; any other byte is still "true"
            case BOOL -> b.get(at) != 0 ? 1 : 0;
            case I16 -> b.getShort(at);
            case I32 -> b.getInt(at);
            case I64 -> b.getLong(at);
            default -> throw new IllegalArgumentException(t + " is not an integer type");
        };
    }

    /** IEEE 754 binary16 to float, exact (Float.float16ToFloat arrives only in Java 20). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // subnormal (or zero): mant * 2^-24, exact in float
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }
}
