package org.colsparse.tensor;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.colsparse.tensor.Fixtures.assertMessage;
import static org.colsparse.tensor.Fixtures.assertRejected;
import static org.colsparse.tensor.Fixtures.doubles;
import static org.colsparse.tensor.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** stored.npz is np.savez(a=, b=, c=), deflated.npz np.savez_compressed of the same; values printed by numpy. */
class NpzReaderTest {
    @TempDir
    Path tmp;

    @Test
    void storedAndDeflatedArchivesHoldTheSameTensors() {
        for (String f : new String[] {"stored.npz", "deflated.npz"}) {
            try (TensorSource s = TensorSources.open(fixture(f))) {
                assertEquals(List.of(new TensorInfo("a", DType.F32, new long[] {4, 5}),
                        new TensorInfo("b", DType.I64, new long[] {3}),
                        new TensorInfo("c", DType.BOOL, new long[] {2, 2})), s.tensors(), f);
                assertArrayEquals(new double[] {-0.5592742562294006, -0.5511429309844971, -2.1285560131073,
                    -0.9628483653068542, -0.21922874450683594, 0.3275226950645447, -0.24704745411872864,
                    1.27599036693573, 1.014859914779663, -0.5311236381530762, -0.06970854848623276,
                    0.7507028579711914}, Arrays.copyOf(doubles(s, "a"), 12), 0.0, f);
                assertEquals(2.763013578951359, Tensors.sum(s.data("a")), 0.0, f);
                assertArrayEquals(new double[] {-3, 0, 9}, doubles(s, "b"), 0.0, f);
                assertArrayEquals(new double[] {1, 0, 1, 1}, doubles(s, "c"), 0.0, f);
            }
        }
    }

    @Test
    void truncatedArchiveIsRejected() throws IOException {
        byte[] good = Files.readAllBytes(fixture("stored.npz"));
        Path p = tmp.resolve("cut.npz");
        Files.write(p, Arrays.copyOf(good, good.length - 30));
        assertRejected(p, "no end-of-central-directory");

        Path notZip = tmp.resolve("plain.npz");
        Files.write(notZip, Files.readAllBytes(fixture("v3.npy")));
        assertRejected(notZip, "not an .npz (zip) file");
    }

    @Test
    void corruptDeflatedDataFailsOnFirstRead() throws IOException {
        byte[] bad = Files.readAllBytes(fixture("deflated.npz"));
        // flip bytes in the middle of the first entry's deflate stream (after its local header and header bytes)
        for (int i = 120; i < 140; i++) {
            bad[i] ^= 0x5a;
        }
        Path p = tmp.resolve("flipped.npz");
        Files.write(p, bad);
        InputException e = assertThrows(InputException.class, () -> {
            try (TensorSource s = TensorSources.open(p)) {
                doubles(s, "a");
            }
        });
        assertMessage(e, p, "zip entry 'a.npy'");
    }
}
