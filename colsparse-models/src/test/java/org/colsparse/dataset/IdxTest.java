package org.colsparse.dataset;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

class IdxTest {
    static final Path SLICE = Path.of("../data/fashion-mnist-slice");

    @Test
    void shippedFashionMnistSlice() {
        ImageSet train = FashionMnist.load(SLICE, FashionMnist.Split.TRAIN);
        ImageSet test = FashionMnist.load(SLICE, FashionMnist.Split.TEST);
        assertEquals(512, train.count());
        assertEquals(128, test.count());
        assertEquals(28, test.height());
        assertEquals(28, test.width());
        // Reference values read with NumPy from the same file: first test image is class 9
        // (ankle boot), pixel sum 33456, centre pixel 110.
        assertEquals(9, test.label(0));
        long sum = 0;
        for (int y = 0; y < 28; y++) for (int x = 0; x < 28; x++) sum += test.pixel(0, y, x);
        assertEquals(33456, sum);
        assertEquals(110, test.pixel(0, 14, 14));
        float[] scaled = test.image(0, -1, 1);
        assertEquals(-1 + 110 * 2f / 255, scaled[14 * 28 + 14], 1e-6);
        assertEquals(2, test.slice(3, 5).count());
    }

    @Test
    void debianPackageWhenInstalled() {
        // Only where scripts/setup-data.sh has run; the slice must be its prefix.
        org.junit.jupiter.api.Assumptions.assumeTrue(FashionMnist.hasFiles(FashionMnist.DEBIAN_DIR));
        ImageSet full = FashionMnist.load(FashionMnist.DEBIAN_DIR, FashionMnist.Split.TEST);
        assertEquals(10000, full.count());
        ImageSet slice = FashionMnist.load(SLICE, FashionMnist.Split.TEST);
        assertArrayEquals(slice.pixels(), full.slice(0, 128).pixels());
        assertArrayEquals(slice.labels(), full.slice(0, 128).labels());
    }

    private static Path gz(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write(bytes);
        }
        return p;
    }

    @Test
    void corruptFiles(@TempDir Path dir) throws IOException {
        byte[] ok = {0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9};
        assertArrayEquals(new byte[] {7, 8, 9}, Idx.read(gz(dir, "ok.gz", ok)).data());
        Path plain = Files.write(dir.resolve("plain"), ok);
        assertArrayEquals(new int[] {3}, Idx.read(plain).dims());

        byte[] truncated = {0, 0, 8, 1, 0, 0, 0, 4, 7, 8, 9};
        InputException e = assertThrows(InputException.class, () -> Idx.read(gz(dir, "t.gz", truncated)));
        assertTrue(e.getMessage().contains("t.gz") && e.getMessage().contains("truncated: 3 of 4 bytes"), e.getMessage());

        byte[] trailing = {0, 0, 8, 1, 0, 0, 0, 2, 7, 8, 9};
        e = assertThrows(InputException.class, () -> Idx.read(gz(dir, "x.gz", trailing)));
        assertTrue(e.getMessage().contains("bytes after its 2 elements"), e.getMessage());

        byte[] floats = {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0};
        e = assertThrows(InputException.class, () -> Idx.read(gz(dir, "f.gz", floats)));
        assertTrue(e.getMessage().contains("element type 0xd"), e.getMessage());

        e = assertThrows(InputException.class, () -> Idx.read(gz(dir, "m.gz", new byte[] {1, 2, 8, 1})));
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @Test
    void overrideMustHoldTheFiles(@TempDir Path dir) {
        System.setProperty("colsparse.fashion-mnist", dir.toString());
        try {
            InputException e = assertThrows(InputException.class, FashionMnist::locate);
            assertTrue(e.getMessage().contains(dir.toString()));
            System.setProperty("colsparse.fashion-mnist", SLICE.toString());
            assertEquals(FashionMnist.Origin.OVERRIDE, FashionMnist.locate().origin());
        } finally {
            System.clearProperty("colsparse.fashion-mnist");
        }
        // Without an override: the Debian package when installed, else the shipped slice.
        FashionMnist.Location l = FashionMnist.locate();
        assertEquals(FashionMnist.hasFiles(FashionMnist.DEBIAN_DIR) ? FashionMnist.Origin.DEBIAN : FashionMnist.Origin.SLICE, l.origin());
    }

    @Test
    void digits() {
        ImageSet d = Digits.load();
        assertEquals(1797, d.count());
        assertEquals(8, d.width());
        assertEquals(16, d.maxValue());
        assertEquals(0, d.label(0));
        assertEquals(13, d.pixel(0, 0, 3)); // first row of the CSV: 0,0,5,13,9,...
        assertEquals(5, d.pixel(0, 0, 2));
    }
}
