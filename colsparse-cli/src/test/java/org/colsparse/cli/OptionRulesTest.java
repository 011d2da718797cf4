package org.colsparse.cli;

import org.colsparse.tensor.DType;
import org.colsparse.tensor.NpyWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.colsparse.cli.CliRun.expect;
import static org.colsparse.cli.CliRun.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same bad value of an option gets the same one-line refusal (exit 2) from every command that has it. */
class OptionRulesTest {
    @BeforeAll
    static void home() {
        System.setProperty("colsparse.home", "..");
    }

    @Test
    void thresholdsAreCheckedAloneBeforeBeingComparedWithThePrimary(@TempDir Path dir) {
        String out = dir.resolve("r").toString();
        refused("--threshold: must be a finite number >= 0, got -1.0", "run", "--threshold", "-1", "--out", out);
        refused("--threshold: must be a finite number >= 0, got -1.0", "profile", "--threshold", "-1");
        refused("--threshold: must be a finite number >= 0, got -1.0", "accuracy", "--threshold", "-1");
        refused("--threshold: must be a finite number >= 0, got -1.0", "gemm", "--m", "4", "--n", "4", "--k", "4", "--threshold", "-1");
        refused("--threshold: must be a finite number >= 0, got -1.0", "analyze", "--threshold", "-1", "x.npy");
        assertFalse(Files.exists(dir.resolve("r.partial")), "nothing written for bad options");
    }

    @Test
    void stepsAndSamplesHaveOneRangeEverywhere(@TempDir Path dir) {
        String out = dir.resolve("r").toString();
        String steps = "--steps: must be between 1 and ddpm-mnist's trained schedule of 1000, got 100000";
        refused(steps, "run", "--workload", "ddpm-mnist", "--steps", "100000", "--out", out);
        refused(steps, "profile", "--steps", "100000");
        refused(steps, "accuracy", "--steps", "100000");
        String samples = "--samples: must be between 1 and 1024, got 100000";
        refused(samples, "run", "--workload", "ddpm-mnist", "--samples", "100000", "--out", out);
        refused(samples, "profile", "--samples", "100000");
        refused(samples, "accuracy", "--samples", "100000");
        refused("--tile-rows: must be >= 1, got 0", "run", "--tile-rows", "0", "--out", out);
        refused("--tile-rows: must be >= 1, got 0", "profile", "--tile-rows", "0");
        refused("--tile-rows: must be >= 1, got 0", "accuracy", "--tile-rows", "0");
        refused("--tile-rows: must be >= 1, got 0", "analyze", "--tile-rows", "0", "x.npy");
    }

    @Test
    void zeroCountsAreRefusedNotReadAsDefaults() {
        refused("--steps: must be >= 1, got 0", "train", "--workload", "dit", "--steps", "0");
        refused("--rows-per-call: must be >= 1, got 0", "analyze", "--rows-per-call", "0", "x.npy");
    }

    @Test
    void anEmptyTensorIsBadInput(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.npy");
        try (NpyWriter w = NpyWriter.create(empty, DType.F32, new long[] {0, 16})) {
            w.commit();
        }
        refused(empty + ": tensor empty is empty (shape [0, 16]): nothing to analyze", "analyze", empty.toString());
    }

    @Test
    void anOutputFolderThatCannotBeMadeIsOneLine() {
        String err = expect(2, "run", "--workload", "mld", "--out", "/proc/nope");
        assertEquals(1, err.strip().lines().count(), err);
        assertTrue(err.startsWith("colsparse: error: --out: cannot create /proc/nope.partial"), err);
    }

    @Test
    void everyCommandTilesWithTheArraysRowsByDefault() {
        assertTrue(expect(0, "profile", "--samples", "1", "--steps", "1").contains("(tau 0.01, R 128)"));
    }
}
