package org.colsparse.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The {@code colsparse} launcher script, run against a stand-in {@code java} that prints what the
 * real one prints when the foreign-function module is added: the launcher must keep the module
 * (NNPACK is switched off through it) and still leave an error as the one line stderr holds.
 */
class LauncherTest {
    private static final String WARNING = "WARNING: Using incubator modules: jdk.incubator.foreign";

    @TempDir
    Path tmp;

    /** A copy of the launcher beside a build it takes as fresh, and a fake java that echoes its arguments into args.txt. */
    private Path install(String javaBody) throws IOException {
        Path home = tmp.resolve("home");
        Files.createDirectories(home.resolve("colsparse-cli/target"));
        Path launcher = home.resolve("colsparse");
        Files.copy(Path.of("..", "colsparse"), launcher);
        Files.writeString(home.resolve("colsparse-cli/target/colsparse-cli.jar"), "");
        Files.writeString(home.resolve("colsparse-cli/target/colsparse.jsa"), "");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/usr/bin/env bash\n"
                + "for a in \"$@\"; do printf '%s\\n' \"$a\"; done > " + tmp.resolve("args.txt") + "\n"
                // like the JVM: the incubator warning comes first, before main, whenever the module is added
                + "for a in \"$@\"; do [ \"$a\" = --add-modules ] && echo '" + WARNING + "' >&2; done\n"
                + javaBody);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return launcher;
    }

    private Process start(Path launcher, String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = launcher.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", tmp.resolve("bin") + ":" + System.getenv("PATH"));
        pb.environment().remove("COLSPARSE_JAVA_OPTS");
        return pb.start();
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void anErrorOfATorchCommandIsTheOnlyLineOnStderrAndTheModuleIsStillAdded() throws Exception {
        Path launcher = install("echo 'colsparse: error: --workload: unknown workload' >&2\necho table\nexit 2\n");
        for (String command : new String[] {"run", "profile", "accuracy", "train", "merge"}) {
            Process p = start(launcher, command, "--workload", "nosuch");
            String out = read(p.getInputStream());
            String err = read(p.getErrorStream());
            assertEquals(2, p.waitFor(), command + ": the exit status is java's");
            assertEquals("colsparse: error: --workload: unknown workload\n", err, command);
            assertEquals("table\n", out, command + ": stdout untouched");
            String args = Files.readString(tmp.resolve("args.txt"));
            assertTrue(args.contains("--add-modules\njdk.incubator.foreign\n"), command + " keeps the module that switches NNPACK off: " + args);
        }
    }

    @Test
    void otherFirstLinesAndCommandsWithoutTheModuleAreLeftAlone() throws Exception {
        Path launcher = install("echo 'Error: Could not create the Java Virtual Machine.' >&2\necho second >&2\nexit 1\n");
        Process p = start(launcher, "profile");
        assertEquals("Error: Could not create the Java Virtual Machine.\nsecond\n", read(p.getErrorStream()));
        assertEquals(1, p.waitFor());
        Process a = start(launcher, "analyze", "x.npy");
        assertEquals("Error: Could not create the Java Virtual Machine.\nsecond\n", read(a.getErrorStream()));
        assertEquals(1, a.waitFor());
        assertFalse(Files.readString(tmp.resolve("args.txt")).contains("--add-modules"), "analyze goes without the module");
    }

    /** A progress bar redraws its line with \r and no newline: each update must reach the terminal as it is written. */
    @Test
    void progressUpdatesWithoutANewlinePassAtOnce() throws Exception {
        Path launcher = install("printf 'bar  10%%\\r' >&2\nsleep 5\nprintf 'bar 100%%\\r\\n' >&2\n");
        Process p = start(launcher, "run");
        InputStream err = p.getErrorStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long start = System.nanoTime();
        while (!got.toString(StandardCharsets.UTF_8).equals("bar  10%\r")) {
            int b = err.read();
            assertNotEquals(-1, b, "stderr ended early: " + got);
            got.write(b);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(p.isAlive(), "the first update arrived only when java ended");
        assertTrue(seconds < 4, "the first update took " + seconds + " s");
        assertEquals("bar 100%\r\n", read(err));
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }
}
