package org.colsparse.tensor;

import java.util.Objects;

/**
 * A tensor viewing a flat storage through a storage offset and per-axis strides (in elements):
 * PyTorch's non-contiguous tensors and Fortran-order .npy files. Reads come out in logical C order;
 * the longest trailing run of axes that is contiguous in storage is copied in one piece.
 */
final class StridedTensorData implements TensorData {
    private final TensorInfo info;
    private final TensorData storage;
    private final long offset;
    private final long[] shape;
    private final long[] strides;
    private final long count;
    /** Elements per contiguous run and the number of leading axes that are walked one run at a time. */
    private final long run;
    private final int outerAxes;

    StridedTensorData(TensorInfo info, TensorData storage, long offset, long[] strides) {
        this.info = info;
        this.storage = storage;
        this.offset = offset;
        this.shape = info.shape();
        this.strides = strides.clone();
        this.count = info.elementCount();
        long r = 1;
        int axis = shape.length;
        while (axis > 0 && (strides[axis - 1] == r || shape[axis - 1] == 1)) {
            axis--;
            r *= shape[axis];
        }
        this.run = r;
        this.outerAxes = axis;
    }

    /** Whether a view with these strides is plain C order (then no strided reader is needed). */
    static boolean isCContiguous(long[] shape, long[] strides) {
        long expect = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expect) {
                return false;
            }
            expect *= shape[d];
        }
        return true;
    }

    @Override
    public TensorInfo info() {
        return info;
    }

    @Override
    public void readFloats(long first, float[] dst, int off, int n) {
        walk(first, dst.length, off, n, (phys, at, len) -> storage.readFloats(phys, dst, at, len));
    }

    @Override
    public void readDoubles(long first, double[] dst, int off, int n) {
        walk(first, dst.length, off, n, (phys, at, len) -> storage.readDoubles(phys, dst, at, len));
    }

    private interface Copy {
        void copy(long physical, int dstOffset, int len);
    }

    private void walk(long first, int dstLength, int off, int n, Copy copy) {
        Objects.checkFromIndexSize(off, n, dstLength);
        if (first < 0 || first > count - n) {
            throw new IndexOutOfBoundsException("elements [" + first + ", +" + n + ") of " + info.name() + " with " + count);
        }
        if (n == 0) {
            return;
        }
        // multi-index of the run holding `first`, over the outer axes
        long[] idx = new long[outerAxes];
        long runIndex = first / run;
        long within = first % run;
        for (int d = outerAxes - 1; d >= 0; d--) {
            idx[d] = runIndex % shape[d];
            runIndex /= shape[d];
        }
        int done = 0;
        while (done < n) {
            long base = offset;
            for (int d = 0; d < outerAxes; d++) {
                base += idx[d] * strides[d];
            }
            int len = (int) Math.min(run - within, n - done);
            copy.copy(base + within, off + done, len);
            done += len;
            within = 0;
            for (int d = outerAxes - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
    }
}
