package org.colsparse.dram;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22: DRAM YAMLs whose values ran the heap out (channels, read buffer, bank groups), threw
 * an ArrayIndexOutOfBoundsException (a bank count that wrapped) or never finished (nBL 2^31-1,
 * nREFI 1), and trace lines echoed raw. Each is now one line naming the file and the key.
 */
class HostileDramConfigTest {
    @TempDir
    Path dir;

    private String error(String yaml) throws IOException {
        Path f = Files.writeString(dir.resolve("d.yaml"), yaml);
        String m = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(InputException.class, () -> {
            // what `colsparse dram` does with the file: load it and build the memory system
            new MemorySystem(DramConfigLoader.load(f, DramConfig.ramulator2Gddr6()));
        })).getMessage();
        assertTrue(m.startsWith(f + ": "), m);
        assertFalse(m.contains("\n"), m);
        return m.substring(f.toString().length() + 2);
    }

    /** nREFIpb 0 (HBM's per-bank refresh interval) would never refresh at all: refused like nREFI 0. */
    @Test
    void perBankRefreshIntervalZeroIsRefused() throws IOException {
        Path f = Files.writeString(dir.resolve("hbm.yaml"), "memory_system: {controller: {dram: {timing: {nREFIpb: 0}}}}");
        String m = assertThrows(InputException.class, () -> new MemorySystem(DramConfigLoader.load(f, DramConfig.preset("ramulator2-hbm3")))).getMessage();
        assertEquals(f + ": memory_system.controller.dram.timing.nREFIpb must be an integer in 1..1000000, got '0'", m);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "memory_system: {channels: 1073741824}"
            + " | memory_system.channels must be an integer in 1..64, got '1073741824'",
        "memory_system: {channels: 12}"
            + " | memory_system.channels must be a power of two in 1..64, got 12",
        "memory_system: {controller: {read_buffer_size: 2000000000}}"
            + " | memory_system.controller.read_buffer_size must be an integer in 1..1024, got '2000000000'",
        "memory_system: {controller: {write_buffer_size: 0}}"
            + " | memory_system.controller.write_buffer_size must be an integer in 1..1024, got '0'",
        "memory_system: {controller: {dram: {org: {bankgroup: 1073741824}}}}"
            + " | memory_system.controller.dram.org.bankgroup must be an integer in 1..16, got '1073741824'",
        "memory_system: {controller: {dram: {org: {bankgroup: 16, bank: 16}}}}"
            + " | memory_system.controller.dram.org.bankgroup x memory_system.controller.dram.org.bank must be at most 64, got 16 x 16",
        "memory_system: {controller: {dram: {org: {row: 1073741824}}}}"
            + " | memory_system.controller.dram.org.row must be an integer in 1..16777216, got '1073741824'",
        "memory_system: {controller: {dram: {timing: {nBL: 2147483647}}}}"
            + " | memory_system.controller.dram.timing.nBL must be an integer in 1..1000000, got '2147483647'",
        "memory_system: {controller: {dram: {timing: {tCK_ps: 1}}}}"
            + " | memory_system.controller.dram.timing.tCK_ps must be an integer in 100..100000, got '1'",
        "memory_system: {controller: {dram: {timing: {nREFI: 1}}}}"
            + " | memory_system.controller.dram.timing.nREFI (1) must exceed the sum of the other timings (669) so that"
            + " requests are served between refreshes (or set refresh_manager: {impl: NoRefresh})",
        "memory_system: {controller: {dram: {timing: {nBL: 1000000}}}}"
            + " | memory_system.controller.dram.timing.nREFI (3333) must exceed the sum of the other timings (1000667)",
        "memory_system: {controller: {row_policy: {impl: ClosedCAP, cap: 0}}}"
            + " | memory_system.controller.row_policy.cap must be an integer in 1..1048576, got '0'",
        "memory_system: {controller: {scheduler: {impl: \"\\e[31mFR\"}}}"
            + " | unknown scheduler '\\x1b[31mFR' (known: ",
    })
    void outOfRangeValuesAreOneLineNamingTheKey(String yaml, String expected) throws IOException {
        String m = error(yaml);
        assertTrue(m.startsWith(expected.strip()), m);
    }

    @Test
    void extremeButValidTimingsStillFinish() throws IOException {
        // a burst of a million cycles without refresh: 4e9 cycles of simulated time, events only
        Path f = Files.writeString(dir.resolve("slow.yaml"),
                "memory_system: {controller: {refresh_manager: {impl: NoRefresh}, dram: {timing: {nBL: 1000000}}}}");
        DramConfig cfg = DramConfigLoader.load(f, DramConfig.ramulator2Gddr6());
        List<Request> trace = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            trace.add(i % 3 == 0 ? Request.store(64L * i) : Request.load(64L * i));
        }
        DramStats s = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> MemorySystem.runTrace(cfg, trace));
        assertEquals(200, s.requests());
        assertTrue(s.cycles() > 100L * 1_000_000, "every burst occupies the bus for nBL cycles: " + s.cycles());
    }

    @Test
    void traceLinesAreCutAndEscapedAndAreBounded() throws IOException {
        // an ANSI escape and a 50 MB line were echoed raw
        Path esc = Files.writeString(dir.resolve("esc.trace"), "LD 0x0\nLD \u001b[2J" + "9".repeat(500) + "\n");
        InputException e = assertThrows(InputException.class, () -> LoadStoreTrace.read(esc));
        assertEquals(esc + ":2: bad address '\\x1b[2J" + "9".repeat(96) + "...' (expected a non-negative hex 0x... or decimal"
                + " number)", e.getMessage());
        // a file without a newline used to double the line buffer up to the end of the heap
        byte[] line = new byte[3 << 20];
        java.util.Arrays.fill(line, (byte) 'x');
        Path longLine = Files.write(dir.resolve("long.trace"), concat("LD 0x40\n".getBytes(StandardCharsets.US_ASCII), line));
        assertEquals(longLine + ":2: not a LoadStoreTrace: a line longer than 1048576 bytes",
                assertThrows(InputException.class, () -> LoadStoreTrace.read(longLine)).getMessage());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
