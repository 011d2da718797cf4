package org.colsparse.pipeline;

import org.colsparse.report.AtomicOutput;
import org.colsparse.results.EstimateResult;
import org.colsparse.systolic.Dataflow;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Resume through the stage store: a saved stage comes back as the same typed result, and other options are refused by name. */
class StageStoreTest {
    @TempDir
    Path tmp;

    private final List<String> reused = new ArrayList<>();

    private final StageListener listener = new StageListener() {
        @Override
        public void stage(String stage, String workload, int index, int count) {
        }

        @Override
        public void progress(long done, long total) {
        }

        @Override
        public void reused(String stage) {
            reused.add(stage);
        }
    };

    private static EstimateResult estimate() {
        return new EstimateResult("w", "analytic", "8x8", Dataflow.WS, 2, List.of(0, 5), 0.25, 0.125,
                List.of(new EstimateResult.DataflowCycles(Dataflow.WS, "column", 100, 75, 80, 60, 0.25, 0.25, 0, 0, null)),
                List.of(new EstimateResult.GemmCycles("g", 8, 8, 8, 1, "site", "ffn", 10, 9.5, 11, 10.5, 12, 11.5)), null);
    }

    @Test
    void aResumedRunReusesTheSavedStageAsTheSameRecord() throws Exception {
        Path out = tmp.resolve("out");
        EstimateResult first;
        try (AtomicOutput o = AtomicOutput.open(out, "run", false, List.of())) {
            StageStore store = new StageStore(o, false, listener);
            store.open(Fingerprint.of(Map.of("seed", 0)));
            first = store.stage("estimate-w", EstimateResult.class, StageStoreTest::estimate);
            assertTrue(Files.isRegularFile(o.dir().resolve("stages/estimate-w.json")));
            // interrupted here: never committed, the partial folder keeps the finished stage
        }
        try (AtomicOutput o = AtomicOutput.open(out, "run", true, List.of())) {
            StageStore store = new StageStore(o, true, listener);
            store.open(Fingerprint.of(Map.of("seed", 0)));
            EstimateResult again = store.stage("estimate-w", EstimateResult.class, () -> fail("a finished stage ran again"));
            assertEquals(first, again);
            assertEquals(List.of("estimate-w"), reused);
        }
    }

    @Test
    void resumingWithOtherOptionsIsRefusedNamingThem() {
        Path out = tmp.resolve("out");
        try (AtomicOutput o = AtomicOutput.open(out, "run", false, List.of())) {
            new StageStore(o, false, listener).open(Fingerprint.of(Map.of("seed", 0)));
        }
        try (AtomicOutput o = AtomicOutput.open(out, "run", true, List.of())) {
            InputException e = assertThrows(InputException.class, () -> new StageStore(o, true, listener).open(Fingerprint.of(Map.of("seed", 1))));
            assertTrue(e.getMessage().contains("was made with other options (--seed was 0, now 1); rerun with those options or drop --resume"),
                    e.getMessage());
        }
    }
}
