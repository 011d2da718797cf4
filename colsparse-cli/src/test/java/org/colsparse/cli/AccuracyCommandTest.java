package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;

import static org.colsparse.cli.CliRun.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The accuracy command end to end on the shipped ddpm-mnist checkpoint (1 sample, 3 steps). */
class AccuracyCommandTest {
    @BeforeAll
    static void home() {
        System.setProperty("colsparse.home", "..");
    }

    @Test
    void jsonContractAndDeterminism() throws Exception {
        String[] args = {"accuracy", "--workload", "ddpm-mnist", "--samples", "1", "--steps", "3", "--seed", "5",
                "--threshold", "0", "--threshold", "0.05,1000", "--format", "json"};
        JsonNode r = Json.MAPPER.readTree(expect(0, args));
        assertEquals(List.of(5L), List.of(r.get("seeds").get(0).asLong()));
        assertEquals(1, r.get("seeds").size());
        assertEquals("relative_l2", r.get("cliff_rule").get("metric").asText());
        assertEquals(0.05, r.get("cliff_rule").get("absolute_floor").asDouble());
        assertEquals(3.0, r.get("cliff_rule").get("factor").asDouble());
        JsonNode run = r.get("runs").get(0);
        assertEquals("ddpm-mnist", run.get("workload").asText());
        assertEquals("image", run.get("modality").asText());
        assertEquals(1, run.get("samples").asInt());
        assertEquals(3, run.get("steps").asInt());

        JsonNode results = r.get("results");
        assertEquals(3, results.size());
        List<String> keys = new ArrayList<>();
        results.get(0).fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("cliff", "column_sparsity", "element_sparsity", "psnr_db", "relative_l2", "ssim", "threshold",
                "workload"), keys.stream().sorted().toList());
        JsonNode zero = results.get(0);
        assertEquals(0.0, zero.get("threshold").asDouble());
        assertEquals(0.0, zero.get("relative_l2").asDouble());
        assertTrue(zero.get("psnr_db").isNull(), "identical output: PSNR +inf is written as null");
        assertEquals(1.0, zero.get("ssim").asDouble());
        assertFalse(zero.get("cliff").asBoolean());
        JsonNode huge = results.get(2);
        assertEquals(1.0, huge.get("element_sparsity").asDouble());
        assertEquals(1.0, huge.get("column_sparsity").asDouble());
        assertTrue(huge.get("relative_l2").asDouble() > 0.3);
        assertTrue(huge.get("psnr_db").asDouble() < results.get(1).get("psnr_db").asDouble());
        double firstCliff = Double.NaN;
        for (JsonNode e : results) {
            if (e.get("cliff").asBoolean() && Double.isNaN(firstCliff)) {
                firstCliff = e.get("threshold").asDouble();
            }
        }
        assertEquals(firstCliff, run.get("cliff_at").asDouble(), "cliff_at is the first threshold flagged");

        JsonNode again = Json.MAPPER.readTree(expect(0, args));
        assertEquals(results, again.get("results"), "a second run gives identical results");
    }

    @Test
    void outFolderHoldsResultsAndEveryRunsSamples(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("sweep");
        String json = expect(0, "accuracy", "--samples", "1", "--steps", "2", "--threshold", "0.01,0.1", "--format", "json",
                "--out", target.toString());
        assertEquals(Json.MAPPER.readTree(json), Json.MAPPER.readTree(target.resolve("results.json").toFile()));
        for (String run : List.of("dense", "tau-0.01", "tau-0.1")) {
            assertTrue(Files.size(target.resolve("ddpm-mnist").resolve(run).resolve("samples.png")) > 0, run);
        }
        assertFalse(Files.exists(dir.resolve("sweep.partial")));
    }

    @Test
    void tableAndCsv() {
        String table = expect(0, "accuracy", "--samples", "1", "--steps", "2", "--threshold", "0,0.01");
        assertTrue(table.startsWith("seed 0 "), table);
        assertTrue(table.contains("psnr_db"), table);
        assertTrue(table.contains("cliff rule: step i is a cliff when relative_l2 rises by more than max(0.05, 3 x"), table);
        String csv = expect(0, "accuracy", "--samples", "1", "--steps", "2", "--threshold", "0", "--format", "csv");
        String[] lines = csv.strip().split("\n");
        assertEquals("workload,threshold,relative_l2,psnr_db,ssim,element_sparsity_pct,column_sparsity_pct,cliff", lines[0]);
        assertTrue(lines[1].startsWith("ddpm-mnist,0,0.00000,inf,1.00000,"), lines[1]);
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        assertTrue(expect(2, "accuracy", "--workload", "nope").contains("unknown workload 'nope'"));
        assertTrue(expect(2, "accuracy", "--threshold", "-1").contains("--threshold: must be a finite number >= 0, got -1.0"));
        assertTrue(expect(2, "accuracy", "--steps", "1001").contains("--steps: must be between 1 and ddpm-mnist's trained schedule of 1000"));
        assertTrue(expect(2, "accuracy", "--samples", "0").contains("--samples"));
        assertTrue(expect(2, "accuracy", "--tile-rows", "0").contains("--tile-rows"));
    }
}
