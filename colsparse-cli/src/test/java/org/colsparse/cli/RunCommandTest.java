package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.colsparse.pipeline.RecordedMasks;

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
        assertEquals(out.resolve("results.json").toString(), printed.get("results").asText(), "--format json prints the summary, not results.json");
        JsonNode saved = Json.MAPPER.readTree(out.resolve("results.json").toFile());
        assertFalse(Files.exists(dir.resolve("results.partial")), "the partial folder is renamed into place");
        for (String f : new String[] {"report.html", "summary.csv", "sites.csv", "figures/sparsity.png", "figures/tile-height.png",
                "figures/activity-ddpm-mnist.png", "figures/cycles.png", "samples/ddpm-mnist/samples.png",
                "samples/accuracy/ddpm-mnist/dense/samples.png", "samples/accuracy/ddpm-mnist/tau-0.01/samples.png"}) {
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
        JsonNode row = printed.get("summary").get(0);
        assertEquals(total.get("column_sparsity").asDouble(), row.get("col_sparsity").asDouble(), "the printed summary holds numbers");
        String html = Files.readString(out.resolve("report.html"));
        String colPct = String.format(Locale.ROOT, "%.2f%%", 100 * total.get("column_sparsity").asDouble());
        String elemPct = String.format(Locale.ROOT, "%.2f%%", 100 * total.get("element_sparsity").asDouble());
        assertTrue(html.contains(">" + colPct + "</td>"), "report shows results.json's column sparsity " + colPct);
        assertTrue(html.contains(">" + elemPct + "</td>"), "report shows results.json's element sparsity " + elemPct);
        List<String> csv = Files.readAllLines(out.resolve("summary.csv"));
        assertTrue(csv.get(1).startsWith("ddpm-mnist,image,third-party," + total.get("element_sparsity").asDouble() + ","
                + total.get("column_sparsity").asDouble() + ","), "summary.csv holds plain numbers: " + csv.get(1));
        ReportPage.check(out.resolve("report.html"), List.of("sparsity.png", "tile-height.png", "over-steps.png", "activity-ddpm-mnist.png",
                "cycles.png", "accuracy.png"), List.of("Summary", "Taxonomy vs layout", "Accuracy: task metrics and samples",
                "Simulated cycles, DRAM traffic and row hits per layout", "Analytic estimate per dataflow and per GEMM"));
    }

    /**
     * An interrupted run: the finished profile stage of {@code first} sits in r.partial, nothing
     * else, with a marker value (seconds = 12345) that shows whether resume took it or recomputed.
     */
    private static Path partialWithMarkedProfile(Path dir, JsonNode first) throws java.io.IOException {
        Path partial = dir.resolve("r.partial/stages");
        Files.createDirectories(partial);
        JsonNode profile = first.get("workloads").get(0).get("profile");
        ((com.fasterxml.jackson.databind.node.ObjectNode) profile).put("seconds", 12345.0);
        Files.writeString(partial.resolve("profile-ddpm-mnist.json"), Json.MAPPER.writeValueAsString(profile));
        return partial;
    }

    @Test
    void resumeReusesFinishedStagesAndGivesTheSameResults(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        expect(0, args(out, "--format", "json"));
        JsonNode first = Json.MAPPER.readTree(out.resolve("results.json").toFile());
        partialWithMarkedProfile(dir, first);
        Files.createDirectories(dir.resolve("r.partial/masks"));
        Files.copy(out.resolve("masks/ddpm-mnist.npz"), dir.resolve("r.partial/masks/ddpm-mnist.npz"));
        expect(0, args(out, "--resume", "--format", "json"));
        JsonNode resumed = Json.MAPPER.readTree(out.resolve("results.json").toFile());
        assertEquals(12345.0, resumed.get("workloads").get(0).get("profile").get("seconds").asDouble(), "finished stage reused");
        assertEquals(first.get("workloads").get(0).get("profile").get("totals"), resumed.get("workloads").get(0).get("profile").get("totals"));
    }

    @Test
    void vitMnistRunsEveryStageItHasAndIsInTheDefaultRun(@TempDir Path dir) throws Exception {
        assertTrue(org.colsparse.catalog.Catalog.shipped().stream().anyMatch(w -> w.info().id().equals("vit-mnist")),
                "the default run is every built-in workload");
        Path out = dir.resolve("v");
        expect(0, "run", "--workload", "vit-mnist", "--samples", "1", "--steps", "2", "--buckets", "1", "--out", out.toString());
        JsonNode w = Json.MAPPER.readTree(out.resolve("results.json").toFile()).get("workloads").get(0);
        assertEquals("real third-party pretrained weights", w.get("weights").asText());
        assertEquals(5, w.get("accuracy").get("results").size(), "the five default thresholds");
        assertTrue(w.get("accuracy").get("results").get(0).has("ssim"), "image metrics");
        // estimate and simulation run on its own recorded GEMMs; with no full-size preset there is no projection
        assertTrue(w.get("estimate").get("projection").isNull());
        assertTrue(w.get("simulate").get("gemms_per_call").asInt() > 0);
        // the author's sampler runs the two guidance branches as separate calls: 20 rows each, recorded one by one
        RecordedMasks masks = RecordedMasks.read(out.resolve(w.get("profile").get("masks_file").asText()));
        assertEquals(20, masks.calls().get(0).masks().get("transformer.0.gelu").rows());
        assertTrue(Files.readString(out.resolve("summary.csv")).contains("\nvit-mnist,image,third-party,"));
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
    void resumeRecomputesAProfileWhoseMasksAreMissing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        expect(0, args(out, "--format", "json"));
        JsonNode first = Json.MAPPER.readTree(out.resolve("results.json").toFile());
        Path partial = partialWithMarkedProfile(dir, first);
        Files.writeString(partial.resolve("options.txt"), Files.readString(out.resolve("stages/options.txt")));
        CliRun r = CliRun.run(args(out, "--resume", "--format", "json"));
        assertEquals(0, r.code(), r.err());
        JsonNode resumed = Json.MAPPER.readTree(out.resolve("results.json").toFile());
        assertTrue(resumed.get("workloads").get(0).get("profile").get("seconds").asDouble() != 12345.0, "profile recomputed");
        assertFalse(r.err().contains("reused the finished stage profile"), r.err());
        // a partial run made with other options: the refusal names them as the command line does
        String options = Files.readString(out.resolve("stages/options.txt"));
        assertTrue(options.contains("\nlayout=row-major\n") && !options.contains("AccelConfig[") && !options.contains("ROW_MAJOR"), options);
        Files.createDirectories(partial);
        Files.writeString(partial.resolve("options.txt"), options);
        String err = expect(2, args(out, "--resume", "--seed", "1"));
        assertTrue(err.contains("(--seed was 0, now 1)"), err);
    }

    @Test
    void estimateAndSimulationReplayTheRecordedMasks(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        expect(0, args(out, "--format", "json", "--mask-calls", "2"));
        String text = Files.readString(out.resolve("results.json"));
        assertFalse(text.toLowerCase(Locale.ROOT).contains("synthetic"), "no synthetic mask anywhere in the results");
        JsonNode w = Json.MAPPER.readTree(text).get("workloads").get(0);
        assertEquals(2, w.get("estimate").get("calls").asInt());
        assertEquals(List.of(0, 1), Json.MAPPER.convertValue(w.get("profile").get("mask_steps"), List.class));
        // the masks file holds what the profile saw: its zero columns at R equal the call's share of the profile's count
        RecordedMasks masks = RecordedMasks.read(out.resolve(w.get("profile").get("masks_file").asText()));
        assertEquals(2, masks.calls().size());
        assertEquals(784, masks.calls().get(0).masks().get("blocks.1.gelu").rows());
        boolean consumer = false;
        for (JsonNode g : w.get("estimate").get("gemms")) {
            if (g.get("consumes_site").asText().equals("blocks.1.gelu")) {
                consumer = true;
                assertTrue(g.get("cycles_with_skipping_os").asDouble() <= g.get("dense_cycles_os").asDouble());
            }
        }
        assertTrue(consumer, "the conv after blocks.1.gelu is its consumer");
        // the simulation covers every GEMM of a whole call, dense and with the real masks
        assertEquals(masks.gemms().size(), w.get("simulate").get("gemms_per_call").asInt());
        assertEquals(2, w.get("simulate").get("results").size(), "row-major dense and with skipping");
    }

    @Test
    void timeMlpConsumersRunDenseInTheHeadlineCyclesAndAreReportedBeside(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        expect(0, args(out, "--format", "json", "--mask-calls", "2"));
        JsonNode w = Json.MAPPER.readTree(out.resolve("results.json").toFile()).get("workloads").get(0);
        JsonNode e = w.get("estimate");
        double calls = e.get("calls").asDouble();
        double headlineDense = 0;
        double headlineSkip = 0;
        double otherDense = 0;
        int timeMlp = 0;
        for (JsonNode g : e.get("gemms")) {
            String role = g.get("consumes_role").asText();
            if (role.equals("time-mlp")) {
                timeMlp++;
                otherDense += g.get("dense_cycles_os").asDouble() * calls;
                // before issue 22 gt.time_embed.2/4/6 (m = 1) skipped inside the headline
                assertEquals(g.get("dense_cycles_os").asDouble(), g.get("cycles_with_skipping_os").asDouble(), g.get("name").asText());
            } else if (!role.isEmpty()) {
                headlineDense += g.get("dense_cycles_os").asDouble() * calls;
                headlineSkip += g.get("cycles_with_skipping_os").asDouble() * calls;
            }
        }
        assertEquals(3, timeMlp, "ddpm-mnist's time MLP has three GELU consumers");
        JsonNode os = e.get("dataflows").get(0);
        assertEquals("os", os.get("dataflow").asText());
        assertEquals(headlineDense, os.get("consumer_dense_cycles").asDouble(), 1e-6, "consumers = headline consumers only");
        assertEquals(headlineSkip, os.get("consumer_cycles_with_skipping").asDouble(), 1e-6);
        assertEquals(otherDense, os.get("other_consumer_dense_cycles").asDouble(), 1e-6);
        assertTrue(os.get("other_consumer_cycles_with_skipping").asDouble() < otherDense,
                "the time-MLP masks do hold near-zero elements: what skipping them would save is reported beside");
        // the simulation: headline totals with the time-MLP consumers dense, the time-MLP consumers alone beside
        JsonNode other = w.get("simulate").get("other_consumers");
        assertEquals(2, other.size(), "row-major dense and skipping, time-MLP consumers alone");
        assertTrue(other.get(1).get("skipping").asBoolean());
        assertTrue(other.get(1).get("compute_cycles").asLong() < other.get(0).get("compute_cycles").asLong());
        JsonNode dense = w.get("simulate").get("results").get(0);
        JsonNode skipping = w.get("simulate").get("results").get(1);
        assertEquals(calls, dense.get("calls").asDouble(), "both replay the two recorded calls");
        assertEquals(headlineDense - headlineSkip, dense.get("compute_cycles").asLong() - skipping.get("compute_cycles").asLong(), 1e-6,
                "the simulated compute saving is the headline consumers' saving alone");
    }

    @Test
    void runCharacterizesAUsersFullSizeCheckpoint(@TempDir Path dir) throws Exception {
        // the smallest official architecture (MLD, 8.3M parameters) with seeded random weights in its official key layout
        Path ckpt = dir.resolve("mld.safetensors");
        java.util.Random rnd = new java.util.Random(3);
        org.colsparse.train.SafetensorsWriter sw = new org.colsparse.train.SafetensorsWriter();
        try (ai.djl.ndarray.NDManager m = org.colsparse.runtime.Torch.manager();
             org.colsparse.denoiser.full.FullMld net = new org.colsparse.denoiser.full.FullMld(m, org.colsparse.denoiser.full.FullMld.Config.humanml3d())) {
            net.params().spec().forEach((name, shape) -> {
                float[] v = new float[Math.toIntExact(new ai.djl.ndarray.types.Shape(shape).size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (0.05 * rnd.nextGaussian());
                }
                sw.put("state_dict." + name, v, shape);
            });
        }
        sw.write(ckpt, false);
        Path text = dir.resolve("text.npy");
        Path nul = dir.resolve("null.npy");
        float[] t = new float[768];
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) rnd.nextGaussian();
        }
        try (org.colsparse.tensor.NpyWriter wr = org.colsparse.tensor.NpyWriter.create(text, org.colsparse.tensor.DType.F32, new long[] {1, 768})) {
            wr.writeFloats(t, 0, t.length).commit();
        }
        try (org.colsparse.tensor.NpyWriter wr = org.colsparse.tensor.NpyWriter.create(nul, org.colsparse.tensor.DType.F32, new long[] {768})) {
            wr.writeFloats(new float[768], 0, 768).commit();
        }
        Path out = dir.resolve("r");
        CliRun r = CliRun.run("run", "--workload", "mld", "--preset", "full", "--checkpoint", ckpt.toString(), "--cond", "text=" + text,
                "--cond", "null_text=" + nul, "--samples", "1", "--steps", "3", "--buckets", "1", "--layout", "row-major",
                "--mask-calls", "2", "--sim-calls", "1", "--threshold", "0.01,0.1", "--max-token-rows", "4", "--out", out.toString(),
                "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode w = Json.MAPPER.readTree(out.resolve("results.json").toFile()).get("workloads").get(0);
        assertEquals("full", w.get("preset").asText());
        assertTrue(w.get("weights").asText().contains("mld.safetensors"));
        int sites = 0;
        for (JsonNode site : w.get("profile").get("sites")) {
            if (site.get("threshold").asDouble() == 0.01 && site.get("tile_rows").asInt() == 128) {
                sites++;
            }
        }
        assertEquals(9, sites, "MLD's nine FFN sites");
        // 3 tokens x the CFG pair = 6 rows per call: above --max-token-rows 4, so not token-limited
        for (JsonNode v : w.get("profile").get("total_verdicts")) {
            assertFalse(v.get("verdict").asText().equals("token-limited"), v.toString());
        }
        assertTrue(w.get("estimate").get("projection").isNull(), "a full-size profile needs no projection");
        assertTrue(Files.exists(out.resolve("report.html")));
    }

    @Test
    void badOptionsFailBeforeAnyWork(@TempDir Path dir) {
        assertTrue(expect(2, "run", "--workload", "nope", "--out", dir.resolve("x").toString()).contains("unknown workload"));
        assertTrue(expect(2, "run", "--primary", "0.02", "--out", dir.resolve("x").toString()).contains("--primary"));
        assertTrue(expect(2, "run", "--array", "0x4", "--out", dir.resolve("x").toString()).contains("--array"));
        assertFalse(Files.exists(dir.resolve("x.partial")), "nothing written for bad options");
    }
}
