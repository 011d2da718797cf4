package org.colsparse.tensor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.colsparse.tensor.Fixtures.assertRejected;
import static org.colsparse.tensor.Fixtures.doubles;
import static org.colsparse.tensor.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** mixed.safetensors was assembled by make_fixtures.py (struct + json over numpy bytes); values printed by numpy. */
class SafetensorsReaderTest {
    @TempDir
    Path tmp;

    @Test
    void everyDtypeReadsItsValuesAndMetadataIsSkipped() {
        try (TensorSource s = TensorSources.open(fixture("mixed.safetensors"))) {
            assertEquals(List.of("w", "h", "bf", "d", "i8", "u8", "i16", "i32", "i64", "m", "empty"),
                    s.tensors().stream().map(TensorInfo::name).toList());
            assertEquals(new TensorInfo("w", DType.F32, new long[] {3, 4}), s.tensors().get(0));
            assertEquals(new TensorInfo("bf", DType.BF16, new long[] {4}), s.tensors().get(2));
            assertEquals(new TensorInfo("i32", DType.I32, new long[] {2, 2}), s.tensors().get(7));
            assertArrayEquals(new double[] {0.14962400496006012, 1.3008683919906616, -1.3211774826049805,
                -1.1573512554168701}, Arrays.copyOf(doubles(s, "w"), 4), 0.0);
            assertEquals(1.4842805042862892, Tensors.sum(s.data("w")), 0.0);
            assertArrayEquals(new double[] {0.5, -2.0, 65504.0, 5.960464477539063e-08, 0.333251953125}, doubles(s, "h"), 0.0);
            assertArrayEquals(new double[] {1.5, -2.0, 0.15625, 1.2676506002282294e+30}, doubles(s, "bf"), 0.0);
            assertArrayEquals(new double[] {0.1, -7.25}, doubles(s, "d"), 0.0);
            assertArrayEquals(new double[] {-128, 127}, doubles(s, "i8"), 0.0);
            assertArrayEquals(new double[] {0, 255, 3}, doubles(s, "u8"), 0.0);
            assertArrayEquals(new double[] {-300, 300}, doubles(s, "i16"), 0.0);
            assertArrayEquals(new double[] {1, -2, 3, -4}, doubles(s, "i32"), 0.0);
            assertArrayEquals(new double[] {1099511627776.0, -1, 0}, doubles(s, "i64"), 0.0);
            assertArrayEquals(new double[] {1, 0, 1, 1}, doubles(s, "m"), 0.0);
            assertEquals(0, s.data("empty").info().elementCount());
        }
    }

    @Test
    void corruptHeadersAreRejected() throws IOException {
        byte[] good = Files.readAllBytes(fixture("mixed.safetensors"));
        assertRejected(write("cut.safetensors", Arrays.copyOf(good, good.length - 3)), "beyond the");
        assertRejected(write("tiny.safetensors", Arrays.copyOf(good, 5)), "not a .safetensors file");
        byte[] huge = good.clone();
        huge[3] = 1; // header length far beyond the file
        assertRejected(write("len.safetensors", huge), "truncated: header needs");
        assertRejected(edited("shape.safetensors", h -> ((ObjectNode) h.get("w")).putArray("shape").add(3).add(5)),
                "bytes for shape [3, 5] of F32 which needs 60");
        assertRejected(edited("overlap.safetensors", h -> ((ObjectNode) h.get("d")).putArray("data_offsets").add(0).add(16)),
                "overlap");
        assertRejected(edited("dtype.safetensors", h -> ((ObjectNode) h.get("u8")).put("dtype", "U16")), "unsupported dtype U16");
        assertRejected(edited("beyond.safetensors", h -> ((ObjectNode) h.get("empty")).putArray("data_offsets").add(4000).add(4000)),
                "beyond the");
        assertRejected(edited("missing.safetensors", h -> ((ObjectNode) h.get("m")).remove("shape")), "needs dtype, shape");
        byte[] json = good.clone();
        json[8] = '[';
        assertRejected(write("json.safetensors", json), "malformed .safetensors JSON header");
    }

    /** Rewrites the fixture's JSON header and keeps its data bytes. */
    private Path edited(String name, Consumer<ObjectNode> edit) throws IOException {
        byte[] good = Files.readAllBytes(fixture("mixed.safetensors"));
        int n = (int) ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ObjectMapper m = new ObjectMapper();
        ObjectNode h = (ObjectNode) m.readTree(new String(good, 8, n, StandardCharsets.UTF_8));
        edit.accept(h);
        byte[] hj = m.writeValueAsBytes(h);
        ByteBuffer out = ByteBuffer.allocate(8 + hj.length + good.length - 8 - n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(hj.length).put(hj).put(good, 8 + n, good.length - 8 - n);
        return write(name, out.array());
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }
}
