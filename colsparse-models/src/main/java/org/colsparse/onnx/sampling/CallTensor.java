package org.colsparse.onnx.sampling;

import java.util.Arrays;

/**
 * One graph input or output of a denoiser call: float32 or int64 elements in C order, exactly one of
 * {@code floats} and {@code longs} non-null. The same value the ONNX runner exchanges with ONNX Runtime.
 */
public record CallTensor(long[] shape, float[] floats, long[] longs) {
    public CallTensor {
        shape = shape.clone();
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if ((floats == null) == (longs == null) || n != (floats != null ? floats.length : longs.length)) {
            throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape) + " with "
                    + (floats != null ? floats.length : longs == null ? 0 : longs.length) + " elements");
        }
    }

    public static CallTensor ofFloats(long[] shape, float[] data) {
        return new CallTensor(shape, data, null);
    }

    public static CallTensor ofLongs(long[] shape, long[] data) {
        return new CallTensor(shape, null, data);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }
}
