package org.colsparse.report;

import org.colsparse.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A write that fails as on a full disk (injected: the sink writes half the bytes, then throws
 * ENOSPC's IOException): one line naming the file, exit 2, no temp file, the previous output as it was.
 */
class FullDiskTest {
    private static final String[] RUN = {"run", "--workload", "ddpm-mnist", "--samples", "1", "--steps", "1", "--buckets", "1",
            "--array", "32x32", "--layout", "row-major", "--sim-calls", "1", "--mask-calls", "1", "--threshold", "0.01", "--tile-rows", "8"};

    @AfterEach
    void restore() {
        AtomicOutput.sink = Files::write;
    }

    /** Writes half of what {@code name} should hold, then fails as write(2) does on a full disk. */
    private static void fullDiskAt(String name) {
        AtomicOutput.sink = (file, bytes) -> {
            if (file.getFileName().toString().equals(name)) {
                Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
                throw new IOException("No space left on device");
            }
            Files.write(file, bytes);
        };
    }

    @Test
    void aFailedWriteRemovesItsTempFileAndNamesTheFile(@TempDir Path dir) throws Exception {
        try (AtomicOutput out = AtomicOutput.open(dir.resolve("r"), "run", false, List.of())) {
            fullDiskAt("results.json.tmp");
            Exception e = assertThrows(org.colsparse.util.InputException.class, () -> out.write("results.json", "{\"a\": 1}"));
            assertEquals("--out: cannot write " + out.dir().resolve("results.json") + ": No space left on device; " + out.target()
                    + " is left as it was", e.getMessage());
            assertFalse(Files.exists(out.dir().resolve("results.json.tmp")));
            assertFalse(Files.exists(out.dir().resolve("results.json")));
        }
    }

    @Test
    void aFullDiskDuringRunIsOneLineAndLeavesThePreviousOutputIntact(@TempDir Path dir) throws Exception {
        System.setProperty("colsparse.home", "..");
        Path out = dir.resolve("r");
        String[] args = Stream.concat(Arrays.stream(RUN), Stream.of("--out", out.toString())).toArray(String[]::new);
        String[] first = execute(args);
        assertEquals("0", first[0], first[1]);
        byte[] before = Files.readAllBytes(out.resolve("results.json"));

        fullDiskAt("results.json.tmp");
        String[] failed = execute(Stream.concat(Arrays.stream(args), Stream.of("--seed", "1")).toArray(String[]::new));
        AtomicOutput.sink = Files::write;
        List<String> errors = failed[1].lines().filter(l -> l.contains("error") || l.contains("Exception") || l.startsWith("\tat ")).toList();
        assertEquals(List.of("colsparse: error: --out: cannot write " + dir.resolve("r.partial/results.json") + ": No space left on device; "
                + out + " is left as it was"), errors, failed[1]);
        assertEquals("2", failed[0]);
        assertArrayEquals(before, Files.readAllBytes(out.resolve("results.json")), "the previous output is intact");
        try (Stream<Path> walk = Files.walk(dir)) {
            assertEquals(List.of(), walk.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList(), "no temp file left");
        }
        // the finished stages wait in the partial folder: --resume completes the run from them
        String[] resumed = execute(Stream.concat(Arrays.stream(args), Stream.of("--seed", "1", "--resume")).toArray(String[]::new));
        assertEquals("0", resumed[0], resumed[1]);
        assertTrue(resumed[1].contains("reused the finished stage simulate-ddpm-mnist"), resumed[1]);
        assertFalse(Arrays.equals(before, Files.readAllBytes(out.resolve("results.json"))), "replaced by the seed-1 run");
    }

    /** Runs the CLI as the launcher does; returns the exit code and stderr. */
    private static String[] execute(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            code = Main.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {String.valueOf(code), e.toString(StandardCharsets.UTF_8)};
    }
}
