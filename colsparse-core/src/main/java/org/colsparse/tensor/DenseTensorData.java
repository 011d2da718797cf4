package org.colsparse.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Elements stored contiguously in C order. The bytes are fetched through a supplier so that a
 * deflated zip entry is inflated only when the tensor is first read.
 */
final class DenseTensorData implements TensorData {
    private final TensorInfo info;
    private final Supplier<ByteSource> bytes;
    private final ByteOrder order;
    private final long count;

    DenseTensorData(TensorInfo info, Supplier<ByteSource> bytes, ByteOrder order) {
        this.info = info;
        this.bytes = bytes;
        this.order = order;
        this.count = info.elementCount();
    }

    @Override
    public TensorInfo info() {
        return info;
    }

    @Override
    public void readFloats(long first, float[] dst, int off, int count) {
        check(first, dst.length, off, count);
        DType t = info.dtype();
        spans(first, count, (s, at, n) -> Elements.toFloats(s, t, dst, off + at, n));
    }

    @Override
    public void readDoubles(long first, double[] dst, int off, int count) {
        check(first, dst.length, off, count);
        DType t = info.dtype();
        spans(first, count, (s, at, n) -> Elements.toDoubles(s, t, dst, off + at, n));
    }

    /** Receives {@code n} whole elements in {@code s} (positioned, in the file's byte order), the {@code at}-th on. */
    private interface Span {
        void accept(ByteBuffer s, int at, int n);
    }

    /** Elements {@code [first, first + count)} as the longest contiguous byte spans the source gives. */
    private void spans(long first, int count, Span sink) {
        int es = info.dtype().bytes();
        ByteSource src = bytes.get();
        long pos = first * es;
        int done = 0;
        while (done < count) {
            ByteBuffer s = span(src, pos, count - done, es);
            int n = s.remaining() / es;
            sink.accept(s.order(order), done, n);
            done += n;
            pos += (long) n * es;
        }
    }

    /** Whole elements from pos on; an element split across two mapped chunks is copied out alone. */
    private static ByteBuffer span(ByteSource src, long pos, int elements, int es) {
        ByteBuffer s = src.span(pos, (long) elements * es);
        int whole = s.remaining() / es;
        if (whole > 0) {
            return s.limit(whole * es);
        }
        return ByteBuffer.wrap(src.bytes(pos, es));
    }

    private void check(long first, int dstLength, int off, int n) {
        Objects.checkFromIndexSize(off, n, dstLength);
        if (first < 0 || first > count - n) {
            throw new IndexOutOfBoundsException("elements [" + first + ", +" + n + ") of " + info.name() + " with " + count);
        }
    }
}
