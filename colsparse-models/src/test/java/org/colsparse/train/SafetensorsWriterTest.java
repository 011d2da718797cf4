package org.colsparse.train;

import org.colsparse.tensor.DType;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SafetensorsWriterTest {
    @Test
    void writesWhatTheProjectReaderReads(@TempDir Path dir) throws Exception {
        float[] a = {1f, -2.5f, 0.1f, 3f, 0f, 65504f};
        float[] b = {0.25f};
        for (boolean half : new boolean[] {true, false}) {
            Path f = dir.resolve(half ? "h.safetensors" : "f.safetensors");
            new SafetensorsWriter().put("w.weight", a, 2, 3).put("b", b, 1).write(f, half);
            // header length is padded to a multiple of 8, data follows
            assertEquals(0, (Files.size(f) - (half ? 14 : 28)) % 8);
            try (TensorSource src = TensorSources.open(f)) {
                TensorInfo w = src.tensors().stream().filter(t -> t.name().equals("w.weight")).findFirst().orElseThrow();
                assertEquals(half ? DType.F16 : DType.F32, w.dtype());
                assertArrayEquals(new long[] {2, 3}, w.shape());
                float[] got = new float[6];
                src.data("w.weight").readFloats(0, got, 0, 6);
                float[] want = a.clone();
                if (half) {
                    want[2] = 0.0999755859375f; // 0x2e66, the float16 nearest to 0.1
                }
                assertArrayEquals(want, got);
            }
        }
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary files left behind");
        }
    }
}
