package org.colsparse.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.colsparse.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22's hostile files as the commands meet them: every one is exit 2 with one line naming the
 * file, quickly (the limit only catches a hang). The checkpoints are colsparse-core's committed
 * fixtures (src/test/resources/hostile/, built by HostileFixtures there); the configs and traces
 * are written here.
 */
class HostileInputTest {
    private static final Path HOSTILE = Path.of("../colsparse-core/src/test/resources/hostile");
    private static final Duration QUICK = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private static String oneLineError(String... args) {
        CliRun r = assertTimeoutPreemptively(QUICK, () -> run(args));
        assertEquals(2, r.code(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("colsparse: error: "), err);
        return err;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "long4.pt          | pickle integer of 2048 bytes",
        "memo-dag.pt       | lists one tensor under more than 64 names",
        "long-names.pt     | walking the object tree takes more than",
        "copy-bomb.pt      | pickle creates more than 8388608 objects",
        "stride0.pt        | views 1152921504606846976 elements of a storage of 1",
        "self-key.pt       | unsupported dict key type in pickle",
        "deep-key.pt       | dict key tuple nested more than 16 deep",
        "count-overflow.pt | more bytes than any file holds",
        "offset-wrap.pt    | more bytes than any file holds",
        "bomb-1gib.npz     | (a zip bomb?)",
        "bomb-1gib.pt      | (a zip bomb?)",
    })
    void inspectAndAnalyzeRefuseEachHostileFile(String name, String fragment) {
        String file = HOSTILE.resolve(name).toString();
        for (String command : new String[] {"inspect", "analyze"}) {
            String err = oneLineError(command, file);
            assertTrue(err.startsWith("colsparse: error: " + file + ": ") && err.contains(fragment), err);
        }
    }

    @Test
    void profileRefusesAHostileCheckpointBeforeLoadingIt() {
        for (String name : new String[] {"memo-dag.pt", "bomb-1gib.pt"}) {
            String file = HOSTILE.resolve(name).toString();
            String err = oneLineError("profile", "--steps", "1", "--checkpoint", file);
            assertTrue(err.startsWith("colsparse: error: " + file + ": "), err);
        }
    }

    @Test
    void dramAndSimulateRefuseHostileConfigs() throws IOException {
        Path channels = Files.writeString(tmp.resolve("channels.yaml"), "memory_system: {channels: 1073741824}\n");
        assertEquals("colsparse: error: " + channels + ": memory_system.channels must be an integer in 1..64, got '1073741824'",
                oneLineError("dram", "--trace", "../examples/reads.trace", "--config", channels.toString()));
        Path nbl = Files.writeString(tmp.resolve("nbl.yaml"), "memory_system: {controller: {dram: {timing: {nBL: 2147483647}}}}\n");
        assertTrue(oneLineError("dram", "--trace", "../examples/reads.trace", "--config", nbl.toString())
                .endsWith(": memory_system.controller.dram.timing.nBL must be an integer in 1..1000000, got '2147483647'"));
        Path clock = Files.writeString(tmp.resolve("clock.yaml"), "array_clock_mhz: 1e-300\n");
        assertEquals("colsparse: error: " + clock + ": array_clock_mhz must be a number in 1..100000, got '1.0E-300'",
                oneLineError("simulate", "--topology", "../examples/layers.csv", "--config", clock.toString()));
        Path bpc = Files.writeString(tmp.resolve("bpc.yaml"), "dram: {model: fixed, bytes_per_cycle: 1e-300}\n");
        assertTrue(oneLineError("simulate", "--topology", "../examples/layers.csv", "--config", bpc.toString())
                .endsWith(": dram.bytes_per_cycle must be a number in 0.001..1000000, got '1.0E-300'"));
        // a DRAM YAML named by the accelerator file is checked as strictly
        Path accel = Files.writeString(tmp.resolve("accel.yaml"), "dram: {config: channels.yaml}\n");
        assertTrue(oneLineError("simulate", "--topology", "../examples/layers.csv", "--config", accel.toString())
                .contains("memory_system.channels must be an integer in 1..64"));
    }

    @Test
    void aTraceLineIsEchoedCutAndEscaped() throws IOException {
        Path trace = Files.writeString(tmp.resolve("esc.trace"), "LD 0x0\nST \u001b]0;owned\u0007" + "f".repeat(500_000) + "\n");
        String err = oneLineError("dram", "--trace", trace.toString());
        assertEquals("colsparse: error: " + trace + ":2: bad address '\\x1b]0;owned\\x07" + "f".repeat(90)
                + "...' (expected a non-negative hex 0x... or decimal number)", err);
    }
}
