package org.colsparse.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.colsparse.cli.CliRun.expect;
import static org.colsparse.cli.CliRun.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every command says the same way: its version, its options' shapes and help, and its refusals. */
class CliWordingTest {
    @BeforeAll
    static void home() {
        System.setProperty("colsparse.home", "..");
    }

    private static List<CommandSpec> commands() {
        List<CommandSpec> specs = new ArrayList<>();
        for (CommandLine c : Main.commandLine().getSubcommands().values()) {
            if (!c.getCommandName().equals("help")) {
                specs.add(c.getCommandSpec());
            }
        }
        return specs;
    }

    @Test
    void everySubcommandPrintsTheVersion() {
        String version = expect(0, "--version").strip();
        assertEquals("colsparse 0.1.0", version);
        for (CommandSpec c : commands()) {
            assertEquals(version, expect(0, c.name(), "-V").strip(), c.name() + " -V");
            assertEquals(version, expect(0, c.name(), "--version").strip(), c.name() + " --version");
        }
    }

    /** One metavariable style (an upper-case word), one help style, and one shape for an option of the same name. */
    @Test
    void optionsHaveOneShapeInEveryCommand() {
        Map<String, String> labels = new HashMap<>();
        Map<String, String> where = new HashMap<>();
        for (CommandSpec c : commands()) {
            for (OptionSpec o : c.options()) {
                String name = c.name() + " " + o.longestName();
                String d = String.join(" ", o.description());
                assertFalse(d.endsWith("."), name + ": help text ends without a period like the others: " + d);
                // a capital only for a name (PyTorch, SCALE-Sim, DRAM), never for a sentence ("Show this help")
                String first = d.split("[ ,:;(]", 2)[0];
                assertFalse(Character.isUpperCase(first.charAt(0)) && first.chars().filter(Character::isUpperCase).count() == 1,
                        name + ": help text starts in lower case: " + d);
                assertFalse(d.matches("(?s).*\\(default [^:].*|.*; default [^:].*"), name + ": defaults are written '(default: X)': " + d);
                if (o.arity().max() == 0) {
                    continue;
                }
                String label = o.paramLabel();
                assertTrue(label.matches("[A-Z][A-Z/=]*(x[A-Z]+)?"), name + ": metavariable " + label);
                String before = labels.putIfAbsent(o.longestName(), label);
                assertTrue(before == null || before.equals(label), name + " is " + label + ", " + where.get(o.longestName()) + " " + before);
                where.putIfAbsent(o.longestName(), name);
                if (o.isMultiValue() && !o.typeInfo().isMap()) {
                    assertTrue(d.contains("repeatable"), name + " takes several values and should say so: " + d);
                }
            }
        }
    }

    @Test
    void helpSaysHowSamplesAndCyclesAreMade() {
        String profile = expect(0, "profile", "--help");
        assertFalse(profile.contains("one batch"), profile);
        assertTrue(profile.replaceAll("\\s+", " ").contains("--samples=N samples, each its own sampling loop, one sample per denoiser call"), profile);
        String run = expect(0, "run", "--help").replaceAll("\\s+", " ");
        assertFalse(run.contains("estimate cycles on the full-size shapes"), run);
        assertTrue(run.contains("estimate cycles analytically on the profiled model's own GEMMs with its real recorded masks"), run);
        assertTrue(run.contains("projection onto the full-size shapes, labelled so"), run);
    }

    @Test
    void parseErrorsNameTheOptionWithoutPlaceholdersOrJavaTypes() {
        refused("--threshold: 'abc' is not a number (see 'colsparse run --help')", "run", "--threshold", "abc");
        refused("--samples: 'x' is not a whole number (see 'colsparse profile --help')", "profile", "--samples", "x");
        refused("--tile-rows: 'x' is not a whole number (see 'colsparse analyze --help')", "analyze", "x.npy", "--tile-rows", "x");
        refused("--workload: given more than once; this command takes one value (see 'colsparse profile --help')",
                "profile", "--workload", "mld", "--workload", "dit");
        refused("--tile-rows: given more than once; this command takes one value (see 'colsparse accuracy --help')",
                "accuracy", "--tile-rows", "8", "--tile-rows", "16");
        refused("--format: expected one of table, json, csv, got 'xml' (see 'colsparse gemm --help')", "gemm", "--format", "xml");
        refused("missing --trace FILE (see 'colsparse dram --help')", "dram");
        refused("missing FILE (see 'colsparse analyze --help')", "analyze");
        refused("--threshold: needs a value (see 'colsparse run --help')", "run", "--threshold");
        refused("--cond: expected NAME=FILE, got 'x' (see 'colsparse profile --help')", "profile", "--cond", "x");
    }

    @Test
    void aMissingFileAndADirectoryGivenAsAFileReadTheSameInEveryCommand(@TempDir Path dir) throws Exception {
        Path trace = Files.writeString(dir.resolve("t.trace"), "LD 0x0\n");
        String out = dir.resolve("out").toString();
        for (Path f : List.of(dir.resolve("nope.npy"), Files.createDirectories(dir.resolve("folder.npy")))) {
            String why = Files.isDirectory(f) ? ": is a directory, not a file" : ": no such file";
            String p = f.toString();
            refused(p + why, "analyze", p);
            refused(p + why, "inspect", p);
            refused("--topology " + p + why, "gemm", "--topology", p);
            refused("--mask " + p + why, "gemm", "--n", "4", "--mask", p);
            refused("--masks " + p + why, "simulate", "--masks", p);
            refused("--config " + p + why, "simulate", "--m", "4", "--n", "4", "--k", "4", "--config", p);
            refused("--trace " + p + why, "dram", "--trace", p);
            refused("--config " + p + why, "dram", "--trace", trace.toString(), "--config", p);
            refused("--config " + p + why, "run", "--config", p, "--out", out);
            refused("--checkpoint " + p + why, "run", "--workload", "dit", "--checkpoint", p, "--out", out);
            refused("--checkpoint " + p + why, "profile", "--checkpoint", p);
            refused("--checkpoint " + p + why, "accuracy", "--checkpoint", p);
            refused("--cond text=" + p + why, "profile", "--workload", "mdm", "--preset", "full", "--checkpoint", trace.toString(), "--cond", "text=" + p);
        }
        refused("--mask-dir " + dir.resolve("none") + ": no such directory", "gemm", "--topology", "../examples/layers.csv",
                "--mask-dir", dir.resolve("none").toString());
        refused("--mask-dir " + trace + ": is a file, not a directory", "gemm", "--topology", "../examples/layers.csv",
                "--mask-dir", trace.toString());
        assertFalse(Files.exists(dir.resolve("out.partial")), "nothing written for a bad input file");
    }

    @Test
    void aNegativeZeroLosesItsSign() {
        assertEquals("0.0000", Table.unsignedZero("-0.0000"));
        assertEquals("0.00%", Table.unsignedZero("-0.00%"));
        assertEquals("0.0", Table.unsignedZero("-0.0"));
        assertEquals("-0.0001", Table.unsignedZero("-0.0001"));
        assertEquals("-1.2E-17", Table.unsignedZero("-1.2E-17"));
        assertEquals("-0.50 pp", Table.unsignedZero("-0.50 pp"));
        assertEquals("-", Table.unsignedZero("-"));
        assertEquals("-x", Table.unsignedZero("-x"));
    }

    /** Numbers right-aligned, text left-aligned, also text that starts with a digit (mld's token-limited evidence). */
    @Test
    void aSentenceStartingWithADigitIsLeftAligned() {
        java.io.StringWriter w = new java.io.StringWriter();
        new Table(List.of("evidence", "share")).add(List.of("6 rows per call <= 8", "5.65%")).add(List.of("column sparsity 0.07%", "12.50%"))
                .print(new java.io.PrintWriter(w, true), OutputFormat.table);
        String[] lines = w.toString().split("\n");
        assertEquals("6 rows per call <= 8    5.65%", lines[2]);
        assertEquals("column sparsity 0.07%  12.50%", lines[3]);
    }

    /** ddpm-mnist's conv totals have column sparsity 0 and a baseline of ~1e-80: the excess is a tiny negative. */
    @Test
    void profileTablesPrintNoNegativeZero() {
        // floor 0: ddpm-mnist (about 5 % element sparsity) gets a dispersion verdict whose evidence is worded
        String out = expect(0, "profile", "--samples", "1", "--steps", "2", "--min-element-sparsity", "0");
        assertTrue(out.contains("0.0000"), out);
        assertFalse(out.contains("-0.0000"), out);
        // the verdict's evidence in run's units: percent with two decimals, excess in pp
        assertTrue(java.util.regex.Pattern.compile("verdict ddpm-mnist \\(tau 0\\.01, R 128\\): dispersion: column sparsity \\d+\\.\\d\\d% vs "
                + "independence baseline \\d+\\.\\d\\d% \\(excess \\d+(\\.\\d{1,2})? pp < 5 pp\\) at element sparsity \\d+\\.\\d\\d%\n").matcher(out).find(), out);
    }
}
