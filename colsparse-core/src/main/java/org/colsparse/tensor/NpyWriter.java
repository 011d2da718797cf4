package org.colsparse.tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a little-endian, C-order {@code .npy} (format 1.0, or 2.0 for headers over 64 KiB)
 * atomically: elements go to a temporary file next to the target, which replaces the target only on
 * {@link #commit()} once every element has been written. A writer closed without commit leaves no
 * file behind, so a crashed run never leaves a plausible-looking partial array.
 *
 * <pre>
 * try (NpyWriter w = NpyWriter.create(path, DType.BOOL, new long[] {m, k})) {
 *     w.writeBooleans(mask, 0, mask.length);
 *     w.commit();
 * }
 * </pre>
 * Element methods must match the dtype: floats for F32, doubles for F64, ints for I32, longs for
 * I64, booleans for BOOL, bytes for I8/U8.
 */
public final class NpyWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannel out;
    private final DType dtype;
    private final long expected;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
    private long written;
    private boolean done;

    private NpyWriter(Path target, Path temp, FileChannel out, DType dtype, long expected) {
        this.target = target;
        this.temp = temp;
        this.out = out;
        this.dtype = dtype;
        this.expected = expected;
    }

    public static NpyWriter create(Path target, DType dtype, long[] shape) {
        String descr = switch (dtype) {
            case F32 -> "<f4";
            case F64 -> "<f8";
            case I8 -> "|i1";
            case U8 -> "|u1";
            case I32 -> "<i4";
            case I64 -> "<i8";
            case BOOL -> "|b1";
            default -> throw new IllegalArgumentException("NpyWriter does not write " + dtype);
        };
        long count = new TensorInfo("", dtype, shape).elementCount();
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + java.util.Arrays.toString(shape));
            }
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (dims.length() > 0 ? dims.substring(0, dims.length() - 2) : "") + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        // numpy pads the header with spaces and a newline so the data starts on a 64-byte boundary
        int prefix = 10;
        int total = (prefix + dict.length() + 1 + 63) / 64 * 64;
        if (total - prefix > 0xffff) {
            prefix = 12;
            total = (prefix + dict.length() + 1 + 63) / 64 * 64;
        }
        String header = dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
        ByteBuffer head = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        head.put(NpyHeader.MAGIC).put((byte) (prefix == 10 ? 1 : 2)).put((byte) 0);
        if (prefix == 10) {
            head.putShort((short) header.length());
        } else {
            head.putInt(header.length());
        }
        head.put(header.getBytes(StandardCharsets.ISO_8859_1)).flip();
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            while (head.hasRemaining()) {
                ch.write(head);
            }
            return new NpyWriter(target, temp, ch, dtype, count);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    public NpyWriter writeFloats(float[] v, int off, int len) {
        require(DType.F32, len);
        for (int i = 0; i < len; i++) {
            room(4).putFloat(v[off + i]);
        }
        return this;
    }

    public NpyWriter writeDoubles(double[] v, int off, int len) {
        require(DType.F64, len);
        for (int i = 0; i < len; i++) {
            room(8).putDouble(v[off + i]);
        }
        return this;
    }

    public NpyWriter writeInts(int[] v, int off, int len) {
        require(DType.I32, len);
        for (int i = 0; i < len; i++) {
            room(4).putInt(v[off + i]);
        }
        return this;
    }

    public NpyWriter writeLongs(long[] v, int off, int len) {
        require(DType.I64, len);
        for (int i = 0; i < len; i++) {
            room(8).putLong(v[off + i]);
        }
        return this;
    }

    public NpyWriter writeBooleans(boolean[] v, int off, int len) {
        require(DType.BOOL, len);
        for (int i = 0; i < len; i++) {
            room(1).put(v[off + i] ? (byte) 1 : 0);
        }
        return this;
    }

    public NpyWriter writeBytes(byte[] v, int off, int len) {
        if (dtype != DType.I8 && dtype != DType.U8) {
            throw new IllegalStateException("bytes written to a " + dtype + " array");
        }
        require(dtype, len);
        for (int i = 0; i < len; i++) {
            room(1).put(v[off + i]);
        }
        return this;
    }

    /** Moves the finished file into place (atomically where the file system can). */
    public void commit() {
        if (written != expected) {
            throw new IllegalStateException(target + ": " + written + " of " + expected + " elements written");
        }
        try {
            flush();
            out.force(false);
            out.close();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    @Override
    public void close() {
        if (!done) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the temporary file is removed below either way
            }
            deleteQuietly(temp);
            done = true;
        }
    }

    public static void write(Path target, long[] shape, float[] data) {
        try (NpyWriter w = create(target, DType.F32, shape)) {
            w.writeFloats(data, 0, data.length).commit();
        }
    }

    public static void write(Path target, long[] shape, double[] data) {
        try (NpyWriter w = create(target, DType.F64, shape)) {
            w.writeDoubles(data, 0, data.length).commit();
        }
    }

    public static void write(Path target, long[] shape, int[] data) {
        try (NpyWriter w = create(target, DType.I32, shape)) {
            w.writeInts(data, 0, data.length).commit();
        }
    }

    public static void write(Path target, long[] shape, long[] data) {
        try (NpyWriter w = create(target, DType.I64, shape)) {
            w.writeLongs(data, 0, data.length).commit();
        }
    }

    public static void write(Path target, long[] shape, boolean[] data) {
        try (NpyWriter w = create(target, DType.BOOL, shape)) {
            w.writeBooleans(data, 0, data.length).commit();
        }
    }

    private void require(DType t, int len) {
        if (done) {
            throw new IllegalStateException(target + ": writer already committed or closed");
        }
        if (dtype != t) {
            throw new IllegalStateException(t + " elements written to a " + dtype + " array");
        }
        if (len < 0 || written + len > expected) {
            throw new IllegalStateException(target + ": more than " + expected + " elements written");
        }
        written += len;
    }

    private ByteBuffer room(int n) {
        if (buf.remaining() < n) {
            flush();
        }
        return buf;
    }

    private void flush() {
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
        buf.clear();
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // best effort: a stray temp file is harmless, it never has the target's name
            }
        }
    }
}
