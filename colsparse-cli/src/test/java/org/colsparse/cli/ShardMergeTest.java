package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.colsparse.cli.CliRun.expect;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * profile, accuracy and run split into N = 1, 2, 3 shards and merged give the unsharded command's
 * output: the same printed JSON and results.json apart from timings, and byte for byte the same
 * masks, pictures and CSV tables.
 */
class ShardMergeTest {
    @BeforeAll
    static void home() {
        System.setProperty("colsparse.home", "..");
    }

    /** Three samples: with N = 2 one shard runs two, with N = 3 every shard one. */
    private static final String[] PROFILE = {"profile", "--workload", "ddpm-mnist", "--samples", "3", "--steps", "2", "--buckets", "2",
            "--threshold", "0.01,0.05", "--tile-rows", "8,32"};
    private static final String[] ACCURACY = {"accuracy", "--workload", "ddpm-mnist", "--workload", "mld", "--samples", "3", "--steps", "2",
            "--threshold", "0.01,0.1"};
    private static final String[] RUN = {"run", "--workload", "ddpm-mnist", "--samples", "3", "--steps", "2", "--buckets", "2",
            "--array", "32x32", "--layout", "row-major", "--sim-calls", "1"};
    /** An ONNX graph and its card: the shards carry --model and --model-card as they carry --workload. */
    private static final String[] RUN_ONNX = {"run", "--model", "../colsparse-models/src/test/resources/onnx/vit-mnist/vit-mnist.onnx",
            "--model-card", "../colsparse-models/src/test/resources/onnx/vit-mnist/card.yaml", "--samples", "3", "--steps", "2", "--buckets", "2",
            "--array", "32x32", "--layout", "row-major", "--sim-calls", "1"};

    /** What a test checks beyond results.json and the other files of each merged run. */
    private interface PrintedCheck {
        void check(int n, JsonNode expected, JsonNode got, Path single, Path merged) throws Exception;
    }

    /**
     * Runs {@code cmd} unsharded into single/, then as N = 1, 2, 3 shards merged into merged-N/:
     * each merge must print what the single run printed ({@code printed}), write the same
     * results.json apart from timings, and byte for byte the same other files but {@code except}.
     */
    private static void shardsMergeIntoTheSingleRun(Path dir, String[] cmd, PrintedCheck printed, String... except) throws Exception {
        Path single = dir.resolve("single");
        JsonNode expected = withoutTimings(expect(0, with(cmd, "--out", single.toString(), "--format", "json")));
        for (int n = 1; n <= 3; n++) {
            Path merged = dir.resolve("merged-" + n);
            JsonNode got = withoutTimings(merge(runShards(cmd, n, dir.resolve("shards-" + n)), merged));
            printed.check(n, expected, got, single, merged);
            assertEquals(withoutTimings(Files.readString(single.resolve("results.json"))),
                    withoutTimings(Files.readString(merged.resolve("results.json"))), n + " shards: results.json");
            assertSameFiles(single, merged, except);
        }
    }

    @Test
    void profileShardsMergeIntoTheUnshardedProfile(@TempDir Path dir) throws Exception {
        shardsMergeIntoTheSingleRun(dir, PROFILE,
                (n, expected, got, single, merged) -> assertEquals(expected, got, n + " shards: printed JSON"), "results.json");
    }

    @Test
    void accuracyShardsMergeIntoTheUnshardedSweep(@TempDir Path dir) throws Exception {
        shardsMergeIntoTheSingleRun(dir, ACCURACY, (n, expected, got, single, merged) -> assertEquals(expected, got,
                n + " shards: printed JSON (relative L2, PSNR, MPJPE, ... pooled over all samples)"), "results.json");
    }

    @Test
    void runShardsMergeIntoTheUnshardedReport(@TempDir Path dir) throws Exception {
        runShardsMerge(dir, RUN);
    }

    @Test
    void onnxRunShardsMergeIntoTheUnshardedReport(@TempDir Path dir) throws Exception {
        runShardsMerge(dir, RUN_ONNX);
    }

    private static void runShardsMerge(Path dir, String[] cmd) throws Exception {
        shardsMergeIntoTheSingleRun(dir, cmd, (n, expected, got, single, merged) -> {
            // run --format json prints the summary rows and where results.json lies (another folder here)
            assertEquals(expected.get("summary"), got.get("summary"), n + " shards: printed JSON");
            // the report prints the profile's sampling time ("seed 0, 0.3 s;"): every other character must agree
            assertEquals(Files.readString(single.resolve("report.html")).replaceAll("[0-9.]+ s([;<])", "# s$1"),
                    Files.readString(merged.resolve("report.html")).replaceAll("[0-9.]+ s([;<])", "# s$1"), n + " shards: report.html");
        }, "results.json", "report.html", "stages/");
    }

    @Test
    void aMissingShardIsNamedAndCanBeRerunAlone(@TempDir Path dir) throws Exception {
        Path shards = dir.resolve("shards");
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            expect(0, with(PROFILE, "--shard", i + "/3", "--out", shards.toString()));
            parts.add(shards.resolve("shard-" + i + "-of-3.npz").toString());
        }
        List<String> args = new ArrayList<>(List.of("merge"));
        args.addAll(parts);
        args.addAll(List.of("--out", dir.resolve("merged").toString()));
        String err = expect(2, args.toArray(String[]::new));
        assertOneLine(err);
        assertTrue(err.contains("shard 2/3 missing (present: 0/3 " + parts.get(0) + ", 1/3 " + parts.get(1) + ")"), err);
        assertFalse(Files.exists(dir.resolve("merged")), "nothing is written when a shard is missing");

        expect(0, with(PROFILE, "--shard", "2/3", "--out", shards.toString()));
        parts.add(shards.resolve("shard-2-of-3.npz").toString());
        CliRun merged = CliRun.run(mergeArgs(parts, dir.resolve("merged"), "json"));
        assertEquals(0, merged.code(), merged.err());
        assertTrue(merged.err().contains("colsparse: merge: profile, shards present: 0/3 " + parts.get(0) + ", 1/3 " + parts.get(1)
                + ", 2/3 " + parts.get(2)), merged.err());
        Path single = dir.resolve("single");
        assertEquals(withoutTimings(expect(0, with(PROFILE, "--out", single.toString(), "--format", "json"))), withoutTimings(merged.out()));
        assertSameFiles(single, dir.resolve("merged"), "results.json");
    }

    @Test
    void aShardWithoutSamplesContributesNothing(@TempDir Path dir) throws Exception {
        String[] one = {"profile", "--workload", "ddpm-mnist", "--samples", "1", "--steps", "2"};
        Path single = dir.resolve("single");
        JsonNode expected = withoutTimings(expect(0, with(one, "--out", single.toString(), "--format", "json")));
        Path merged = dir.resolve("merged");
        assertEquals(expected, withoutTimings(merge(runShards(one, 2, dir.resolve("shards")), merged)), "shard 1/2 of 1 sample is empty");
        assertSameFiles(single, merged, "results.json");
    }

    @Test
    void duplicatedMismatchedAndForeignShardsAreRefusedWithOneLine(@TempDir Path dir) throws Exception {
        String[] small = {"profile", "--workload", "ddpm-mnist", "--samples", "2", "--steps", "1"};
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        expect(0, with(small, "--shard", "0/2", "--out", a.toString()));
        expect(0, with(small, "--shard", "1/2", "--out", a.toString()));
        expect(0, with(small, "--shard", "1/2", "--seed", "7", "--out", b.toString()));
        expect(0, with(small, "--shard", "1/3", "--out", b.toString()));
        expect(0, with(new String[] {"accuracy", "--workload", "ddpm-mnist", "--samples", "2", "--steps", "1", "--threshold", "0.01"},
                "--shard", "1/2", "--out", dir.resolve("c").toString()));
        String s0 = a.resolve("shard-0-of-2.npz").toString();
        String s1 = a.resolve("shard-1-of-2.npz").toString();
        Path copy = dir.resolve("copy-of-1.npz");
        Files.copy(Path.of(s1), copy);
        Path out = dir.resolve("merged");

        String err = expect(2, mergeArgs(List.of(s0, s1, copy.toString()), out, "table"));
        assertOneLine(err);
        assertTrue(err.contains("shard 1/2 given twice: " + s1 + ", " + copy), err);

        String seeded = b.resolve("shard-1-of-2.npz").toString();
        err = expect(2, mergeArgs(List.of(s0, seeded), out, "table"));
        assertOneLine(err);
        assertTrue(err.contains(seeded + " was made with other options than " + s0 + " (seed 7 vs 0)"), err);

        String ofThree = b.resolve("shard-1-of-3.npz").toString();
        err = expect(2, mergeArgs(List.of(s0, ofThree), out, "table"));
        assertOneLine(err);
        assertTrue(err.contains(ofThree + " is shard 1/3, " + s0 + " shard 0/2"), err);

        String accuracy = dir.resolve("c/shard-1-of-2.npz").toString();
        err = expect(2, mergeArgs(List.of(s0, accuracy), out, "table"));
        assertOneLine(err);
        assertTrue(err.contains(accuracy + " is a shard of 'accuracy', " + s0 + " of 'profile'"), err);

        Path older = dir.resolve("older.npz");
        rewriteHeader(Path.of(s1), older, "\"colsparse 0.1.0\"", "\"colsparse 0.0.9\"");
        err = expect(2, mergeArgs(List.of(s0, older.toString()), out, "table"));
        assertOneLine(err);
        assertTrue(err.contains(older + " was written by colsparse 0.0.9, this is colsparse 0.1.0"), err);

        String notAShard = "../colsparse-core/src/test/resources/fixtures/tiny_mlp_2d.pth";
        err = expect(2, mergeArgs(List.of(s0, notAShard), out, "table"));
        assertOneLine(err);
        assertTrue(err.contains(notAShard + ": not a colsparse shard state file"), err);

        err = expect(2, mergeArgs(List.of(s0, s1), a, "table"));
        assertOneLine(err);
        assertTrue(err.contains("--out: " + a + " holds the shard file " + s0), err);
        assertFalse(Files.exists(out));
    }

    @Test
    void badShardOptionsAreRefusedWithOneLine() {
        for (String bad : new String[] {"2/2", "x", "1/0", "-1/2", "1/2/3"}) {
            String err = expect(2, "profile", "--samples", "1", "--steps", "1", "--shard", bad, "--out", "unused");
            assertOneLine(err);
            assertTrue(err.contains("--shard: expected I/N with 0 <= I < N (shard I of N, numbered from 0), got '" + bad + "'"), err);
        }
        String err = expect(2, "profile", "--samples", "1", "--steps", "1", "--shard", "0/2");
        assertOneLine(err);
        assertTrue(err.contains("--shard: needs --out"), err);
        err = expect(2, "accuracy", "--samples", "1", "--steps", "1", "--shard", "0/2");
        assertTrue(err.contains("--shard: needs --out"), err);
        err = expect(2, "run", "--workload", "ddpm-mnist", "--shard", "0/2", "--resume", "--out", "unused");
        assertOneLine(err);
        assertTrue(err.contains("--resume: a shard is rerun whole"), err);
    }

    @Test
    void theStateFileHoldsTheShardsSamplesAsDocumented(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 2; i++) {
            expect(0, with(PROFILE, "--shard", i + "/2", "--out", dir.toString()));
        }
        try (org.colsparse.tensor.TensorSource first = org.colsparse.tensor.TensorSources.open(dir.resolve("shard-0-of-2.npz"));
             org.colsparse.tensor.TensorSource second = org.colsparse.tensor.TensorSources.open(dir.resolve("shard-1-of-2.npz"))) {
            JsonNode h = header(first);
            assertEquals("colsparse-shard/1", h.get("format").asText());
            assertEquals("colsparse 0.1.0", h.get("colsparse").asText());
            assertEquals("profile", h.get("command").asText());
            assertEquals(0, h.get("shard").asInt());
            assertEquals(2, h.get("shards").asInt());
            assertTrue(h.get("fingerprint").asText().contains("samples=3\n"), h.get("fingerprint").asText());
            assertEquals(List.of("--workload", "ddpm-mnist", "--samples", "3", "--steps", "2", "--buckets", "2", "--threshold", "0.01,0.05",
                    "--tile-rows", "8,32"), Arrays.asList(Json.MAPPER.treeToValue(h.get("args"), String[].class)), "--shard and --out are not kept");
            JsonNode p0 = h.get("workloads").get(0).get("profile");
            assertEquals("[0,2]", p0.get("samples").toString(), "shard 0 of 2 runs samples 0 and 2 of 3");
            assertEquals("[1]", header(second).get("workloads").get(0).get("profile").get("samples").toString());
            assertEquals(2, p0.get("calls").size(), "sample 0's calls at steps 0 and 1 are recorded");
            assertEquals(0, header(second).get("workloads").get(0).get("profile").get("calls").size(), "shard 1 has no sample 0");
            // blocks.0.gelu in bucket 0 (step 0): 784 rows (28 x 28) in one call per sample
            long[] c0 = longs(first, "ddpm-mnist/profile/counts/0/0");
            long[] c1 = longs(second, "ddpm-mnist/profile/counts/0/0");
            assertArrayEquals(new long[] {2 * 784, 2}, Arrays.copyOf(c0, 2), "rows, calls of samples 0 and 2");
            assertArrayEquals(new long[] {784, 1}, Arrays.copyOf(c1, 2), "rows, calls of sample 1");
            assertEquals("[1, 1, 28, 28]", Arrays.toString(first.data("ddpm-mnist/profile/output/2").info().shape()));
            TreeSet<String> names = new TreeSet<>();
            second.tensors().forEach(t -> names.add(t.name()));
            assertTrue(names.contains("ddpm-mnist/profile/output/1") && !names.contains("ddpm-mnist/profile/output/0"), names.toString());
            assertTrue(names.stream().noneMatch(s -> s.contains("/masks/")), "masks only in the shard that ran sample 0");
        }
    }

    // ---- helpers

    private static String[] with(String[] base, String... extra) {
        String[] a = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, a, base.length, extra.length);
        return a;
    }

    /** Runs shards 0..n-1 of {@code command}, returns their state files. */
    private static List<String> runShards(String[] command, int n, Path shards) {
        List<String> parts = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            expect(0, with(command, "--shard", i + "/" + n, "--out", shards.toString()));
            parts.add(shards.resolve("shard-" + i + "-of-" + n + ".npz").toString());
        }
        return parts;
    }

    private static String[] mergeArgs(List<String> parts, Path out, String format) {
        List<String> a = new ArrayList<>(List.of("merge"));
        a.addAll(parts);
        a.addAll(List.of("--out", out.toString(), "--format", format));
        return a.toArray(String[]::new);
    }

    private static String merge(List<String> parts, Path out) {
        return expect(0, mergeArgs(parts, out, "json"));
    }

    /** The JSON without its timings: every "seconds" and "dense_seconds" field, at any depth. */
    private static JsonNode withoutTimings(String json) throws IOException {
        JsonNode n = Json.MAPPER.readTree(json);
        strip(n);
        return n;
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove(List.of("seconds", "dense_seconds"));
            o.forEach(ShardMergeTest::strip);
        } else if (n instanceof ArrayNode a) {
            a.forEach(ShardMergeTest::strip);
        }
    }

    /** Every file under {@code a} is under {@code b} and vice versa, byte for byte equal unless its path starts with one of {@code except}. */
    private static void assertSameFiles(Path a, Path b, String... except) throws IOException {
        List<String> fa = files(a);
        assertEquals(fa, files(b));
        for (String f : fa) {
            if (Stream.of(except).noneMatch(f::startsWith)) {
                assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f);
            }
        }
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static void assertOneLine(String err) {
        assertEquals(1, err.strip().split("\n").length, err);
    }

    private static JsonNode header(org.colsparse.tensor.TensorSource src) throws IOException {
        var d = src.data("header");
        double[] v = new double[(int) d.info().elementCount()];
        d.readDoubles(0, v, 0, v.length);
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return Json.MAPPER.readTree(b);
    }

    private static long[] longs(org.colsparse.tensor.TensorSource src, String name) {
        var d = src.data(name);
        double[] v = new double[(int) d.info().elementCount()];
        d.readDoubles(0, v, 0, v.length);
        return Arrays.stream(v).mapToLong(x -> (long) x).toArray();
    }

    /**
     * Copies a state file with one text of its header JSON replaced: the zip's other entries are
     * copied as they are, the header array rebuilt as a NumPy 1.0 uint8 array.
     */
    static void rewriteHeader(Path from, Path to, String find, String replace) throws IOException {
        try (java.util.zip.ZipFile in = new java.util.zip.ZipFile(from.toFile());
             java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(to))) {
            for (java.util.zip.ZipEntry e : java.util.Collections.list(in.entries())) {
                byte[] bytes = in.getInputStream(e).readAllBytes();
                if (e.getName().equals("header.npy")) {
                    int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
                    String json = new String(bytes, 10 + headerLength, bytes.length - 10 - headerLength, java.nio.charset.StandardCharsets.UTF_8);
                    assertTrue(json.contains(find), json);
                    bytes = npyU8(json.replace(find, replace).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                out.putNextEntry(new java.util.zip.ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
    }

    private static byte[] npyU8(byte[] data) {
        String dict = "{'descr': '|u1', 'fortran_order': False, 'shape': (" + data.length + ",), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] h = (dict + " ".repeat(pad) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + h.length + data.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) h.length).put(h).put(data);
        return b.array();
    }
}
