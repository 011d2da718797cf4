package org.colsparse.tensor;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.colsparse.tensor.Fixtures.assertRejected;
import static org.colsparse.tensor.Fixtures.doubles;
import static org.colsparse.tensor.Fixtures.fixture;
import static org.colsparse.tensor.Fixtures.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * .npy fixtures were written by numpy 2.4 (make_fixtures.py); every expected value below is what that
 * script printed from numpy (element values and np.cumsum of float64 for sums), not this reader's output.
 */
class NpyReaderTest {
    @TempDir
    Path tmp;

    @Test
    void float32IsReadInCOrderAsFloatsAndDoubles() {
        try (TensorSource s = TensorSources.open(fixture("f32_3x4.npy"))) {
            assertEquals(List.of(new TensorInfo("f32_3x4", DType.F32, new long[] {3, 4})), s.tensors());
            double[] expect = {-0.37409061193466187, -0.25563400983810425, 0.938418447971344, 1.3921113014221191,
                -1.4164371490478516, 0.07248543202877045, 1.8792126178741455, 0.8829987049102783,
                -1.7092552185058594, 1.1123629808425903, -0.6152471899986267, -0.9437167048454285};
            assertArrayEquals(expect, doubles(s, "f32_3x4"), 0.0);
            float[] f = floats(s, "f32_3x4");
            for (int i = 0; i < expect.length; i++) {
                assertEquals((float) expect[i], f[i], 0.0f);
            }
            assertEquals(0.9632086008787155, Tensors.sum(s.data("f32_3x4")), 0.0);
            // a partial read in the middle lands on the right elements
            float[] part = new float[5];
            s.data("f32_3x4").readFloats(6, part, 2, 3);
            assertArrayEquals(new float[] {0, 0, (float) expect[6], (float) expect[7], (float) expect[8]}, part, 0.0f);
        }
    }

    @Test
    void halfAndDoublePrecision() {
        try (TensorSource s = TensorSources.open(fixture("f16_5.npy"))) {
            assertEquals(DType.F16, s.tensors().get(0).dtype());
            assertArrayEquals(new double[] {0.5, -2.0, 65504.0, 5.960464477539063e-08, 0.333251953125},
                    doubles(s, "f16_5"), 0.0);
        }
        try (TensorSource s = TensorSources.open(fixture("f64_2x3.npy"))) {
            assertArrayEquals(new double[] {0.39784100713651827, 0.08547611248899734, -0.3393696999770232,
                1.401149573191705, 0.6586012937854554, -0.21141355774298787}, doubles(s, "f64_2x3"), 0.0);
            assertEquals(1.9922847288826648, Tensors.sum(s.data("f64_2x3")), 0.0);
        }
    }

    @Test
    void bigEndianArrays() {
        try (TensorSource s = TensorSources.open(fixture("be_f4_2.npy"))) {
            assertArrayEquals(new float[] {1.5f, -3.25f}, floats(s, "be_f4_2"), 0.0f);
        }
        try (TensorSource s = TensorSources.open(fixture("be_f8_3.npy"))) {
            assertArrayEquals(new double[] {0.1, -1e300, 2.5}, doubles(s, "be_f8_3"), 0.0);
        }
        try (TensorSource s = TensorSources.open(fixture("be_f2_3.npy"))) {
            assertArrayEquals(new double[] {1.0, -0.0999755859375, 1024.0}, doubles(s, "be_f2_3"), 0.0);
        }
        try (TensorSource s = TensorSources.open(fixture("be_i2.npy"))) {
            assertArrayEquals(new double[] {-2, 258}, doubles(s, "be_i2"), 0.0);
        }
        try (TensorSource s = TensorSources.open(fixture("be_i8.npy"))) {
            assertArrayEquals(new double[] {-5, 8589934592.0}, doubles(s, "be_i8"), 0.0);
        }
    }

    @Test
    void fortranOrderReadsInLogicalCOrder() {
        try (TensorSource s = TensorSources.open(fixture("fortran_3x4.npy"))) {
            assertArrayEquals(new long[] {3, 4}, s.tensors().get(0).shape());
            float[] f = floats(s, "fortran_3x4");
            for (int i = 0; i < 12; i++) {
                assertEquals(i, f[i], 0.0f);
            }
            float[] part = new float[4];
            s.data("fortran_3x4").readFloats(5, part, 0, 4);
            assertArrayEquals(new float[] {5, 6, 7, 8}, part, 0.0f);
        }
        try (TensorSource s = TensorSources.open(fixture("fortran_2x3x4.npy"))) {
            double[] d = doubles(s, "fortran_2x3x4");
            assertArrayEquals(new double[] {0.1915159748842876, -0.9336500671907713, -0.23581492955418656,
                0.6722367516259915, 0.7156110320193155, 0.6664674652314919, 1.2015354892683474,
                -0.09995283355080599, -1.1503667268370328, 1.528702672680662, 1.6151521712317278,
                -1.5174009785985654}, Arrays.copyOf(d, 12), 0.0);
            assertEquals(0.7392632785774894, Tensors.sum(s.data("fortran_2x3x4")), 0.0);
        }
    }

    @Test
    void integerAndBoolTypes() {
        Object[][] cases = {
            {"i1", DType.I8, new double[] {-128, -1, 0, 127}},
            {"u1", DType.U8, new double[] {0, 1, 200, 255}},
            {"i2", DType.I16, new double[] {-32768, 5, 32767}},
            {"i4", DType.I32, new double[] {-2147483648.0, 7, 2147483647.0, 0}},
            {"i8", DType.I64, new double[] {-1099511627776.0, 3, 1125899906842624.0}},
            {"bool", DType.BOOL, new double[] {1, 0, 1, 0, 0, 1}},
        };
        for (Object[] c : cases) {
            try (TensorSource s = TensorSources.open(fixture(c[0] + ".npy"))) {
                assertEquals(c[1], s.tensors().get(0).dtype(), (String) c[0]);
                assertArrayEquals((double[]) c[2], doubles(s, (String) c[0]), 0.0, (String) c[0]);
            }
        }
    }

    @Test
    void headerVersionsScalarsAndEmptyArrays() {
        try (TensorSource s = TensorSources.open(fixture("v2.npy"))) {
            assertEquals(-1.4040724113583565, Tensors.sum(s.data("v2")), 0.0);
        }
        try (TensorSource s = TensorSources.open(fixture("v3.npy"))) {
            assertArrayEquals(new double[] {0.029895329847931862, -1.2326067686080933, -0.25683489441871643},
                    doubles(s, "v3"), 0.0);
        }
        try (TensorSource s = TensorSources.open(fixture("scalar.npy"))) {
            assertEquals(0, s.tensors().get(0).rank());
            assertArrayEquals(new double[] {4.5}, doubles(s, "scalar"), 0.0);
        }
        try (TensorSource s = TensorSources.open(fixture("empty_0x3.npy"))) {
            assertArrayEquals(new long[] {0, 3}, s.tensors().get(0).shape());
            assertEquals(0.0, Tensors.sum(s.data("empty_0x3")), 0.0);
        }
    }

    @Test
    void corruptFilesAreRejectedNamingFileAndProblem() throws IOException {
        byte[] good = Files.readAllBytes(fixture("f32_3x4.npy"));
        String header = new String(good, 10, 118, StandardCharsets.ISO_8859_1);

        Path truncated = write("truncated.npy", Arrays.copyOf(good, good.length - 5));
        assertRejected(truncated, "truncated");

        byte[] magic = good.clone();
        magic[1] = 'X';
        assertRejected(write("magic.npy", magic), "bad magic");

        assertRejected(write("lies.npy", withHeader(good, header.replace("(3, 4)", "(4, 4)"))), "needs 64 data bytes, found 48");
        assertRejected(write("short.npy", withHeader(good, header.replace("(3, 4)", "(2, 4)"))), "unexpected bytes after");
        assertRejected(write("complex.npy", withHeader(good, header.replace("<f4", "<c8"))), "unsupported .npy dtype '<c8'");
        assertRejected(write("unsigned.npy", withHeader(good, header.replace("<f4", "<u4"))), "unsupported .npy dtype '<u4'");
        assertRejected(write("keys.npy", withHeader(good, header.replace("'fortran_order'", "'fortran_ordr' "))), "exactly the keys");
        assertRejected(write("dict.npy", withHeader(good, header.replace("'shape': (3, 4)", "'shape': (3, 4 "))), "malformed .npy header");
        assertRejected(write("neg.npy", withHeader(good, header.replace("(3, 4)", "(-3,4)"))), "invalid dimension");

        byte[] version = good.clone();
        version[6] = 9;
        assertRejected(write("version.npy", version), "unsupported .npy format version 9.0");

        assertRejected(write("tiny.npy", Arrays.copyOf(good, 7)), "not a .npy file");
        assertRejected(write("headercut.npy", Arrays.copyOf(good, 50)), "truncated .npy header");
    }

    @Test
    void unknownFilesAndNamesAreInputErrors() throws IOException {
        Path p = write("weights.bin", new byte[8]);
        assertRejected(p, "unknown tensor file type");
        assertRejected(tmp.resolve("missing.npy"), "no such file");
        try (TensorSource s = TensorSources.open(fixture("v3.npy"))) {
            InputException e = org.junit.jupiter.api.Assertions.assertThrows(InputException.class, () -> s.data("nope"));
            Fixtures.assertMessage(e, fixture("v3.npy"), "no tensor named 'nope' (it has: v3)");
        }
    }

    /** Replaces the 118-character header of the 128-byte-prefixed fixture, keeping its length. */
    private static byte[] withHeader(byte[] good, String header) {
        byte[] out = good.clone();
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(118, h.length);
        System.arraycopy(h, 0, out, 10, h.length);
        return out;
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, bytes);
        return p;
    }
}
