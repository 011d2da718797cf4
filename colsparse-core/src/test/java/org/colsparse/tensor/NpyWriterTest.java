package org.colsparse.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.colsparse.tensor.Fixtures.doubles;
import static org.colsparse.tensor.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The writer's output must be byte-identical to what numpy's np.save wrote for the same arrays. */
class NpyWriterTest {
    @TempDir
    Path tmp;

    @Test
    void float32FileIsByteIdenticalToNumpys() throws IOException {
        double[] v = {-0.37409061193466187, -0.25563400983810425, 0.938418447971344, 1.3921113014221191,
            -1.4164371490478516, 0.07248543202877045, 1.8792126178741455, 0.8829987049102783,
            -1.7092552185058594, 1.1123629808425903, -0.6152471899986267, -0.9437167048454285};
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        Path out = tmp.resolve("f.npy");
        NpyWriter.write(out, new long[] {3, 4}, f);
        assertArrayEquals(Files.readAllBytes(fixture("f32_3x4.npy")), Files.readAllBytes(out));
    }

    @Test
    void boolIntAndDoubleFilesMatchNumpy() throws IOException {
        Path b = tmp.resolve("b.npy");
        NpyWriter.write(b, new long[] {2, 3}, new boolean[] {true, false, true, false, false, true});
        assertArrayEquals(Files.readAllBytes(fixture("bool.npy")), Files.readAllBytes(b));

        Path i = tmp.resolve("i.npy");
        NpyWriter.write(i, new long[] {2, 2}, new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE, 0});
        assertArrayEquals(Files.readAllBytes(fixture("i4.npy")), Files.readAllBytes(i));

        Path l = tmp.resolve("l.npy");
        NpyWriter.write(l, new long[] {3}, new long[] {-(1L << 40), 3, 1L << 50});
        assertArrayEquals(Files.readAllBytes(fixture("i8.npy")), Files.readAllBytes(l));

        Path d = tmp.resolve("d.npy");
        NpyWriter.write(d, new long[] {}, new double[] {4.5});
        assertArrayEquals(Files.readAllBytes(fixture("scalar.npy")), Files.readAllBytes(d));
    }

    @Test
    void streamedWritesReadBackAndUncommittedWritesLeaveNothing() throws IOException {
        Path out = tmp.resolve("big.npy");
        int n = 100_003; // several buffer flushes
        try (NpyWriter w = NpyWriter.create(out, DType.F32, new long[] {n})) {
            float[] chunk = new float[1000];
            for (int done = 0; done < n; done += chunk.length) {
                int len = Math.min(chunk.length, n - done);
                for (int k = 0; k < len; k++) {
                    chunk[k] = done + k;
                }
                w.writeFloats(chunk, 0, len);
            }
            w.commit();
        }
        try (TensorSource s = TensorSources.open(out)) {
            double[] back = doubles(s, "big");
            for (int k = 0; k < n; k++) {
                assertEquals(k, back[k], 0.0);
            }
        }

        Path partial = tmp.resolve("partial.npy");
        try (NpyWriter w = NpyWriter.create(partial, DType.BOOL, new long[] {4})) {
            w.writeBooleans(new boolean[] {true}, 0, 1);
            assertThrows(IllegalStateException.class, w::commit);
        }
        try (var files = Files.list(tmp)) {
            assertEquals(1, files.count(), "only big.npy: no partial file, no temp file");
        }
    }
}
