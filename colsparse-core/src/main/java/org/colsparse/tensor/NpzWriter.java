package org.colsparse.tensor;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a small {@code .npz} (a zip of {@code .npy} entries, deflated, as {@code numpy.savez_compressed}
 * does) of uint8, int64 and float32 arrays, atomically: into a temporary file beside the target, renamed once
 * complete. Arrays are held in memory until {@link #write(Path)}; meant for results of a few MB.
 */
public final class NpzWriter {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    /** A C-order uint8 array. */
    public NpzWriter addU8(String name, long[] shape, byte[] data) {
        check(name, shape, data.length);
        return put(name, "|u1", shape, data);
    }

    /** A C-order int64 array. */
    public NpzWriter addI64(String name, long[] shape, long[] data) {
        check(name, shape, data.length);
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : data) {
            b.putLong(v);
        }
        return put(name, "<i8", shape, b.array());
    }

    /** A C-order float32 array, every bit kept (NaN payloads included). */
    public NpzWriter addF32(String name, long[] shape, float[] data) {
        check(name, shape, data.length);
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : data) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        return put(name, "<f4", shape, b.array());
    }

    private static void check(String name, long[] shape, int elements) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != elements) {
            throw new IllegalArgumentException(name + ": shape holds " + n + " elements, data " + elements);
        }
    }

    private NpzWriter put(String name, String descr, long[] shape, byte[] data) {
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("duplicate array name " + name);
        }
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + (dims.length() > 0 ? dims.substring(0, dims.length() - 2) : "") + ")";
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple + ", }";
        int total = 10 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        byte[] h = (header + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) h.length);
        b.put(h).put(data);
        entries.put(name, b.array());
        return this;
    }

    /** Writes every array to {@code target}; nothing appears there unless all of it was written. */
    public void write(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = dir.resolve("." + target.getFileName() + ".tmp");
        try {
            Files.createDirectories(dir);
            try (OutputStream os = Files.newOutputStream(temp); ZipOutputStream zip = new ZipOutputStream(os)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    ZipEntry z = new ZipEntry(e.getKey() + ".npy");
                    z.setTime(0);
                    zip.putNextEntry(z);
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the original failure is the one to report
            }
            throw new UncheckedIOException(e);
        }
    }
}
