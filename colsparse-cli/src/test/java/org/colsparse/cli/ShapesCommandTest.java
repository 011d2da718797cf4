package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;


import static org.colsparse.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShapesCommandTest {

    private static JsonNode gemm(JsonNode root, String name) {
        for (JsonNode g : root.get("gemms")) {
            if (g.get("name").asText().equals(name)) {
                return g;
            }
        }
        throw new AssertionError("no GEMM " + name);
    }

    @Test
    void jsonListsEveryGemmWithTotals() throws Exception {
        CliRun r = run("shapes", "--workload", "sd15", "--preset", "full", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = Json.MAPPER.readTree(r.out());
        assertEquals("sd15", root.get("workload").asText());
        JsonNode down = gemm(root, "down.0.attn.0.ff.down");
        // CFG batch 2 x 64x64 tokens; GEGLU inner 4 x 320; back to 320
        assertEquals(8192, down.get("m").asLong());
        assertEquals(1280, down.get("k").asLong());
        assertEquals(320, down.get("n").asLong());
        assertEquals("down.0.attn.0.ff", down.get("consumes_site").asText());
        assertEquals(8192L * 1280 * 320, down.get("macs").asLong());
        JsonNode totals = root.get("totals");
        assertEquals(16, totals.get("gelu_sites").asInt());
        assertEquals(root.get("gemms").size(), totals.get("gemms").asInt());
        long sum = 0;
        for (JsonNode g : root.get("gemms")) {
            sum += g.get("macs").asLong();
        }
        assertEquals(sum, totals.get("macs").asLong());
        // within 1 % of the 860M UNet of the CompVis/stable-diffusion README
        assertTrue(Math.abs(totals.get("parameters").asLong() - 860e6) <= 8.6e6);
        assertEquals(16, root.get("sites").size());
    }

    @Test
    void tableAndCsv() {
        CliRun table = run("shapes", "--workload", "mld");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("gelu_sites"), table.out());
        assertTrue(table.out().lines().anyMatch(l -> l.startsWith("middle.linear2") && l.contains("middle.ff")), table.out());
        CliRun csv = run("shapes", "--workload", "edge", "--format", "csv");
        assertEquals(0, csv.code(), csv.err());
        String[] lines = csv.out().split("\\R");
        assertEquals("name,m,k,n,instances,consumes_site,macs", lines[0]);
        assertTrue(csv.out().contains("\ncond_projection,300,4800,512,1,," + 300L * 4800 * 512 + "\n"), csv.out());
    }

    @Test
    void unknownWorkloadIsBadInputNamingTheKnownOnes() {
        CliRun r = run("shapes", "--workload", "sdxl");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("sdxl") && r.err().contains("animatediff") && r.err().contains("edge"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals(2, run("shapes", "--workload", "dit", "--preset", "tiny").code());
        assertEquals(2, run("shapes", "--workload", "dit", "--format", "xml").code());
        assertEquals(2, run("shapes", "--workload", "dit", "--batch", "0").code());
    }

    @Test
    void batchOneIsOneSample() throws Exception {
        CliRun r = run("shapes", "--workload", "dit", "--batch", "1", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = Json.MAPPER.readTree(r.out());
        assertEquals(1, root.get("batch").asInt());
        // 16x16 patches of one image; 1152 -> 4608 -> 1152
        JsonNode fc2 = gemm(root, "block.0.mlp.fc2");
        assertEquals(256, fc2.get("m").asLong());
        assertEquals(4608, fc2.get("k").asLong());
        assertEquals(1152, fc2.get("n").asLong());
    }
}
