package org.colsparse.sweep;

import ai.djl.ndarray.NDManager;
import org.colsparse.accuracy.CliffRule;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.catalog.Catalog;
import org.colsparse.runtime.Torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sweep on the shipped third-party ddpm-mnist weights, kept short (2 samples, 4 steps). */
class AccuracySweepTest {
    private static NDManager manager;
    private static LoadedWorkload model;

    @BeforeAll
    static void load() {
        System.setProperty("colsparse.home", ".."); // tests run in the module directory
        manager = Torch.manager();
        model = Catalog.runtime("ddpm-mnist").load(manager, null);
    }

    @AfterAll
    static void close() {
        model.close();
        manager.close();
    }

    private static AccuracySweep.Result sweep(double... thresholds) {
        return AccuracySweep.run(model, new AccuracySweep.Config(2, 4, 7, thresholds, 32, CliffRule.RELATIVE_L2), AccuracySweep.Progress.NONE);
    }

    @Test
    void thresholdZeroReproducesTheDenseOutputAndAHugeOneDegradesEverything() {
        AccuracySweep.Result r = sweep(0, 1e9);
        assertEquals("image", r.modality());
        AccuracySweep.Point zero = r.points().get(0);
        assertEquals(0.0, zero.threshold());
        assertEquals(0.0, zero.relativeL2());
        assertEquals(Double.POSITIVE_INFINITY, zero.metrics().get(Metric.PSNR));
        assertEquals(1.0, zero.metrics().get(Metric.SSIM));
        assertTrue(zero.elementSparsity() < 0.01, "exact zeros are rare in GELU outputs: " + zero.elementSparsity());
        assertEquals(false, zero.cliff());

        AccuracySweep.Point huge = r.points().get(1);
        // every GELU output zeroed: the network sees only biases, the samples are no digits
        assertEquals(1.0, huge.elementSparsity());
        assertEquals(1.0, huge.columnSparsity());
        assertTrue(huge.relativeL2() > 0.3, "relative L2 " + huge.relativeL2());
        assertTrue(huge.metrics().get(Metric.PSNR) < 15, "PSNR " + huge.metrics().get(Metric.PSNR));
        assertTrue(huge.metrics().get(Metric.SSIM) < 0.5, "SSIM " + huge.metrics().get(Metric.SSIM));
        assertTrue(huge.cliff(), "a jump from 0 to > 0.3 is a cliff");
        assertEquals(r.points().size(), 2);
    }

    @Test
    void runningTwiceGivesIdenticalNumbers() {
        AccuracySweep.Result a = sweep(0.01, 0.05);
        AccuracySweep.Result b = sweep(0.05, 0.01);
        assertEquals(List.of(0.01, 0.05), a.points().stream().map(AccuracySweep.Point::threshold).toList(), "sorted");
        assertArrayEquals(a.dense().values(), b.dense().values(), "dense output bit for bit");
        for (int i = 0; i < 2; i++) {
            AccuracySweep.Point p = a.points().get(i), q = b.points().get(i);
            assertEquals(p.relativeL2(), q.relativeL2());
            assertEquals(p.metrics(), q.metrics());
            assertEquals(p.elementSparsity(), q.elementSparsity());
            assertEquals(p.columnSparsity(), q.columnSparsity());
            assertEquals(p.cliff(), q.cliff());
        }
        assertTrue(a.points().get(1).elementSparsity() > a.points().get(0).elementSparsity());
        assertTrue(a.points().get(0).relativeL2() > 0, "zeroing at 0.01 changes something");
    }

    @Test
    void partsOfTheSamplesMergeIntoTheWholeSweep() {
        AccuracySweep.Config c = new AccuracySweep.Config(3, 2, 7, new double[] {0.01, 0.1}, 32, CliffRule.RELATIVE_L2);
        AccuracySweep.Result whole = AccuracySweep.run(model, c, AccuracySweep.Progress.NONE);
        AccuracySweep.Part last = AccuracySweep.runPart(model, c, List.of(2), AccuracySweep.Progress.NONE);
        AccuracySweep.Part first = AccuracySweep.runPart(model, c, List.of(0, 1), AccuracySweep.Progress.NONE);
        AccuracySweep.Result merged = AccuracySweep.result(model, c, AccuracySweep.Part.merge(List.of(last, first)));
        assertArrayEquals(whole.dense().values(), merged.dense().values(), "dense outputs in sample order");
        for (int i = 0; i < 2; i++) {
            AccuracySweep.Point w = whole.points().get(i);
            AccuracySweep.Point m = merged.points().get(i);
            assertEquals(w.relativeL2(), m.relativeL2(), "relative L2 pools all samples: the same only when computed after the merge");
            assertEquals(w.metrics(), m.metrics());
            assertEquals(w.elementSparsity(), m.elementSparsity());
            assertEquals(w.columnSparsity(), m.columnSparsity());
            assertEquals(w.cliff(), m.cliff());
        }
    }
}
