package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.colsparse.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GemmCommandTest {

    @Test
    void singleGemmJsonMatchesScaleSim() throws Exception {
        // SCALE-Sim v2 measured 2543 (os), 3551 (ws), 5055 (is) for M=128 N=64 K=256 on 32x32
        for (String[] c : new String[][] {{"os", "2543"}, {"ws", "3551"}, {"is", "5055"}}) {
            CliRun r = run("gemm", "--m", "128", "--n", "64", "--k", "256", "--array", "32x32", "--dataflow", c[0], "--format", "json");
            assertEquals(0, r.code(), r.err());
            JsonNode j = Json.MAPPER.readTree(r.out());
            JsonNode l = j.get("layers").get(0);
            assertEquals(Long.parseLong(c[1]), l.get("compute_cycles").asLong());
            assertEquals(32, l.get("rows").asInt());
            assertEquals(c[0], l.get("dataflow").asText());
            assertTrue(l.get("cycles_with_skipping") == null);
            assertEquals(Long.parseLong(c[1]), j.get("total").get("compute_cycles").asLong());
        }
    }

    @Test
    void topologyTotalsSumLayers(@TempDir Path dir) throws Exception {
        Path gemm = dir.resolve("g.csv");
        Files.writeString(gemm, "Layer, M, N, K,\nL0, 128, 64, 256,\nL1, 20, 10, 13,\n");
        CliRun r = run("gemm", "--topology", gemm.toString(), "--array", "32x32", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        // L1 on 32x32 os: 1 fold of 32 + 32 + 13 - 2 = 75 lines, minus one
        assertEquals(2543 + 74, j.get("total").get("compute_cycles").asLong());
        Path conv = dir.resolve("c.csv");
        Files.writeString(conv, "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nC1, 12, 12, 3, 3, 4, 10, 1,\n");
        CliRun c = run("gemm", "--topology", conv.toString(), "--array", "8x8", "--dataflow", "is", "--format", "csv");
        assertEquals(0, c.code(), c.err());
        // SCALE-Sim v2 measured 2079 cycles for this conv layer (im2col M=100 N=10 K=36) on 8x8 is
        assertTrue(c.out().contains("C1,100,10,36,1,8x8,is,2079"), c.out());
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        CliRun r = run("gemm", "--m", "8", "--n", "8", "--k", "8", "--array", "8by8");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--array"), r.err());
        assertEquals(2, run("gemm", "--m", "8", "--k", "8").code());
        assertEquals(2, run("gemm", "--m", "8", "--n", "8", "--k", "8", "--dataflow", "rs").code());
        assertEquals(2, run("gemm", "--topology", "/nonexistent/t.csv").code());
    }
}
