package org.colsparse.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train} on the shipped 512-image Fashion-MNIST slice, a few DiT steps. */
class TrainCommandTest {

    @BeforeAll
    static void useTheSlice() {
        System.setProperty("colsparse.fashion-mnist", Path.of("../data/fashion-mnist-slice").toAbsolutePath().toString());
        System.setProperty("colsparse.home", "..");
    }

    @AfterAll
    static void restore() {
        System.clearProperty("colsparse.fashion-mnist");
    }

    private static CliRun run(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--workload", "dit", "--out", out.toString(), "--held-out", "8",
                "--preview-steps", "0", "--log-every", "1", "--checkpoint-every", "1"));
        args.addAll(List.of(extra));
        return CliRun.run(args.toArray(String[]::new));
    }

    @Test
    void resumedRunEndsWithTheSameWeightsAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight");
        Path split = dir.resolve("split");
        CliRun a = run(straight, "--steps", "3");
        assertEquals(0, a.code(), a.err());
        assertTrue(a.err().contains("denoiser step 3/3"), a.err());
        assertTrue(a.out().contains("dit"), a.out());
        assertEquals(0, run(split, "--steps", "2").code());
        CliRun c = run(split, "--steps", "3", "--resume");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.err().contains("resuming denoiser at step 2"), c.err());
        assertFalse(c.err().contains("denoiser step 1/3"), "resume skips the steps already done");
        assertArrayEquals(Files.readAllBytes(straight.resolve("model.safetensors")), Files.readAllBytes(split.resolve("model.safetensors")));
        String card = Files.readString(split.resolve("MODEL.md"));
        assertTrue(card.contains("held-out denoising loss, untrained"), card);
        assertTrue(Files.readString(split.resolve("train-log.csv")).startsWith("stage,step,mean_loss\n0,1,"));
    }

    @Test
    void aWorkloadWithoutRecipeIsBadInput(@TempDir Path dir) {
        CommandLine cl = Main.commandLine();
        StringWriter e = new StringWriter();
        cl.setErr(new PrintWriter(e));
        assertEquals(2, cl.execute("train", "--workload", "ddpm-mnist", "--out", dir.toString()));
        assertTrue(e.toString().contains("--workload"), e.toString());
        assertEquals(2, cl.execute("train", "--workload", "nope", "--out", dir.toString()));
    }
}
