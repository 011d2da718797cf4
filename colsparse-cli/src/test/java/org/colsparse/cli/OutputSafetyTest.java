package org.colsparse.cli;

import org.colsparse.report.AtomicOutput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.colsparse.cli.CliRun.expect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --out of run, accuracy, profile and merge: written atomically, but only ever replacing a folder
 * colsparse wrote; a file, a foreign folder, the working folder, a folder above the repository or
 * an input are refused with one line before any work, and nothing colsparse did not write is lost.
 */
class OutputSafetyTest {
    private static final String[] RUN = {"run", "--workload", "ddpm-mnist", "--samples", "1", "--steps", "1", "--buckets", "1",
            "--array", "32x32", "--layout", "row-major", "--sim-calls", "1", "--mask-calls", "1", "--threshold", "0.01", "--tile-rows", "8"};
    private static final String[] ACCURACY = {"accuracy", "--workload", "ddpm-mnist", "--samples", "1", "--steps", "1", "--threshold", "0.01"};
    private static final String[] PROFILE = {"profile", "--workload", "ddpm-mnist", "--samples", "2", "--steps", "1"};

    private String home;

    @BeforeEach
    void home() {
        home = System.getProperty("colsparse.home");
        System.setProperty("colsparse.home", "..");
    }

    @AfterEach
    void restoreHome() {
        System.setProperty("colsparse.home", home == null ? ".." : home);
    }

    @Test
    void aFileAsOutIsRefusedByEveryCommandBeforeAnyWork(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "mine");
        List<String> shards = profileShards(dir.resolve("shards"));
        for (String[] cmd : List.of(RUN, ACCURACY, PROFILE, merge(shards))) {
            CliRun r = CliRun.run(with(cmd, "--out", file.toString()));
            assertEquals(2, r.code(), cmd[0] + ": " + r.err());
            assertOneLine(r.err());
            assertTrue(r.err().contains("--out: " + file + " is a file, not a folder"), r.err());
            assertFalse(r.err().contains("shards present"), "merge refuses before it reads and merges the shards: " + r.err());
            assertEquals("mine", Files.readString(file), cmd[0]);
            assertFalse(Files.exists(dir.resolve("notes.txt.partial")), cmd[0] + ": nothing written");
        }
    }

    @Test
    void aFolderColsparseDidNotWriteKeepsItsFiles(@TempDir Path dir) throws Exception {
        Path mine = dir.resolve("mine");
        Files.createDirectories(mine.resolve("sub"));
        Files.writeString(mine.resolve("notes.txt"), "mine");
        Files.writeString(mine.resolve("sub/data.csv"), "1,2");
        for (String[] cmd : List.of(RUN, ACCURACY, PROFILE)) {
            CliRun r = CliRun.run(with(cmd, "--out", mine.toString()));
            assertEquals(2, r.code(), cmd[0] + ": " + r.err());
            assertOneLine(r.err());
            assertTrue(r.err().contains("--out: " + mine + " is not empty and was not written by colsparse"), r.err());
            assertEquals(List.of("notes.txt", "sub/data.csv"), files(mine), cmd[0]);
            assertFalse(Files.exists(dir.resolve("mine.partial")), cmd[0]);
        }
        // a shard's folder is shared by the shards of one run: only shard state files may be there
        CliRun r = CliRun.run(with(PROFILE, "--shard", "0/2", "--out", mine.toString()));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("holds notes.txt, which is not a shard state file"), r.err());
        assertEquals(List.of("notes.txt", "sub/data.csv"), files(mine));
    }

    @Test
    void theWorkingFolderAndFoldersAboveTheRepositoryOrAnInputAreRefused(@TempDir Path dir) throws Exception {
        // a repository of its own: had the refusal not come first, the run would stop at its missing weights, replacing nothing
        Path clone = dir.resolve("clone");
        Files.createDirectories(clone.resolve(".git"));
        Files.writeString(clone.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        System.setProperty("colsparse.home", clone.toString());
        Path cwd = Path.of("").toAbsolutePath();
        List<String> before = top(cwd);
        String err = expect(2, with(RUN, "--out", "."));
        assertOneLine(err);
        assertTrue(err.contains("--out: . is the current folder"), err);
        err = expect(2, with(RUN, "--out", ".."));
        assertTrue(err.contains("--out: .. holds the current folder"), err);
        assertEquals(before, top(cwd), "the working folder is as it was");
        assertFalse(Files.exists(cwd.resolveSibling(cwd.getFileName() + ".partial")));

        err = expect(2, with(ACCURACY, "--out", dir.toString()));
        assertOneLine(err);
        assertTrue(err.contains("--out: " + dir + " holds the colsparse repository (" + clone.toRealPath() + ")"), err);
        assertTrue(Files.exists(clone.resolve(".git/HEAD")));

        System.setProperty("colsparse.home", "..");
        Path inputs = dir.resolve("inputs");
        Files.createDirectories(inputs);
        Path weights = Files.copy(Path.of("../models/ddpm-mnist/ddpm_mnist.pth"), inputs.resolve("w.pth"));
        for (String[] cmd : List.of(RUN, ACCURACY, PROFILE)) {
            err = expect(2, with(cmd, "--checkpoint", weights.toString(), "--out", inputs.toString()));
            assertOneLine(err);
            assertTrue(err.contains("--out: " + inputs + " holds the input " + weights), cmd[0] + ": " + err);
        }
        assertTrue(Files.size(weights) > 0);
    }

    @Test
    void aFolderColsparseWroteIsReplacedAndOnlyWhileItHoldsNothingElse(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        // --resume with nothing to resume: one line saying so, then the whole run
        CliRun first = CliRun.run(with(RUN, "--out", out.toString(), "--resume"));
        assertEquals(0, first.code(), first.err());
        assertEquals(1, first.err().lines().filter(l -> l.contains("--resume")).count(), first.err());
        assertTrue(first.err().contains("colsparse: --resume: nothing to resume (no finished stage in " + dir.resolve("r.partial")
                + "); running every stage"), first.err());
        assertTrue(Files.size(out.resolve("report.html")) > 0);
        List<String> marker = Files.readAllLines(out.resolve(AtomicOutput.MARKER));
        assertEquals(List.of("colsparse-output/1", "command=run"), marker.subList(0, 2));
        assertEquals(files(out).stream().filter(f -> !f.equals(AtomicOutput.MARKER)).toList(), marker.subList(2, marker.size()),
                "the marker lists every file the run wrote");

        // another command does not replace a run's output, nor does a merge of another command's shards
        String err = expect(2, with(ACCURACY, "--out", out.toString()));
        assertOneLine(err);
        assertTrue(err.contains("--out: " + out + " holds the output of 'colsparse run', which 'accuracy' does not replace"), err);
        err = expect(2, with(merge(profileShards(dir.resolve("shards"))), "--out", out.toString()));
        assertOneLine(err);
        assertTrue(err.contains("--out: " + out + " holds the output of 'colsparse run', which 'profile' does not replace"), err);

        // a file put into it after the run: the folder is no longer colsparse's alone
        Files.writeString(out.resolve("figures/my-notes.txt"), "mine");
        err = expect(2, with(RUN, "--out", out.toString()));
        assertOneLine(err);
        assertTrue(err.contains("--out: " + out + " holds figures/my-notes.txt, which colsparse did not write there"), err);
        assertEquals("mine", Files.readString(out.resolve("figures/my-notes.txt")));
        Files.delete(out.resolve("figures/my-notes.txt"));

        // a results/ of an earlier colsparse (no marker), recognised by the run's layout, is replaced
        Files.delete(out.resolve(AtomicOutput.MARKER));
        Files.writeString(out.resolve("report.html"), "earlier");
        CliRun again = CliRun.run(with(RUN, "--out", out.toString()));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("colsparse: " + out + " holds an earlier 'run' output; it is replaced when this one is complete"),
                again.err());
        assertFalse(Files.readString(out.resolve("report.html")).equals("earlier"));
        assertTrue(Files.exists(out.resolve(AtomicOutput.MARKER)));
        try (var siblings = Files.list(dir)) {
            assertEquals(List.of("r", "shards"), siblings.map(p -> p.getFileName().toString()).sorted().toList(), "no .partial, no .old left");
        }
    }

    @Test
    void aSecondCommandIntoTheSameOutWhileOneWritesIsRefusedByTheLock(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("r");
        try (AtomicOutput running = AtomicOutput.open(out, "run", false, List.of())) {
            running.write("stages/options.txt", "the first run's");
            for (String[] cmd : new String[][] {RUN, with(RUN, "--resume")}) {
                String err = expect(2, with(cmd, "--out", out.toString()));
                assertOneLine(err);
                assertTrue(err.contains("--out: another colsparse command is writing " + out.toAbsolutePath() + " right now"), err);
            }
            assertEquals("the first run's", Files.readString(running.dir().resolve("stages/options.txt")), "the first run's files are untouched");
        }
    }

    @Test
    void mergeTakesAFolderOfShards(@TempDir Path dir) throws Exception {
        Path shards = dir.resolve("shards");
        List<String> parts = profileShards(shards);
        String fromFiles = expect(0, with(merge(parts), "--out", dir.resolve("a").toString(), "--format", "json"));
        String fromFolder = expect(0, "merge", shards.toString(), "--out", dir.resolve("b").toString(), "--format", "json");
        assertEquals(withoutSeconds(fromFiles), withoutSeconds(fromFolder));

        expect(0, with(PROFILE, "--shard", "0/3", "--out", shards.toString()));
        String err = expect(2, "merge", shards.toString(), "--out", dir.resolve("c").toString());
        assertOneLine(err);
        assertTrue(err.contains("merge: " + shards + " holds shards of 2 runs (N = 2, 3): name the files of one"), err);
        Path empty = Files.createDirectories(dir.resolve("empty"));
        err = expect(2, "merge", empty.toString(), "--out", dir.resolve("c").toString());
        assertTrue(err.contains("merge: " + empty + " holds no shard state file (shard-I-of-N.npz)"), err);
    }

    @Test
    void mergeReplaysOnlyTheOptionsTheShardsFingerprintCovers(@TempDir Path dir) throws Exception {
        List<String> parts = profileShards(dir.resolve("shards"));
        Path weights = Files.copy(Path.of("../models/ddpm-mnist/ddpm_mnist.pth"), dir.resolve("other-weights.pth"));
        // both headers' args name a checkpoint their fingerprint does not: it must not be loaded
        List<String> tampered = new ArrayList<>();
        for (String p : parts) {
            Path t = dir.resolve("tampered").resolve(Path.of(p).getFileName());
            Files.createDirectories(t.getParent());
            ShardMergeTest.rewriteHeader(Path.of(p), t, "\"args\" : [", "\"args\" : [\"--checkpoint\",\"" + weights + "\",");
            tampered.add(t.toString());
        }
        Path out = dir.resolve("merged");
        String err = expect(2, with(merge(tampered), "--out", out.toString()));
        assertEquals(1, err.lines().filter(l -> l.startsWith("colsparse: error:")).count(), err);
        assertTrue(err.contains("merge: the shards' args give other options than their fingerprint (checkpoint " + weights + " vs null)"), err);
        assertFalse(Files.exists(out));

        // an option the fingerprint does not cover (here --help, which would print help instead of merging) is not replayed
        List<String> helped = new ArrayList<>();
        for (String p : parts) {
            Path t = dir.resolve("helped").resolve(Path.of(p).getFileName());
            Files.createDirectories(t.getParent());
            ShardMergeTest.rewriteHeader(Path.of(p), t, "\"args\" : [", "\"args\" : [\"--help\",");
            helped.add(t.toString());
        }
        expect(0, with(merge(helped), "--out", out.toString()));
        assertTrue(Files.size(out.resolve("results.json")) > 0, "merged, not helped");

        List<String> unknown = new ArrayList<>();
        for (String p : parts) {
            Path t = dir.resolve("unknown").resolve(Path.of(p).getFileName());
            Files.createDirectories(t.getParent());
            ShardMergeTest.rewriteHeader(Path.of(p), t, "\"args\" : [", "\"args\" : [\"--evil\",");
            unknown.add(t.toString());
        }
        err = expect(2, with(merge(unknown), "--out", dir.resolve("other").toString()));
        assertTrue(err.contains("its header's args hold '--evil', which is not an option of 'profile'"), err);
    }

    @Test
    void mergeReplaysEveryOptionThatDecidesTheNumbers() {
        // the options that do not: where results go, how they are printed, how fast, and help
        java.util.Set<String> others = java.util.Set.of("--out", "--format", "--shard", "--threads", "--resume", "--help", "--version");
        for (String command : List.of("run", "profile", "accuracy")) {
            picocli.CommandLine.Model.CommandSpec spec = Main.commandLine(command).getSubcommands().get(command).getCommandSpec();
            for (picocli.CommandLine.Model.OptionSpec o : spec.options()) {
                assertTrue(ShardOptions.FINGERPRINTED.get(command).contains(o.longestName()) != others.contains(o.longestName()),
                        command + " " + o.longestName() + ": replayed by merge exactly when it decides the numbers");
            }
            assertTrue(spec.options().stream().map(picocli.CommandLine.Model.OptionSpec::longestName).toList()
                    .containsAll(ShardOptions.FINGERPRINTED.get(command)), command + ": every replayed option exists");
        }
    }

    @Test
    void mergeHasADescriptionInTheCommandList() {
        String help = expect(0, "--help");
        String line = help.lines().filter(l -> l.strip().startsWith("merge ")).findFirst().orElse("");
        assertTrue(line.strip().length() > "merge".length() + 10, "merge is described: '" + line + "'\n" + help);
    }

    @Test
    void slurmShardsWithoutSlurmSaysSoBeforeCreatingAnything(@TempDir Path dir) throws Exception {
        // a PATH with the tools the script needs before it submits, and no sbatch
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : new String[] {"dirname", "mkdir"}) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin", tool).toRealPath());
        }
        Path work = dir.resolve("work");
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", Path.of("../scripts/slurm-shards.sh").toAbsolutePath().toString(), "2", work.toString(),
                "run", "--workload", "ddpm-mnist");
        pb.environment().put("PATH", bin.toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), err);
        assertOneLine(err);
        assertTrue(err.contains("sbatch not found"), err);
        assertFalse(Files.exists(work), "nothing created");
    }

    // ---- helpers

    private static List<String> profileShards(Path shards) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            expect(0, with(PROFILE, "--shard", i + "/2", "--out", shards.toString()));
            parts.add(shards.resolve("shard-" + i + "-of-2.npz").toString());
        }
        return parts;
    }

    private static String[] merge(List<String> parts) {
        List<String> a = new ArrayList<>(List.of("merge"));
        a.addAll(parts);
        return a.toArray(String[]::new);
    }

    private static String[] with(String[] base, String... extra) {
        String[] a = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, a, base.length, extra.length);
        return a;
    }

    private static String withoutSeconds(String json) {
        return json.replaceAll("\"(dense_)?seconds\" *: *[0-9.eE+-]+", "");
    }

    private static List<String> files(Path root) throws Exception {
        try (var s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private static List<String> top(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertOneLine(String err) {
        assertEquals(1, err.strip().lines().count(), err);
    }
}
