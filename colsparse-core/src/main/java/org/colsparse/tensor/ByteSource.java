package org.colsparse.tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A read-only byte range of a file (memory-mapped) or of a heap buffer. A single mapping is limited
 * to 2 GiB, so a file is mapped as consecutive chunks of {@code 1 << chunkShift} bytes; callers ask
 * for the longest contiguous span at a position and handle an element that straddles two chunks
 * themselves. Views hand out fresh buffers, so concurrent readers never share a position.
 */
final class ByteSource {
    static final int DEFAULT_CHUNK_SHIFT = 30;

    private final ByteBuffer[] chunks;
    private final int chunkShift;
    private final long base;
    private final long length;

    private ByteSource(ByteBuffer[] chunks, int chunkShift, long base, long length) {
        this.chunks = chunks;
        this.chunkShift = chunkShift;
        this.base = base;
        this.length = length;
    }

    /** Maps {@code [0, size)} of the channel read-only. */
    static ByteSource map(FileChannel channel, long size) throws IOException {
        return map(channel, size, DEFAULT_CHUNK_SHIFT);
    }

    /** Small chunk sizes exist only so tests can exercise chunk boundaries without multi-GiB files. */
    static ByteSource map(FileChannel channel, long size, int chunkShift) throws IOException {
        long chunk = 1L << chunkShift;
        int n = (int) ((size + chunk - 1) >>> chunkShift);
        ByteBuffer[] chunks = new ByteBuffer[Math.max(n, 1)];
        if (n == 0) {
            chunks[0] = ByteBuffer.allocate(0);
        }
        for (int i = 0; i < n; i++) {
            long start = (long) i << chunkShift;
            chunks[i] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(chunk, size - start));
        }
        return new ByteSource(chunks, chunkShift, 0, size);
    }

    static ByteSource of(ByteBuffer heap) {
        return new ByteSource(new ByteBuffer[] {heap.slice()}, 31, 0, heap.remaining());
    }

    static ByteSource of(byte[] bytes) {
        return of(ByteBuffer.wrap(bytes));
    }

    long length() {
        return length;
    }

    ByteSource slice(long offset, long len) {
        if (offset < 0 || len < 0 || offset > length - len) { // not offset + len: a hostile offset overflowed it
            throw new IndexOutOfBoundsException("slice [" + offset + ", +" + len + ") of " + length);
        }
        return new ByteSource(chunks, chunkShift, base + offset, len);
    }

    /**
     * The longest contiguous view starting at {@code pos}, at most {@code maxLen} bytes (shorter
     * only at a chunk boundary). Byte order is big-endian as for any new buffer; callers set it.
     */
    ByteBuffer span(long pos, long maxLen) {
        if (pos < 0 || maxLen < 0 || pos > length - maxLen) {
            throw new IndexOutOfBoundsException("span [" + pos + ", +" + maxLen + ") of " + length);
        }
        if (maxLen == 0) {
            return ByteBuffer.allocate(0);
        }
        long abs = base + pos;
        ByteBuffer chunk = chunks[(int) (abs >>> chunkShift)];
        int within = (int) (abs & ((1L << chunkShift) - 1));
        int n = (int) Math.min(maxLen, chunk.limit() - within);
        return chunk.slice(within, n);
    }

    void get(long pos, byte[] dst, int off, int len) {
        int done = 0;
        while (done < len) {
            ByteBuffer s = span(pos + done, len - done);
            int n = s.remaining();
            s.get(dst, off + done, n);
            done += n;
        }
    }

    byte[] bytes(long pos, int len) {
        byte[] b = new byte[len];
        get(pos, b, 0, len);
        return b;
    }
}
