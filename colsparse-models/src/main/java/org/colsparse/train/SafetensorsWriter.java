package org.colsparse.train;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes named float tensors as a {@code .safetensors} file (F32 or F16), atomically: a temporary
 * file next to the target replaces it only once complete, so an interrupted save never leaves a
 * truncated checkpoint where {@code --resume} or {@code profile} would read it.
 */
public final class SafetensorsWriter {
    private record Entry(float[] data, long[] shape) {
    }

    private final Map<String, Entry> tensors = new LinkedHashMap<>();

    public SafetensorsWriter put(String name, float[] data, long... shape) {
        if (Arrays.stream(shape).reduce(1, (a, b) -> a * b) != data.length) {
            throw new IllegalArgumentException(name + ": " + data.length + " values for shape " + Arrays.toString(shape));
        }
        if (tensors.putIfAbsent(name, new Entry(data.clone(), shape.clone())) != null) {
            throw new IllegalArgumentException("tensor written twice: " + name);
        }
        return this;
    }

    /** @param half store F16 (shipped weights) instead of F32 (training state) */
    public void write(Path file, boolean half) {
        int width = half ? 2 : 4;
        StringBuilder json = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            long end = offset + (long) e.getValue().data.length * width;
            if (json.length() > 1) {
                json.append(',');
            }
            json.append('"').append(e.getKey()).append("\":{\"dtype\":\"").append(half ? "F16" : "F32")
                    .append("\",\"shape\":[").append(Arrays.stream(e.getValue().shape).mapToObj(Long::toString).collect(Collectors.joining(",")))
                    .append("],\"data_offsets\":[").append(offset).append(',').append(end).append("]}");
            offset = end;
        }
        json.append('}');
        // the format asks for the header padded with spaces to a multiple of 8 bytes
        while (json.toString().getBytes(StandardCharsets.UTF_8).length % 8 != 0) {
            json.append(' ');
        }
        byte[] header = json.toString().getBytes(StandardCharsets.UTF_8);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
                out.write(len.array());
                out.write(header);
                for (Entry e : tensors.values()) {
                    ByteBuffer b = ByteBuffer.allocate(e.data.length * width).order(ByteOrder.LITTLE_ENDIAN);
                    for (float v : e.data) {
                        if (half) {
                            b.putShort(Half.fromFloat(v));
                        } else {
                            b.putFloat(v);
                        }
                    }
                    out.write(b.array());
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
