package org.colsparse.tensor;

import java.nio.ByteBuffer;

/**
 * Decodes raw elements of every {@link DType} from a buffer whose byte order is already set. The
 * half and bfloat16 decoders are public so that other readers of those formats (an ONNX constant)
 * agree with the tensor readers, inf and NaN included.
 */
public final class Elements {
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
                    dst[off + i] = bfloat16ToFloat(b.getShort(p + 2 * i));
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
                // bulk copy then widen: several times faster than one getFloat per element
                java.nio.FloatBuffer fb = b.asFloatBuffer();
                float[] tmp = new float[Math.min(n, 8192)];
                for (int done = 0; done < n; ) {
                    int k = Math.min(tmp.length, n - done);
                    fb.get(tmp, 0, k);
                    for (int i = 0; i < k; i++) {
                        dst[off + done + i] = tmp[i];
                    }
                    done += k;
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = halfToFloat(b.getShort(p + 2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = bfloat16ToFloat(b.getShort(p + 2 * i));
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
    public static float halfToFloat(short h) {
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

    /** bfloat16 to float, exact: the top half of a binary32. */
    public static float bfloat16ToFloat(short h) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }
}
