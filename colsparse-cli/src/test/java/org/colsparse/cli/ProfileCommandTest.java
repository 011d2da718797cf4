package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.colsparse.cli.CliRun.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end smoke runs of profile on the shipped ddpm-mnist checkpoint (few steps, 1-2 samples). */
class ProfileCommandTest {
    @BeforeAll
    static void home() {
        System.setProperty("colsparse.home", "..");
    }

    @Test
    void jsonHasSitesTotalsVerdictsAndTimestepBuckets(@TempDir Path dir) throws Exception {
        String json = expect(0, "profile", "--workload", "ddpm-mnist", "--samples", "2", "--steps", "3", "--threshold", "0.01,0.05",
                "--tile-rows", "32", "--format", "json", "--out", dir.toString());
        JsonNode r = Json.MAPPER.readTree(json);
        assertEquals(r, Json.MAPPER.readTree(dir.resolve("results.json").toFile()), "results.json holds what was printed");
        JsonNode sites = r.get("sites");
        assertEquals(7 * 2, sites.size(), "7 sites x 2 thresholds x 1 tile height");
        JsonNode first = sites.get(0);
        assertEquals("blocks.0.gelu", first.get("name").asText(), "site entries named as analyze names them");
        assertEquals(2 * 784 * 3, first.get("rows").asLong(), "784 positions x 3 calls x 2 samples");
        assertEquals(6, first.get("calls").asLong(), "one sample per call: 2 samples x 3 steps");
        // 784 rows per call cut into 25 tiles of 32 (the last one 16 rows), 16 channels, 6 calls
        assertEquals(25 * 16 * 6, first.get("columns").asLong());
        assertEquals("time_embed.1", sites.get(2).get("name").asText());
        assertEquals(6, sites.get(2).get("rows").asLong(), "one row per call");
        assertEquals(2, r.get("totals").size());
        assertEquals(96, r.get("totals").get(0).get("cols").asInt(), "the headline: the four conv sites' 16 + 32 + 32 + 16 channels");
        assertEquals(2, r.get("other_totals").size());
        assertEquals(7 * 2 + 2 + 2, r.get("taxonomy").size());
        assertEquals("token-limited", r.get("taxonomy").get(2).get("verdict").asText(), "1 row per call of the time MLP");
        assertEquals("masks.npz", r.get("masks").asText());
        assertTrue(Files.size(dir.resolve("masks.npz")) > 0);
        JsonNode buckets = r.get("timesteps");
        assertEquals(3, buckets.size(), "3 steps give at most 3 buckets");
        assertEquals(999, buckets.get(0).get("first_timestep").asInt());
        assertEquals(0, buckets.get(2).get("last_timestep").asInt());
        long bucketElements = 0;
        for (JsonNode b : buckets) {
            bucketElements += b.get("totals").get(0).get("elements").asLong();
        }
        assertEquals(r.get("totals").get(0).get("elements").asLong(), bucketElements);
        assertTrue(Files.size(dir.resolve("samples.png")) > 0);
        assertEquals("samples.png", r.get("samples_png").asText());
    }

    @Test
    void tableAndCsv() {
        String table = expect(0, "profile", "--samples", "1", "--steps", "2");
        assertTrue(table.contains("blocks.3.gelu"), table);
        assertTrue(table.contains("verdict ddpm-mnist (tau 0.01, R 128): "), table);
        String csv = expect(0, "profile", "--samples", "1", "--steps", "2", "--format", "csv");
        assertTrue(csv.startsWith("scope,site,rows,cols,threshold,tile_rows,elements,near_zero_elements,element_sparsity,"), csv);
        assertEquals(1 + 9 + 2 * 8, csv.strip().split("\n").length,
                "header; 7 sites, the headline total and the time-MLP total for the run; 7 sites + headline for each of 2 buckets");
        assertTrue(csv.contains("run,ddpm-mnist:other,"), csv);
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        assertTrue(expect(2, "profile", "--steps", "0").contains("--steps: must be between 1 and ddpm-mnist's trained schedule of 1000, got 0"));
        assertTrue(expect(2, "profile", "--steps", "1001").contains("--steps"));
        assertTrue(expect(2, "profile", "--workload", "nope").contains("unknown workload 'nope'"));
        String err = expect(2, "profile", "--steps", "1", "--checkpoint", "../colsparse-core/src/test/resources/fixtures/tiny_mlp_2d.pth");
        assertTrue(err.contains("not a ddpm-mnist checkpoint: 29 missing key(s)"), err);
        assertEquals(1, err.strip().split("\n").length, err);
    }

    @Test
    void vitMnistReportsFourSitesOf256ChannelsAndTheSameNumbersOnARerun() throws Exception {
        String[] args = {"profile", "--workload", "vit-mnist", "--samples", "1", "--steps", "4", "--format", "json"};
        JsonNode r = Json.MAPPER.readTree(expect(0, args));
        JsonNode sites = r.get("sites");
        assertEquals(4, sites.size());
        for (int i = 0; i < 4; i++) {
            assertEquals("transformer." + i + ".gelu", sites.get(i).get("name").asText());
            assertEquals(256, sites.get(i).get("cols").asInt());
            // 4 steps x (conditional + unconditional call) x 20 tokens
            assertEquals(4 * 2 * 20, sites.get(i).get("rows").asLong());
        }
        JsonNode again = Json.MAPPER.readTree(expect(0, args));
        ((com.fasterxml.jackson.databind.node.ObjectNode) r).remove("seconds");
        ((com.fasterxml.jackson.databind.node.ObjectNode) again).remove("seconds");
        assertEquals(r, again);
        String err = expect(2, "profile", "--workload", "vit-mnist", "--steps", "1", "--checkpoint", "../models/ddpm-mnist/ddpm_mnist.pth");
        assertTrue(err.contains("not a vit-mnist checkpoint: 54 missing key(s) [patch_embed.bias, "), err);
        assertTrue(err.contains("; 29 unexpected key(s) [alpha_t, "), err);
        assertEquals(1, err.strip().split("\n").length, err);
    }
}
