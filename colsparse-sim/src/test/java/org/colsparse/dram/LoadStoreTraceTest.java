package org.colsparse.dram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadStoreTraceTest {
    private static List<Request> parse(String text) throws IOException {
        return LoadStoreTrace.read(new StringReader(text), "t.trace");
    }

    private static String error(String text) {
        return assertThrows(InputException.class, () -> parse(text)).getMessage();
    }

    @Test
    void readsHexAndDecimalAddressesAndSkipsBlankLines() throws IOException {
        assertEquals(List.of(Request.load(0x12340), Request.store(4096), Request.load(0xABC)),
                parse("LD 0x12340\nST 4096\n\n  LD   0XABC  \n"));
    }

    @Test
    void badLinesNameFileAndLine() {
        assertEquals("t.trace:2: unknown request type 'RD' (expected LD or ST)", error("LD 0x0\nRD 0x40\n"));
        assertEquals("t.trace:1: bad address '0xZZ' (expected a non-negative hex 0x... or decimal number)",
                error("LD 0xZZ\n"));
        assertEquals("t.trace:3: expected '<LD|ST> <address>', got 'ST'", error("LD 1\nLD 2\nST\n"));
        assertEquals("t.trace:1: expected '<LD|ST> <address>', got 'LD 0x0 7'", error("LD 0x0 7\n"));
        assertEquals("t.trace:1: bad address '-64' (expected a non-negative hex 0x... or decimal number)",
                error("ST -64\n"));
    }

    @Test
    void wholeFileParserAgreesWithTheLineReader() throws IOException {
        String text = "LD 0x12340\r\nST 0x1f\rLD 4096\n\n  ST   0XABC  \nLD 0x7fffffffffffffff\nLD 0xFfE0\nST 0x+10\nLD 0x0";
        List<Request> lines = parse(text);
        assertEquals(8, lines.size());
        assertEquals(lines, LoadStoreTrace.parse(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII), "t.trace"));
        for (String bad : List.of("LD 0x0\nRD 0x40\n", "LD 0xZZ\n", "LD 1\r\nLD 2\nST\n", "LD 0x0 7\n", "ST -64\n", "LD 0x10000000000000000\n")) {
            assertEquals(error(bad), assertThrows(InputException.class,
                    () -> LoadStoreTrace.parse(bad.getBytes(java.nio.charset.StandardCharsets.US_ASCII), "t.trace")).getMessage());
        }
        assertEquals("t.trace: not a LoadStoreTrace: holds a non-ASCII byte (binary file, or a byte-order mark?)",
                assertThrows(InputException.class, () -> LoadStoreTrace.parse(new byte[] {'L', 'D', ' ', '0', 'x', (byte) 0xc3, '\n'}, "t.trace")).getMessage());
    }

    @Test
    void filesAreReadPieceByPieceWithLinesAcrossThePieces(@TempDir Path dir) throws IOException {
        // 1.6 MB: the 1 MiB pieces split a line, and CRLF, lone CR and odd lines appear on both sides
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 120_000; i++) {
            b.append(i % 5 == 0 ? "ST 0x" : "LD 0x").append(Long.toHexString(i * 32L));
            b.append(i % 3 == 0 ? "\r\n" : i % 1001 == 0 ? "\r" : "\n");
            if (i % 977 == 0) {
                b.append("  LD   ").append(i).append("  \n\n");
            }
        }
        Path f = dir.resolve("big.trace");
        Files.writeString(f, b);
        List<Request> whole = LoadStoreTrace.parse(b.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII), "t");
        assertEquals(whole, LoadStoreTrace.read(f));
        assertEquals(MemorySystem.runTrace(DramConfig.ramulator2Gddr6(), whole), MemorySystem.replay(DramConfig.ramulator2Gddr6(), f));

        int badLine = b.toString().split("\r\n|\r|\n", -1).length;  // the line after the last
        Files.writeString(f, b.append("LD 0xZZ\n"));
        String msg = f + ":" + badLine + ": bad address '0xZZ' (expected a non-negative hex 0x... or decimal number)";
        assertEquals(msg, assertThrows(InputException.class, () -> LoadStoreTrace.read(f)).getMessage());
        assertEquals(msg, assertThrows(InputException.class, () -> MemorySystem.replay(DramConfig.ramulator2Gddr6(), f)).getMessage());
    }

    @Test
    void missingFileIsInputError(@TempDir Path dir) {
        Path f = dir.resolve("none.trace");
        assertEquals(f + ": trace file not found",
                assertThrows(InputException.class, () -> LoadStoreTrace.read(f)).getMessage());
    }

    @Test
    void writerProducesRamulatorLinesThatReadBack(@TempDir Path dir) throws IOException {
        StringWriter sw = new StringWriter();
        try (TraceWriter w = new TraceWriter(sw)) {
            w.write(0, false);
            w.write(0xDEADBEE0L, true);
            w.write(Request.load(1L << 40));
            assertEquals(3, w.count());
        }
        assertEquals("LD 0x0\nST 0xdeadbee0\nLD 0x10000000000\n", sw.toString());
        Path f = dir.resolve("out.trace");
        Files.writeString(f, sw.toString());
        assertEquals(List.of(Request.load(0), Request.store(0xDEADBEE0L), Request.load(1L << 40)),
                LoadStoreTrace.read(f));
    }
}
