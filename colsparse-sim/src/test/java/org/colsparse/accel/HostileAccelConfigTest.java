package org.colsparse.accel;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22: accelerator values that made the simulation run for minutes (an array clock near zero:
 * millions of DRAM cycles, each refresh simulated, per array cycle), gave wrong answers with exit 0
 * (a fixed DRAM of 1e-300 bytes per cycle or 2^63-1 cycles of latency: 0 stall cycles; sram_kib
 * 2^53 wrapped in the KiB-to-bytes shift) or echoed the file raw. Each is one line naming the key.
 */
class HostileAccelConfigTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "array_clock_mhz: 1e-300                      | array_clock_mhz must be a number in 1..100000, got '1.0E-300'",
        "dram: {model: fixed, bytes_per_cycle: 1e-300} | dram.bytes_per_cycle must be a number in 0.001..1000000, got '1.0E-300'",
        "dram: {model: fixed, latency_cycles: 9223372036854775807} | dram.latency_cycles must be an integer in 0..1000000, got '9223372036854775807'",
        "dram: {model: fixed, clock_mhz: 0.0001}      | dram.clock_mhz must be a number in 1..100000, got '1.0E-4'",
        "sram_kib: {ifmap: 9007199254740992}          | sram_kib.ifmap must be an integer in 1..16777216, got '9007199254740992'",
        "array: 100000x100000                         | array must be at most 65536x65536, got 100000x100000",
        "dram: {sample_repeats: 2000000}              | dram.sample_repeats must be an integer in 0..1000000, got '2000000'",
        "word_bytes: 9                                | word_bytes must be an integer in 1..8, got '9'",
        "dataflow: \"\\e[2Jos\"                        | dataflow must be os, ws or is, got '\\x1b[2Jos'",
    })
    void outOfRangeValuesAreOneLineNamingTheKey(String yaml, String expected) throws IOException {
        Path f = Files.writeString(dir.resolve("a.yaml"), yaml + "\n");
        String m = assertThrows(InputException.class, () -> AccelConfig.load(f)).getMessage();
        assertFalse(m.contains("\n"), m);
        assertEquals(f + ": " + expected, m);
    }

    @Test
    void theEndsOfEachRangeAreAccepted() throws IOException {
        Path f = Files.writeString(dir.resolve("a.yaml"), "array_clock_mhz: 1\nsram_kib: {ifmap: 16777216, filter: 1}\n"
                + "dram: {model: fixed, clock_mhz: 100000, latency_cycles: 1000000, bytes_per_cycle: 0.001}\n");
        AccelConfig c = AccelConfig.load(f);
        assertEquals(16L << 30, c.ifmapSramBytes());
        assertEquals(1000000, c.fixedLatencyCycles());
    }

    @Test
    void aFixedDramNeverReturnsACycleBeforeItsRequest() {
        // built directly, past the file's ranges: the cycle count no longer wraps to a time before `at`
        FixedDram slow = new FixedDram(570, 32, 100, 1e-300);
        InputException e = assertThrows(InputException.class, () -> slow.serve(new long[] {0}, false, 10, 0));
        assertTrue(e.getMessage().startsWith("fixed DRAM: a transfer ends beyond 2^62 cycles"), e.getMessage());
        FixedDram late = new FixedDram(570, 32, Long.MAX_VALUE, 64);
        assertThrows(InputException.class, () -> late.serve(new long[] {0}, false, 10, 0));
        assertEquals(10 + 1 + 100, new FixedDram(570, 32, 100, 32).serve(new long[] {0}, false, 10, 0));
    }
}
