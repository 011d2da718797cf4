package org.colsparse.denoiser;

import org.colsparse.catalog.Catalog;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.StepListener;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped third-party checkpoint, loaded through the readers and run through the samplers. */
class DdpmMnistTest {
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

    /** Its pictures as the author's training saw them; the accuracy sweep prints how in runs[].decoding. */
    @Test
    void decodesItsOwnPictures() {
        org.colsparse.sweep.Decoders.Choice d = model.decoding();
        assertEquals("picture x + 0.5 clipped to [0, 1] (trained on [0, 1] - 0.5)", d.how());
        var image = (org.colsparse.sweep.ModalOutput.Image) d.decoder().decode(new Samples(new float[] {-0.5f, 0f, 0.7f}, new long[] {1, 1, 1, 3}));
        assertArrayEquals(new double[] {0.0, 0.5, 1.0}, image.values(), 1e-7);
    }

    @Test
    void forwardMatchesAnIndependentNumpyImplementationOfTheReadme() {
        // reference: numpy float64 implementation of the checkpoint README's forward pass, input
        // x[b,0,r,c] = 0.8 sin(0.37 r + 0.11 c + b), eps printed at step i = 1, 500, 1000
        float[] x = new float[2 * 784];
        for (int b = 0; b < 2; b++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    x[b * 784 + r * 28 + c] = (float) (Math.sin(0.37 * r + 0.11 * c + b) * 0.8);
                }
            }
        }
        Map<Integer, double[]> ref = Map.of(
                0, new double[] {0.7970437019695393, 1.1290666972652763, 0.8966431113687129, 0.32266186316044776, 215.22424592055967},
                499, new double[] {0.4473098682502218, 0.585704961577232, 0.6073144244559131, 0.8470322791249612, 60.62837782905264},
                999, new double[] {0.3709351717734645, 0.4654531765546431, 0.49655188514822557, 0.8941611925558701, -36.25385902542243});
        DdpmMnist net = ((DdpmMnistWorkload.Loaded) model).net();
        for (Map.Entry<Integer, double[]> e : new TreeMap<>(ref).entrySet()) {
            float[] eps = net.predict(manager.create(x, new Shape(2, 1, 28, 28)), e.getKey(), null).toFloatArray();
            double[] want = e.getValue();
            assertEquals(want[0], eps[0], 2e-6);
            assertEquals(want[1], eps[1], 2e-6);
            assertEquals(want[2], eps[2], 2e-6);
            assertEquals(want[3], eps[784 + 14 * 28 + 10], 2e-6);
            assertEquals(want[4], sum(eps), 1e-3);
        }
    }

    @Test
    void sevenSitesWithTheReadmesShapes() {
        List<GeluSite> sites = model.sites();
        assertEquals(7, sites.size());
        int[][] seen = new int[7][];
        model.sample(2, 1, 0, GeluTap.observing((s, data, rows) -> seen[s.index()] = new int[] {rows, s.channels()}), StepListener.NONE);
        assertArrayEquals(new int[] {2 * 784, 16}, seen[0]);
        assertArrayEquals(new int[] {2, 128}, seen[1]);
        assertArrayEquals(new int[] {2, 128}, seen[3]);
        assertArrayEquals(new int[] {2 * 784, 32}, seen[4]);
        assertArrayEquals(new int[] {2 * 784, 32}, seen[5]);
        assertArrayEquals(new int[] {2 * 784, 16}, seen[6]);
    }

    @Test
    void thresholdZeroTapIsBitIdenticalAndZeroEverythingTapIsNot() {
        float[] plain = model.sample(1, 5, 3, null, StepListener.NONE).values();
        float[] observed = model.sample(1, 5, 3, GeluTap.observing((s, d, r) -> { }), StepListener.NONE).values();
        float[] tau0 = model.sample(1, 5, 3, GeluTap.zeroing(0), StepListener.NONE).values();
        float[] all = model.sample(1, 5, 3, GeluTap.zeroing(1e30), StepListener.NONE).values();
        assertArrayEquals(plain, observed);
        assertArrayEquals(plain, tau0);
        assertFalse(Arrays.equals(plain, all));
    }

    @Test
    void sameSeedSameSamplesBitForBit() {
        assertArrayEquals(model.sample(2, 4, 11, null, StepListener.NONE).values(), model.sample(2, 4, 11, null, StepListener.NONE).values());
    }

    @Test
    void anotherCheckpointFileIsLoadedFromItsPath(@TempDir Path dir) throws Exception {
        Path other = dir.resolve("other.pth");
        Files.copy(Path.of("../models/ddpm-mnist/ddpm_mnist.pth"), other);
        try (LoadedWorkload w = Catalog.runtime("ddpm-mnist").load(manager, other)) {
            assertArrayEquals(model.sample(1, 2, 5, null, StepListener.NONE).values(), w.sample(1, 2, 5, null, StepListener.NONE).values());
        }
    }

    @Test
    void theRebuiltScheduleIsTheShippedOne() {
        DdpmMnist net = ((DdpmMnistWorkload.Loaded) model).net();
        assertArrayEquals(net.params().floats("beta_t"), DdpmMnist.betas(), "beta_t bit for bit");
        float[] shipped = net.params().floats("alpha_t");
        float[] rebuilt = DdpmMnist.alphaBars(DdpmMnist.betas());
        int differ = 0;
        for (int i = 0; i < shipped.length; i++) {
            assertEquals(shipped[i], rebuilt[i], Math.ulp(shipped[i]), "alpha_t[" + i + "] within one ulp");
            differ += shipped[i] == rebuilt[i] ? 0 : 1;
        }
        assertTrue(differ <= 7, differ + " entries differ");
    }

    @Test
    void aTrainingCheckpointLoadsTheWeightsItWrapsAndSaysWhichPrefix() {
        // make_training_checkpoint.py: the shipped weights under model_state_dict, without beta_t / alpha_t, beside an
        // epoch, an Adam state of the time MLP's 8 tensors (step, exp_avg, exp_avg_sq each) and loss lists of numpy scalars
        Path training = Path.of("src/test/resources/ddpm-mnist/training_checkpoint.pth");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        LoadedWorkload w;
        try {
            System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
            w = Catalog.runtime("ddpm-mnist").load(manager, training);
        } finally {
            System.setErr(stderr);
        }
        try (w) {
            assertEquals("colsparse: " + training + ": weights under 'model_state_dict.' (24 other tensor(s) and every non-tensor entry "
                    + "skipped unread); beta_t, alpha_t not in the file, rebuilt from ddpm-mnist's known schedule\n",
                    err.toString(java.nio.charset.StandardCharsets.UTF_8));
            DdpmMnist plain = ((DdpmMnistWorkload.Loaded) model).net();
            DdpmMnist wrapped = ((DdpmMnistWorkload.Loaded) w).net();
            for (String name : plain.params().spec().keySet()) {
                if (!name.equals("alpha_t") && !name.equals("beta_t")) {
                    assertArrayEquals(plain.params().floats(name), wrapped.params().floats(name), name);
                }
            }
            float[] x = model.sample(1, 1, 7, null, StepListener.NONE).values();
            assertArrayEquals(plain.predict(manager.create(x, new Shape(1, 1, 28, 28)), 500, null).toFloatArray(),
                    wrapped.predict(manager.create(x, new Shape(1, 1, 28, 28)), 500, null).toFloatArray(), "the same network, bit for bit");
            // the rebuilt alpha_t differs from the shipped one by an ulp at 7 timesteps, none of them among these 5 steps'
            assertArrayEquals(model.sample(2, 5, 3, null, StepListener.NONE).values(), w.sample(2, 5, 3, null, StepListener.NONE).values(),
                    "the same samples");
        }
        // the same file is refused by the reader that lists what a file holds, which names what the weights reader stepped over
        InputException e = assertThrows(InputException.class, () -> org.colsparse.tensor.TensorSources.open(training).close());
        assertTrue(e.getMessage().contains("numpy"), e.getMessage());
    }

    @Test
    void aForeignCheckpointNamesEveryMismatchAtOnce() {
        Path foreign = Path.of("../colsparse-core/src/test/resources/fixtures/tiny_mlp_2d.pth");
        InputException e = assertThrows(InputException.class, () -> Catalog.runtime("ddpm-mnist").load(manager, foreign));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(foreign + ": not a ddpm-mnist checkpoint: 29 missing key(s) [alpha_t, beta_t, gt.blocks.0.net.0.bias"), msg);
        assertTrue(msg.contains("13 unexpected key(s) ["), msg);
        assertFalse(msg.contains("\n"));
        assertEquals("nope.pth: checkpoint not found",
                assertThrows(InputException.class, () -> Catalog.runtime("ddpm-mnist").load(manager, Path.of("nope.pth"))).getMessage());
        assertTrue(assertThrows(InputException.class, () -> Catalog.runtime("sdxl")).getMessage().contains("built in: ddpm-mnist"));
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s;
    }
}
