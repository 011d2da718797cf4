package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.colsparse.tensor.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regressions found by reviewing gemm, simulate, dram and shapes as a user would. */
class QaReviewTest {
    /** Exit code 2 and exactly one stderr line that contains {@code fragment}. */
    private static void badInput(String fragment, String... args) {
        CliRun r = CliRun.run(args);
        assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "one line expected: " + err);
        assertTrue(err.contains(fragment), err);
    }

    /**
     * 4 tokens x 8 channels: token 0 has channel 2 = 1, token 2 has channels 2 = 1 and 5 = 2,
     * token 3 has channel 7 = 0.5; everything else is 0.
     */
    private static Path handMask(Path dir) {
        float[] v = new float[32];
        v[2] = 1f;
        v[2 * 8 + 2] = 1f;
        v[2 * 8 + 5] = 2f;
        v[3 * 8 + 7] = 0.5f;
        Path p = dir.resolve("a.npy");
        NpyWriter.write(p, new long[] {4, 8}, v);
        return p;
    }

    @Test
    void skippingOnAHandMadeMaskMatchesHandCounts(@TempDir Path dir) throws Exception {
        String mask = handMask(dir).toString();
        // 2x2 array, n = 4 (2 column tiles).
        // os: row tiles {0,1} -> 1 non-zero column, {2,3} -> 3; 2 * (2+2+1-2) + 2 * (2+2+3-2) - 1 = 15;
        //     dense 2*2 folds * (2+2+8-2) - 1 = 39.
        // ws: channel slices {0,1} no token, {2,3} tokens 0,2, {4,5} token 2, {6,7} token 3:
        //     2 * ((4+2+2-2) + (4+2+1-2) + (4+2+1-2)) - 1 = 31; dense 4*2 folds * (4+2+4-2) - 1 = 63.
        // is: token tiles {0,1} -> 1 channel (1 fold), {2,3} -> 3 channels (2 folds): 3 * (4+2+4-2) - 1 = 23.
        long[][] expect = {{39, 15}, {63, 31}, {63, 23}};
        String[] dfs = {"os", "ws", "is"};
        for (int i = 0; i < 3; i++) {
            CliRun r = CliRun.run("gemm", "--mask", mask, "--n", "4", "--array", "2x2", "--dataflow", dfs[i], "--format", "json");
            assertEquals(0, r.code(), r.err());
            JsonNode l = Json.MAPPER.readTree(r.out()).get("layers").get(0);
            assertEquals(expect[i][0], l.get("compute_cycles").asLong(), dfs[i]);
            assertEquals(expect[i][1], l.get("cycles_with_skipping").asLong(), dfs[i]);
        }
        // tau = 1 is inclusive: channel 2 (= 1) and 7 (= 0.5) become near zero, only {2,3} keeps channel 5
        CliRun r = CliRun.run("gemm", "--mask", mask, "--n", "4", "--array", "2x2", "--threshold", "1", "--format", "json");
        assertEquals(5, Json.MAPPER.readTree(r.out()).get("layers").get(0).get("cycles_with_skipping").asLong());
    }

    @Test
    void maskedCsvNamesSkipUnitAndThresholdWithConsistentColumns(@TempDir Path dir) throws Exception {
        Path topo = dir.resolve("t.csv");
        Files.writeString(topo, "Layer, M, N, K\nup, 4, 8, 4\na, 4, 4, 8\n");
        handMask(dir);
        CliRun r = CliRun.run("gemm", "--topology", topo.toString(), "--mask-dir", dir.toString(), "--array", "2x2", "--format", "csv");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(3, lines.size(), r.out());
        assertTrue(lines.get(0).endsWith(",skip_unit,threshold"), lines.get(0));
        Set<Integer> widths = new HashSet<>();
        for (String l : lines) {
            widths.add(l.split(",", -1).length);
        }
        assertEquals(Set.of(13), widths, r.out());
        assertTrue(lines.get(2).endsWith(",column: channel x 2-token row tile,0.01"), lines.get(2));
    }

    @Test
    void absurdDimensionsAreBadInputNotNegativeCycles() {
        badInput("too large", "gemm", "--m", "2000000000", "--n", "2000000000", "--k", "2000000000");
        badInput("too large", "simulate", "--m", "2000000000", "--n", "2000000000", "--k", "2000000000");
        badInput("--batch: at most", "shapes", "--workload", "sd15", "--batch", "2000000000");
    }

    @Test
    void directoriesAndEmptyListsAreNamed(@TempDir Path dir) throws Exception {
        badInput("is a directory", "gemm", "--mask", dir.toString(), "--n", "4");
        badInput("is a directory", "simulate", "--mask", dir.toString(), "--n", "4");
        badInput("is a directory", "simulate", "--m", "8", "--n", "8", "--k", "8", "--config", dir.toString());
        badInput("is a directory", "simulate", "--m", "8", "--n", "8", "--k", "8", "--layout", "row-major", "--trace-out", dir.toString());
        badInput("empty layout name", "simulate", "--m", "8", "--n", "8", "--k", "8", "--layout", ",");
        Path trace = Files.writeString(dir.resolve("t.trace"), "LD 0x0\n");
        badInput("is a directory", "dram", "--trace", trace.toString(), "--config", dir.toString());
        badInput("no requests", "dram", "--trace", Files.writeString(dir.resolve("e.trace"), "").toString());
    }

    @Test
    void malformedAccelYamlIsOneLineWithPosition(@TempDir Path dir) throws Exception {
        Path bad = Files.writeString(dir.resolve("a.yaml"), "array: [1,2\n");
        badInput("a.yaml: not valid YAML at line 1", "simulate", "--m", "8", "--n", "8", "--k", "8", "--config", bad.toString());
        Path preset = Files.writeString(dir.resolve("p.yaml"), "dram:\n  preset: nope\n");
        badInput("p.yaml: dram.preset: unknown DRAM preset 'nope'", "simulate", "--m", "8", "--n", "8", "--k", "8", "--config", preset.toString());
    }

    @Test
    void traceOutReplacesAnExistingFileAndLeavesNoPartials(@TempDir Path dir) throws Exception {
        Path trace = Files.writeString(dir.resolve("run.trace"), "old contents\n");
        CliRun r = CliRun.run("simulate", "--m", "16", "--n", "16", "--k", "16", "--array", "16x16",
                "--layout", "row-major", "--trace-out", trace.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(trace);
        assertTrue(lines.size() > 1 && lines.stream().allMatch(l -> l.matches("(LD|ST) 0x[0-9a-f]+")), lines.toString());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(trace), s.toList());
        }
        // a repeated layout is simulated once, so one trace file, not two runs appended
        r = CliRun.run("simulate", "--m", "16", "--n", "16", "--k", "16", "--array", "16x16",
                "--layout", "row-major,row-major", "--trace-out", trace.toString(), "--format", "json");
        assertEquals(1, Json.MAPPER.readTree(r.out()).get("layers").size());
        assertEquals(lines, Files.readAllLines(trace));
    }

    @Test
    void sequentialTraceHitsOpenRowsRandomOneDoesNot(@TempDir Path dir) throws Exception {
        StringBuilder seq = new StringBuilder();
        StringBuilder rnd = new StringBuilder();
        java.util.Random g = new java.util.Random(1);
        for (int i = 0; i < 2048; i++) {
            seq.append("LD 0x").append(Long.toHexString(32L * i)).append('\n');
            rnd.append("LD 0x").append(Long.toHexString(32L * g.nextInt(1 << 25))).append('\n');
        }
        JsonNode s = Json.MAPPER.readTree(CliRun.run("dram", "--trace", Files.writeString(dir.resolve("s"), seq).toString(), "--format", "json").out());
        JsonNode x = Json.MAPPER.readTree(CliRun.run("dram", "--trace", Files.writeString(dir.resolve("r"), rnd).toString(), "--format", "json").out());
        assertEquals(2048, s.get("reads").asLong());
        assertTrue(s.get("row_hit_rate").asDouble() > 0.95, s.toString());
        assertTrue(x.get("row_hit_rate").asDouble() < 0.1, x.toString());
        assertTrue(s.get("bandwidth_gbps").asDouble() > 2 * x.get("bandwidth_gbps").asDouble());
    }

    @Test
    void commandListShowsAWholeSentencePerCommand() {
        CommandLine main = Main.commandLine();
        for (String c : List.of("shapes", "gemm", "simulate", "dram")) {
            String first = main.getSubcommands().get(c).getCommandSpec().usageMessage().description()[0];
            assertTrue(first.endsWith("."), c + ": " + first);
        }
    }

    @Test
    void everyFormatIsWellFormedAndRepeatable(@TempDir Path dir) throws Exception {
        Path mask = handMask(dir);
        Path topo = Files.writeString(dir.resolve("t.csv"), "Layer, M, N, K\nup, 4, 8, 4\na, 4, 4, 8\n");
        Path trace = Files.writeString(dir.resolve("x.trace"), "LD 0x0\nST 0x20\nLD 0x4000\nLD 0x40\n");
        List<List<String>> commands = List.of(
                List.of("inspect", mask.toString()),
                List.of("shapes", "--workload", "mld"),
                List.of("gemm", "--topology", topo.toString(), "--mask-dir", dir.toString(), "--array", "2x2"),
                List.of("simulate", "--topology", topo.toString(), "--mask-dir", dir.toString(), "--array", "2x2", "--layout", "tiled,compacted"),
                List.of("dram", "--trace", trace.toString()));
        for (List<String> c : commands) {
            for (String f : List.of("table", "json", "csv")) {
                String[] args = Stream.concat(c.stream(), Stream.of("--format", f)).toArray(String[]::new);
                CliRun a = CliRun.run(args);
                CliRun b = CliRun.run(args);
                String what = String.join(" ", args);
                assertEquals(0, a.code(), what + ": " + a.err());
                assertEquals(a.out(), b.out(), what);
                if (f.equals("json")) {
                    Json.MAPPER.readTree(a.out());
                } else if (f.equals("csv")) {
                    List<String> lines = a.out().lines().toList();
                    assertTrue(lines.size() >= 2, what);
                    int cols = lines.get(0).split(",", -1).length;
                    for (String l : lines) {
                        // no quoted commas in these outputs, so a plain split counts the cells
                        assertEquals(cols, l.split(",", -1).length, what + ": " + l);
                    }
                }
            }
        }
    }
}
