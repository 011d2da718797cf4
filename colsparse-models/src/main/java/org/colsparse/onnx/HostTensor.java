package org.colsparse.onnx;

import java.util.Arrays;

/**
 * A tensor in Java memory, going into or coming out of ONNX Runtime: float32 or int64 elements in C order.
 * Exactly one of {@code floats} and {@code longs} is non-null.
 */
public record HostTensor(long[] shape, float[] floats, long[] longs) {
    public HostTensor {
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        int have = floats != null ? floats.length : longs.length;
        if ((floats == null) == (longs == null) || n != have) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " with " + have + " elements");
        }
    }

    public static HostTensor ofFloats(long[] shape, float[] data) {
        return new HostTensor(shape, data, null);
    }

    public static HostTensor ofLongs(long[] shape, long[] data) {
        return new HostTensor(shape, null, data);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }
}
