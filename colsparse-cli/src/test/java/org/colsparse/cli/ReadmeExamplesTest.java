package org.colsparse.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's quick examples run as written on what a fresh clone holds (examples/, models/,
 * config/). The slow ones (sampling loops, training, full-size checkpoints that are not shipped)
 * are left to RunCommandTest and the other command tests.
 */
class ReadmeExamplesTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern QUICK = Pattern.compile("^\\s*\\./colsparse ((?:analyze|inspect|gemm|dram|shapes|workloads|simulate --topology) [^#]*?)\\s*(#.*)?$");

    @Test
    void quickExamplesExitZero() throws Exception {
        List<String> ran = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
            Matcher m = QUICK.matcher(line);
            if (!m.matches() || line.contains("results/masks/")) {
                // results/masks/ exists only after ./colsparse run: RunCommandTest covers --masks
                continue;
            }
            // the tests run in colsparse-cli/, the README from the repository root
            String[] args = Arrays.stream(m.group(1).trim().split("\\s+"))
                    .map(a -> !a.startsWith("-") && a.contains("/") && Files.exists(ROOT.resolve(a)) ? ROOT.resolve(a).toString() : a)
                    .toArray(String[]::new);
            CliRun r = CliRun.run(args);
            assertEquals(0, r.code(), line + "\n" + r.err());
            ran.add(args[0]);
        }
        for (String c : new String[] {"analyze", "inspect", "gemm", "dram", "simulate", "shapes", "workloads"}) {
            assertTrue(ran.contains(c), "a README example of " + c + " ran: " + ran);
        }
    }

    /**
     * docs/contributing.md's recipes name the files a change touches: each repository path and
     * each linked page it names exists (the worked examples' diff stats, in code blocks, name
     * throw-away files and are left out), and the README links it.
     */
    @Test
    void contributingNamesFilesThatExist() throws Exception {
        String prose = Files.readString(ROOT.resolve("docs/contributing.md")).replaceAll("(?s)```.*?```", "");
        List<String> named = new ArrayList<>();
        Matcher code = Pattern.compile("`((?:colsparse-[a-z]+|config|docs|examples|models)/[^`\\s<*]+)`").matcher(prose);
        while (code.find()) {
            named.add(code.group(1));
        }
        Matcher link = Pattern.compile("\\]\\(([^)#\\s]+\\.md)\\)").matcher(prose);
        while (link.find()) {
            named.add("docs/" + link.group(1));
        }
        assertTrue(named.size() >= 25, "the recipes name their files: " + named);
        for (String p : named) {
            assertTrue(Files.exists(ROOT.resolve(p)), "docs/contributing.md names " + p + ", which does not exist");
        }
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("(docs/contributing.md)"), "README.md links docs/contributing.md");
    }
}
