package org.colsparse.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DramCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void jsonCarriesRamulatorComparableCounts(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t.trace");
        // Ramulator 2.1 (c5b1c3a) on this trace: 4 cycles, one row miss in each channel.
        Files.writeString(t, "LD 0x0\nLD 0x20\nLD 0x40\nST 0x1000\nLD 0x100000\n");
        assertEquals(0, run("dram", "--trace", t.toString(), "--preset", "ramulator2-gddr6", "--format", "json"));
        JsonNode j = Json.MAPPER.readTree(out.toString());
        assertEquals(4, j.get("cycles").asLong());
        assertEquals(4, j.get("reads").asLong());
        assertEquals(1, j.get("writes").asLong());
        assertEquals(2, j.get("at_last_accept").get("row_misses").asLong());
        for (String k : new String[] {"drain_cycles", "row_hits", "row_misses", "row_conflicts", "avg_read_latency",
            "bandwidth_gbps"}) {
            assertTrue(j.has(k), k);
        }
        assertEquals(5, j.get("row_hits").asLong() + j.get("row_misses").asLong() + j.get("row_conflicts").asLong());
    }

    @Test
    void streamedJsonIsWhatTheObjectMapperWrites(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t.trace");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3000; i++) {  // more than one publishing step of the background reader
            b.append(i % 7 == 0 ? "ST 0x" : "LD 0x").append(Long.toHexString((i * 2654435761L) % (1L << 30) & ~31L)).append('\n');
        }
        Files.writeString(t, b);
        org.colsparse.dram.DramStats s = org.colsparse.dram.MemorySystem.replay(org.colsparse.dram.DramConfig.ramulator2Gddr6(), t);
        assertEquals(org.colsparse.dram.MemorySystem.runTrace(org.colsparse.dram.DramConfig.ramulator2Gddr6(),
                org.colsparse.dram.LoadStoreTrace.read(t)), s);
        StringWriter mapper = new StringWriter();
        Json.print(new PrintWriter(mapper), s);
        StringWriter streamed = new StringWriter();
        DramCommand.writeJson(new PrintWriter(streamed), s);
        assertEquals(mapper.toString(), streamed.toString());
        assertEquals(0, run("dram", "--trace", t.toString(), "--format", "json"));
        assertEquals(mapper.toString(), out.toString());
    }

    @Test
    void tableAndConfigOverride(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t.trace");
        Files.writeString(t, "LD 0x0\n");
        Path c = dir.resolve("c.yaml");
        Files.writeString(c, "memory_system:\n  channels: 1\n");
        assertEquals(0, run("dram", "--trace", t.toString(), "--config", c.toString()));
        assertTrue(out.toString().matches("(?s).*\\nchannels +1\\n.*"), out.toString());
        // One read: ACT at 1, RD at 28, data at 54.
        assertTrue(out.toString().matches("(?s).*\\ndrain_cycles +54\\n.*"), out.toString());
    }

    @Test
    void badTraceLineIsExitTwoWithFileAndLine(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("bad.trace");
        Files.writeString(t, "LD 0x0\nLOAD 0x40\n");
        assertEquals(2, run("dram", "--trace", t.toString()));
        assertEquals("colsparse: error: " + t + ":2: unknown request type 'LOAD' (expected LD or ST)",
                err.toString().strip());
    }

    @Test
    void unknownPresetIsExitTwo(@TempDir Path dir) throws Exception {
        Path t = dir.resolve("t.trace");
        Files.writeString(t, "LD 0x0\n");
        assertEquals(2, run("dram", "--trace", t.toString(), "--preset", "hbm3"));
        assertTrue(err.toString().contains("--preset: unknown DRAM preset 'hbm3'"), err.toString());
    }
}
