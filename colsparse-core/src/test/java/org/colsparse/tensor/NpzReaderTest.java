package org.colsparse.tensor;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
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

    @Test
    void zip64ArchiveIsRead() throws IOException {
        Path p = tmp.resolve("zip64.npz");
        Files.write(p, zip64(new String[] {"x.npy", "flags.npy"},
                new byte[][] {Files.readAllBytes(fixture("f32_3x4.npy")), Files.readAllBytes(fixture("bool.npy"))}));
        try (TensorSource s = TensorSources.open(p)) {
            assertEquals(List.of(new TensorInfo("x", DType.F32, new long[] {3, 4}),
                    new TensorInfo("flags", DType.BOOL, new long[] {2, 3})), s.tensors());
            assertEquals(0.9632086008787155, Tensors.sum(s.data("x")), 0.0);
            assertArrayEquals(new double[] {1, 0, 1, 0, 0, 1}, doubles(s, "flags"), 0.0);
        }
    }

    /**
     * A stored zip in full ZIP64 form (APPNOTE 4.5.3, 4.3.14-15): every 32-bit size and offset saturated
     * to 0xFFFFFFFF with the real values in zip64 extra fields, and a zip64 end record plus locator.
     */
    private static byte[] zip64(String[] names, byte[][] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream central = new ByteArrayOutputStream();
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i].getBytes(StandardCharsets.UTF_8);
            CRC32 crc = new CRC32();
            crc.update(data[i]);
            long offset = out.size();
            out.writeBytes(le(4, 0x04034b50, 2, 45, 2, 0, 2, 0, 2, 0, 2, 0, 4, crc.getValue(), 4, 0xffffffffL,
                    4, 0xffffffffL, 2, name.length, 2, 20));
            out.writeBytes(name);
            out.writeBytes(le(2, 1, 2, 16, 8, data[i].length, 8, data[i].length));
            out.writeBytes(data[i]);
            central.writeBytes(le(4, 0x02014b50, 2, 45, 2, 45, 2, 0, 2, 0, 2, 0, 2, 0, 4, crc.getValue(),
                    4, 0xffffffffL, 4, 0xffffffffL, 2, name.length, 2, 28, 2, 0, 2, 0, 2, 0, 4, 0, 4, 0xffffffffL));
            central.writeBytes(name);
            central.writeBytes(le(2, 1, 2, 24, 8, data[i].length, 8, data[i].length, 8, offset));
        }
        long cdOffset = out.size();
        out.writeBytes(central.toByteArray());
        long z64 = out.size();
        out.writeBytes(le(4, 0x06064b50, 8, 44, 2, 45, 2, 45, 4, 0, 4, 0, 8, names.length, 8, names.length,
                8, central.size(), 8, cdOffset));
        out.writeBytes(le(4, 0x07064b50, 4, 0, 8, z64, 4, 1));
        out.writeBytes(le(4, 0x06054b50, 2, 0, 2, 0, 2, 0xffff, 2, 0xffff, 4, 0xffffffffL, 4, 0xffffffffL, 2, 0));
        return out.toByteArray();
    }

    /** Little-endian fields given as (width, value) pairs. */
    private static byte[] le(long... widthValue) {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < widthValue.length; i += 2) {
            long v = widthValue[i + 1];
            switch ((int) widthValue[i]) {
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return Arrays.copyOf(b.array(), b.position());
    }
}
