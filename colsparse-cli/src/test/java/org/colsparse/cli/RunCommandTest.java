package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import static org.colsparse.cli.CliRun.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reduced end-to-end run (ddpm-mnist, few steps) and resuming a run whose stages are partly done. */
class RunCommandTest {
    @BeforeAll
    static void home() {
        System.setProperty("colsparse.home", "..");
    }

    private static final String[] SMALL = {"run", "--workload", "ddpm-mnist", "--samples", "1", "--steps", "3", "--buckets", "2",
            "--array", "32x32", "--layout", "row-major"};

    private static String[] args(Path out, String... extra) {
        String[] a = new String[SMALL.length + 2 + extra.length];
        System.arraycopy(SMALL, 0, a, 0, SMALL.length);
        a[SMALL.length] = "--out";
        a[SMALL.length + 1] = out.toString();
        System.arraycopy(extra, 0, a, SMALL.length + 2, extra.length);
        return a;
    }

    @Test
    void reportAndResultsJsonExistAndAgree(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("results");
        String json = expect(0, args(out, "--format", "json"));
        JsonNode printed = Json.MAPPER.readTree(json);
        JsonNode saved = Json.MAPPER.readTree(out.resolve("results.json").toFile());
        assertEquals(printed, saved);
        assertFalse(Files.exists(dir.resolve("results.partial")), "the partial folder is renamed into place");
        for (String f : new String[] {"report.html", "summary.csv", "sites.csv", "figures/sparsity.png", "figures/tile-height.png",
                "figures/activity-ddpm-mnist.png", "samples/ddpm-mnist/samples.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        JsonNode w = saved.get("workloads").get(0);
        assertEquals("ddpm-mnist", w.get("id").asText());
        JsonNode total = null;
        for (JsonNode t : w.get("profile").get("totals")) {
            if (t.get("threshold").asDouble() == 0.01 && t.get("tile_rows").asInt() == 32) {
                total = t;
            }
        }
        String html = Files.readString(out.resolve("report.html"));
        String colPct = String.format(Locale.ROOT, "%.1f%%", 100 * total.get("column_sparsity").asDouble());
        String elemPct = String.format(Locale.ROOT, "%.1f%%", 100 * total.get("element_sparsity").asDouble());
        assertTrue(html.contains("<td>" + colPct + "</td>"), "report shows results.json's column sparsity " + colPct);
        assertTrue(html.contains("<td>" + elemPct + "</td>"), "report shows results.json's element sparsity " + elemPct);
        String summary = Files.readString(out.resolve("summary.csv"));
        assertTrue(summary.contains("ddpm-mnist,conv,image,third-party," + elemPct + "," + colPct), summary);
    }

    @Test
    void resumeReusesFinishedStagesAndGivesTheSameResults(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        expect(0, args(out, "--format", "json"));
        JsonNode first = Json.MAPPER.readTree(out.resolve("results.json").toFile());
        // An interrupted run: the finished profile stage sits in the partial folder, nothing else.
        Path partial = dir.resolve("r.partial/stages");
        Files.createDirectories(partial);
        // The finished stage carries a marker value: resume must take it instead of recomputing.
        JsonNode profile = first.get("workloads").get(0).get("profile");
        ((com.fasterxml.jackson.databind.node.ObjectNode) profile).put("seconds", 12345.0);
        Files.writeString(partial.resolve("profile-ddpm-mnist.json"), Json.MAPPER.writeValueAsString(profile));
        expect(0, args(out, "--resume", "--format", "json"));
        JsonNode resumed = Json.MAPPER.readTree(out.resolve("results.json").toFile());
        assertEquals(12345.0, resumed.get("workloads").get(0).get("profile").get("seconds").asDouble(), "finished stage reused");
        assertEquals(first.get("workloads").get(0).get("profile").get("totals"), resumed.get("workloads").get(0).get("profile").get("totals"));
    }

    @Test
    void vitMnistRunsEveryStageItHasAndIsInTheDefaultRun(@TempDir Path dir) throws Exception {
        assertTrue(org.colsparse.denoiser.Denoisers.all().stream().anyMatch(w -> w.info().id().equals("vit-mnist")),
                "the default run is every built-in workload");
        Path out = dir.resolve("v");
        expect(0, "run", "--workload", "vit-mnist", "--samples", "1", "--steps", "2", "--buckets", "1", "--out", out.toString());
        JsonNode w = Json.MAPPER.readTree(out.resolve("results.json").toFile()).get("workloads").get(0);
        assertEquals("real third-party pretrained weights", w.get("weights").asText());
        assertEquals(5, w.get("accuracy").get("results").size(), "the five default thresholds");
        assertTrue(w.get("accuracy").get("results").get(0).has("ssim"), "image metrics");
        assertFalse(w.has("estimate"), "no full-size preset: no estimate or simulation");
        assertTrue(Files.readString(out.resolve("summary.csv")).contains("\nvit-mnist,pure-transformer,image,third-party,"));
        assertTrue(Files.size(out.resolve("samples/vit-mnist/samples.png")) > 0);
    }

    @Test
    void resumeRefusesAPartialRunMadeWithOtherOptions(@TempDir Path dir) throws Exception {
        Path partial = dir.resolve("r.partial/stages");
        Files.createDirectories(partial);
        Files.writeString(partial.resolve("options.txt"), "something else");
        String err = expect(2, args(dir.resolve("r"), "--resume"));
        assertTrue(err.contains("--resume"), err);
    }

    @Test
    void badOptionsFailBeforeAnyWork(@TempDir Path dir) {
        assertTrue(expect(2, "run", "--workload", "nope", "--out", dir.resolve("x").toString()).contains("unknown workload"));
        assertTrue(expect(2, "run", "--primary", "0.02", "--out", dir.resolve("x").toString()).contains("--primary"));
        assertTrue(expect(2, "run", "--array", "0x4", "--out", dir.resolve("x").toString()).contains("--array"));
        assertFalse(Files.exists(dir.resolve("x.partial")), "nothing written for bad options");
    }
}
