package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.colsparse.tensor.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulateCommandTest {
    /** 32 tokens x 64 channels; only channels 0..7 are ever active. */
    static Path writeMask(Path file) {
        float[] v = new float[32 * 64];
        for (int r = 0; r < 32; r++) {
            for (int c = 0; c < 8; c++) {
                v[r * 64 + c] = 0.5f;
            }
        }
        NpyWriter.write(file, new long[] {32, 64}, v);
        return file;
    }

    @Test
    void aLayerSlowerWithSkippingThanDenseIsExplained(@TempDir Path dir) throws Exception {
        // examples/masks/ffn_down.npy has 1 zero column of 256: it saves 1 compute cycle and, in row-major and tiled,
        // no burst, less than the skip bitmap costs; before issue 22 the table showed the slower run and said nothing
        CliRun r = CliRun.run("simulate", "--topology", "../examples/layers.csv", "--mask-dir", "../examples/masks", "--layout", "all");
        assertEquals(0, r.code(), r.err());
        String note = r.out().lines().filter(l -> l.startsWith("slower with skipping than dense: ")).findFirst().orElse("");
        assertTrue(note.startsWith("slower with skipping than dense: ffn_down: row-major +"), r.out());
        assertTrue(note.contains("skip bitmap") && note.contains("docs/simulator.md"), note);
        assertTrue(note.contains(", tiled +") && !note.contains("column-major") && !note.contains("compacted"),
                "column-major and compacted drop the zero column's bursts and are faster: " + note);
        // a mask whose zero columns save more than its bitmap costs (56 of 64 channels never active) gets no such line
        Path topo = dir.resolve("t.csv");
        Files.writeString(topo, "Layer, M, N, K,\nffn_down, 32, 16, 64,\n");
        Path masks = Files.createDirectory(dir.resolve("masks"));
        writeMask(masks.resolve("ffn_down.npy"));
        CliRun saving = CliRun.run("simulate", "--topology", topo.toString(), "--mask-dir", masks.toString(), "--layout", "all");
        assertEquals(0, saving.code(), saving.err());
        assertTrue(saving.out().lines().noneMatch(l -> l.startsWith("slower with skipping")), saving.out());
    }

    @Test
    void topologyWithMaskDirAllLayoutsJsonAndTraces(@TempDir Path dir) throws Exception {
        Path topo = dir.resolve("t.csv");
        Files.writeString(topo, "Layer, M, N, K,\nffn_up, 32, 64, 16,\nffn_down, 32, 16, 64,\n");
        Path masks = Files.createDirectory(dir.resolve("masks"));
        writeMask(masks.resolve("ffn_down.npy"));
        Path trace = dir.resolve("run.trace");
        CliRun r = CliRun.run("simulate", "--topology", topo.toString(), "--array", "16x16",
                "--mask-dir", masks.toString(), "--trace-out", trace.toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode j = Json.MAPPER.readTree(r.out());
        // the default samples repeated DRAM transfers, and the output says so
        assertTrue(j.get("config").get("dram_method").asText().startsWith("repeated DRAM transfers estimated"), r.out());
        // every layout (--layout all) x (2 dense layers + 1 masked layer)
        int layouts = org.colsparse.layout.LayoutKind.values().length;
        assertEquals(3 * layouts, j.get("layers").size());
        // per layout: TOTAL dense, TOTAL masked (whole call, only the consumer skips), CONSUMERS dense/masked
        assertEquals(4 * layouts, j.get("totals").size());
        long upDense = 0;
        long downMasked = 0;
        for (JsonNode l : j.get("layers")) {
            if (l.get("layout").asText().equals("tiled")) {
                if (l.get("name").asText().equals("ffn_up")) {
                    upDense = l.get("cycles").asLong();
                } else if (l.get("sparsity").asText().equals("skipping")) {
                    downMasked = l.get("cycles").asLong();
                }
            }
        }
        boolean checked = false;
        for (JsonNode t : j.get("totals")) {
            if (t.get("layout").asText().equals("tiled") && t.get("name").asText().equals("TOTAL") && t.get("sparsity").asText().equals("skipping")) {
                assertEquals(upDense + downMasked, t.get("cycles").asLong());
                checked = true;
            }
        }
        assertTrue(checked);
        long denseCompacted = -1;
        long maskedCompacted = -1;
        for (JsonNode l : j.get("layers")) {
            assertEquals(l.get("cycles").asLong(), l.get("compute_cycles").asLong() + l.get("stall_cycles").asLong());
            if (l.get("name").asText().equals("ffn_down") && l.get("layout").asText().equals("compacted")) {
                if (l.get("sparsity").asText().equals("skipping")) {
                    maskedCompacted = l.get("bytes_read").asLong();
                    // os on 16x16: 2 row tiles x 1 col tile, each streams 8 of 64 columns: 2 * (16 + 16 + 8 - 2) - 1
                    assertEquals(75, l.get("compute_cycles").asLong());
                } else {
                    denseCompacted = l.get("bytes_read").asLong();
                    assertEquals(2 * (16 + 16 + 64 - 2) - 1, l.get("compute_cycles").asLong());
                }
            }
        }
        assertTrue(maskedCompacted > 0 && maskedCompacted < denseCompacted, maskedCompacted + " vs " + denseCompacted);
        // one LoadStoreTrace per layout and sparsity, one line per 32-byte request
        Path t = dir.resolve("run.trace-compacted-skipping");
        List<String> lines = Files.readAllLines(t);
        long expected = 0;
        for (JsonNode l : j.get("layers")) {
            if (l.get("layout").asText().equals("compacted") && l.get("sparsity").asText().equals("skipping")) {
                expected += (l.get("bytes_read").asLong() + l.get("bytes_written").asLong()) / 32;
            }
        }
        assertEquals(expected, lines.size());
        assertTrue(lines.get(0).matches("(LD|ST) 0x[0-9a-f]+"), lines.get(0));
        assertTrue(Files.exists(dir.resolve("run.trace-row-major")));
        // traces are for other tools and people: created like any new file (the umask decides), not private
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(t));
    }

    @Test
    void singleGemmTableAndBadInput(@TempDir Path dir) throws Exception {
        CliRun r = CliRun.run("simulate", "--m", "32", "--n", "16", "--k", "64", "--array", "16x16", "--layout", "tiled");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("tiled") && r.out().contains("TOTAL"), r.out());
        assertEquals(2, CliRun.run("simulate", "--m", "32", "--n", "16", "--k", "64", "--layout", "diagonal").code());
        Path cfg = dir.resolve("a.yaml");
        Files.writeString(cfg, "array: 16x16\nsram: 12\n");
        CliRun bad = CliRun.run("simulate", "--m", "32", "--n", "16", "--k", "64", "--config", cfg.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("sram"), bad.err());
        Path mask = writeMask(dir.resolve("m.npy"));
        assertEquals(2, CliRun.run("simulate", "--m", "16", "--n", "16", "--k", "64", "--mask", mask.toString()).code());
    }

    @Test
    void gemmWithMaskReportsSkippedCycles(@TempDir Path dir) throws Exception {
        Path mask = writeMask(dir.resolve("m.npy"));
        // M and K come from the mask (32 x 64)
        CliRun r = CliRun.run("gemm", "--n", "16", "--array", "16x16", "--mask", mask.toString(), "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode l = Json.MAPPER.readTree(r.out()).get("layers").get(0);
        assertEquals(32, l.get("m").asLong());
        assertEquals(64, l.get("k").asLong());
        assertEquals(2 * (16 + 16 + 64 - 2) - 1, l.get("compute_cycles").asLong());
        assertEquals(75, l.get("cycles_with_skipping").asLong());
        assertEquals(187 - 75, l.get("cycles_saved").asLong());
        assertEquals(1 - 75.0 / 187, l.get("cycle_reduction").asDouble(), 1e-12);
        // a 0.6 threshold makes every element near zero: nothing left to compute
        CliRun z = CliRun.run("gemm", "--n", "16", "--array", "16x16", "--mask", mask.toString(), "--threshold", "0.6", "--format", "json");
        assertEquals(0, Json.MAPPER.readTree(z.out()).get("layers").get(0).get("cycles_with_skipping").asLong());
    }

    @Test
    void shapesCsvIsATopologyWithMasksByLayerName(@TempDir Path dir) throws Exception {
        CliRun shapes = CliRun.run("shapes", "--workload", "mld", "--format", "csv");
        assertEquals(0, shapes.code(), shapes.err());
        Path topo = Files.writeString(dir.resolve("mld.csv"), shapes.out());
        List<String> rows = shapes.out().lines().skip(1).filter(l -> !l.isBlank()).toList();
        String consumer = rows.stream().filter(l -> !l.split(",", -1)[5].isEmpty()).findFirst().orElseThrow();
        String[] f = consumer.split(",", -1);
        int m = Integer.parseInt(f[1]);
        int k = Integer.parseInt(f[2]);
        float[] v = new float[m * k];
        java.util.Arrays.fill(v, 0, v.length / 2, 0.5f);
        Path masks = Files.createDirectory(dir.resolve("masks"));
        NpyWriter.write(masks.resolve(f[0] + ".npy"), new long[] {m, k}, v);
        CliRun r = CliRun.run("simulate", "--topology", topo.toString(), "--mask-dir", masks.toString(),
                "--layout", "row-major", "--array", "16x16", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode layers = Json.MAPPER.readTree(r.out()).get("layers");
        assertEquals(rows.size() + 1, layers.size());
        boolean masked = false;
        for (JsonNode l : layers) {
            if (l.get("sparsity").asText().equals("skipping")) {
                assertEquals(f[0], l.get("name").asText());
                assertEquals(Long.parseLong(f[3]), l.get("n").asLong());
                masked = true;
            }
        }
        assertTrue(masked);
    }

    @Test
    void exactRunSaysItSimulatedEveryRequest(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("accel.yaml");
        Files.writeString(cfg, "dram: {sample_repeats: 0}\n");
        CliRun r = CliRun.run("simulate", "--m", "64", "--k", "64", "--n", "64", "--array", "16x16", "--layout", "row-major",
                "--config", cfg.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("; every DRAM request simulated"), r.out());
    }

    /** The --layout help of simulate and run comes from the enum (picocli's completion candidates): today's four as they were typed out, then any added. */
    @Test
    void layoutHelpListsTheLayouts() {
        for (String command : new String[] {"simulate", "run"}) {
            String help = CliRun.run(command, "--help").out().replaceAll("\\s+", " ");
            org.junit.jupiter.api.Assertions.assertTrue(help.contains("--layout=LAYOUTS " + org.colsparse.layout.LayoutKind.names() + ", a comma list, or all (default: all)")
                            && help.contains("--layout=LAYOUTS row-major, column-major, tiled, compacted,"),
                    command + ": " + help);
        }
    }
}
