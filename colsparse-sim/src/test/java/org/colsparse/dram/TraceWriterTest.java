package org.colsparse.dram;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TraceWriterTest {
    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    @Test
    void uncommittedTraceLeavesTheExistingFileAlone(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("x.trace"), "LD 0x0\n");
        try (TraceWriter w = TraceWriter.open(f)) {
            for (int i = 0; i < 100_000; i++) {
                w.write(32L * i, i % 2 == 0);
            }
            // a failing run closes without commit
        }
        assertEquals("LD 0x0\n", Files.readString(f));
        assertEquals(List.of(f), files(dir));
    }

    @Test
    void committedTraceReplacesTheFile(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("x.trace"), "LD 0x0\n");
        try (TraceWriter w = TraceWriter.open(f)) {
            w.write(0x40, true);
            w.write(0x1f, false);
            w.commit();
        }
        assertEquals("ST 0x40\nLD 0x1f\n", Files.readString(f));
        assertEquals(List.of(f), files(dir));
    }

    @Test
    void aBinaryOrBomTraceIsNamedNotDecoderJargon(@TempDir Path dir) throws Exception {
        Path bom = Files.write(dir.resolve("b.trace"), new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'L', 'D', ' ', '0', '\n'});
        String msg = org.junit.jupiter.api.Assertions.assertThrows(org.colsparse.util.InputException.class, () -> LoadStoreTrace.read(bom)).getMessage();
        assertEquals(bom + ": not a LoadStoreTrace: holds a non-ASCII byte (binary file, or a byte-order mark?)", msg);
    }
}
