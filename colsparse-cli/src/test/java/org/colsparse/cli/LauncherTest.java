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
        return install(javaBody, true);
    }

    /** {@code restores}: the stand-in does what Main does with the saved stderr; false: as if that failed, so the filter passes it all. */
    private Path install(String javaBody, boolean restores) throws IOException {
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
                // and like Main with the module: the saved stderr is fd 2 again (StderrSwitch)
                + (restores ? "for a in \"$@\"; do [ \"$a\" = -Dcolsparse.stderr.fd=3 ] && exec 2>&3 3>&-; done\n" : "")
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
        // a JVM that fails before main never switches stderr: its lines go through the filter, which
        // needs a moment after them (a Java caller's pipe is closed when the process ends)
        Path launcher = install("echo 'Error: Could not create the Java Virtual Machine.' >&2\necho second >&2\nsleep 1\nexit 1\n", false);
        Process p = start(launcher, "profile");
        assertEquals("Error: Could not create the Java Virtual Machine.\nsecond\n", read(p.getErrorStream()));
        assertEquals(1, p.waitFor());
        Process a = start(launcher, "analyze", "x.npy");
        assertEquals("Error: Could not create the Java Virtual Machine.\nsecond\n", read(a.getErrorStream()));
        assertEquals(1, a.waitFor());
        assertFalse(Files.readString(tmp.resolve("args.txt")).contains("--add-modules"), "analyze goes without the module");
    }

    /**
     * The real JVM and Main: with the saved stderr as fd 3 and fd 2 going nowhere (as the filter
     * would drop it), the error arrives on fd 3, whole, before the process ends; without the
     * property Main leaves stderr alone.
     */
    @Test
    void mainPutsTheSavedStderrBackOnFd2() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (boolean restore : new boolean[] {true, false}) {
            String cmd = "exec '" + java + "' --add-modules jdk.incubator.foreign --enable-native-access=ALL-UNNAMED"
                    + (restore ? " -Dcolsparse.stderr.fd=3" : "") + " -Dcolsparse.home=.. -cp \"$CP\" org.colsparse.cli.Main"
                    + " profile --workload nosuch 3>&2 2>/dev/null";
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd);
            pb.environment().put("CP", System.getProperty("java.class.path"));
            Process p = pb.start();
            String out = read(p.getInputStream());
            String err = read(p.getErrorStream());
            assertEquals(2, p.waitFor(), err);
            assertEquals("", out);
            assertEquals(restore ? "colsparse: error: --workload: unknown workload 'nosuch', built in: ddpm-mnist, vit-mnist, dit, mdm, "
                    + "mld, edge, sd15, audioldm, animatediff\n" : "", err, "restore " + restore);
        }
    }

    /**
     * A progress bar redraws its line with \r and no newline: each update must reach the terminal as
     * it is written, also through the filter (if the stderr switch failed).
     */
    @Test
    void progressUpdatesWithoutANewlinePassAtOnce() throws Exception {
        Path launcher = install("printf 'bar  10%%\\r' >&2\nsleep 5\nprintf 'bar 100%%\\r\\n' >&2\nsleep 1\n", false);
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
