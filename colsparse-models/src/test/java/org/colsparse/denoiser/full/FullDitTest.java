package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.catalog.Catalog;
import org.colsparse.denoiser.Preset;
import org.colsparse.denoiser.Samples;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.IddpmRespacing;
import org.colsparse.sampler.LearnedRangeDdpmSampler;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.StepListener;
import org.colsparse.tensor.NpyWriter;
import org.colsparse.train.SafetensorsWriter;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.colsparse.denoiser.full.FullFixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The full-size DiT runtime against an independent NumPy implementation of the official code
 * (src/test/resources/full/dit/make_fixtures.py) at a reduced size with the official key names, and
 * the full-size declaration against the full preset.
 */
class FullDitTest {
    private static final Path DIR = Path.of("src/test/resources/full/dit");
    /** The fixture's reduced DiT: 8x8x4 latent, patch 2, hidden 48, depth 2, 4 heads, 10 classes. */
    private static final FullDit.Config SMALL = new FullDit.Config(8, 2, 4, 48, 2, 4, 4, 10, true);

    private static NDManager manager;
    private static FullDitWorkload.Loaded model;
    private static FullFixtures expected;

    @BeforeAll
    static void load() {
        manager = Torch.manager();
        // the input size in the config is a placeholder: the loader reads it from pos_embed
        model = FullDitWorkload.load(manager, DIR.resolve("dit_small.pt"), Map.of(), SMALL.withInputSize(2));
        expected = new FullFixtures(DIR.resolve("expected.npz"), manager);
    }

    @AfterAll
    static void close() {
        expected.close();
        model.close();
        manager.close();
    }

    @Test
    void inputSizeComesFromPosEmbed() {
        assertEquals(8, model.net().config().inputSize());
        assertEquals(16, model.net().config().tokens());
    }

    @Test
    void forwardMatchesNumpyReference() {
        NDArray x = expected.array("forward_x");
        float[] t = {999, 17};
        NDArray out = model.net().forward(x, manager.create(t), expected.ints("forward_y"), null);
        assertEquals(new Shape(2, 8, 8, 8), out.getShape());
        assertClose(expected.ref("forward_out"), out.toFloatArray(), 1e-5, "DiT forward (class row and null-class row)");
    }

    @Test
    void respacingIsDitsSpaceTimesteps() {
        for (int count : new int[] {250, 100, 7, 1000}) {
            assertArrayEquals(expected.ints("respace_" + count + "_timesteps"), IddpmRespacing.keptTimesteps(1000, count), "kept timesteps " + count);
            NoiseSchedule s = FullDitWorkload.schedule(count);
            assertArrayEquals(expected.ints("respace_" + count + "_timesteps"), s.timesteps());
            double[] want = expected.ref("respace_" + count + "_betas");
            double[] got = s.betas();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-15 * Math.max(1, want[i]) + Math.ulp(want[i]) * 4, "beta " + i + " of " + count);
            }
        }
    }

    @Test
    void twoGuidedSamplerStepsMatchNumpyReference() {
        LearnedRangeDdpmSampler sampler = new LearnedRangeDdpmSampler(FullDitWorkload.schedule(250));
        int[] timesteps = sampler.schedule().timesteps();
        NDArray x = expected.array("cfg_x");
        NDArray noise = expected.array("cfg_noise");
        int[] label = expected.ints("cfg_label");
        for (int step = 0; step < 2; step++) {
            int k = 249 - step;
            NDArray out = FullDitWorkload.guided(model.net(), x, timesteps[k], label, 4.0, null);
            assertClose(expected.ref("cfg_out_" + step), out.toFloatArray(), 1e-5, "forward_with_cfg output, step " + step);
            x = sampler.step(x, out, k, noise.get(step));
            assertClose(expected.ref("cfg_x_" + (step + 1)), x.toFloatArray(), 1e-5, "p_sample, step " + step);
        }
    }

    @Test
    void lastStepTakesTheMeanWithoutNoise() {
        LearnedRangeDdpmSampler sampler = new LearnedRangeDdpmSampler(FullDitWorkload.schedule(250));
        NDArray next = sampler.step(expected.array("final_x"), expected.array("final_out"), 0, null);
        assertClose(expected.ref("final_next"), next.toFloatArray(), 1e-6, "p_sample at k = 0");
    }

    @Test
    void guidanceTouchesOnlyTheFirstThreeChannels() {
        NDArray x = expected.array("cfg_x");
        NDArray plain = FullDitWorkload.guided(model.net(), x, 500, new int[] {7}, 1.0, null);
        NDArray strong = FullDitWorkload.guided(model.net(), x, 500, new int[] {7}, 4.0, null);
        // scale 1 is the conditional output; channels 3..7 stay conditional at any scale
        float[] a = plain.get(":, 3:").toFloatArray();
        float[] b = strong.get(":, 3:").toFloatArray();
        assertArrayEquals(a, b);
        float[] cond = model.net().forward(x, manager.create(new float[] {500}), new int[] {7}, null).toFloatArray();
        assertClose(FullFixtures.doubles(cond), plain.toFloatArray(), 1e-6, "scale 1 = conditional output");
    }

    @Test
    void samplingTapsEverySiteOnTheGuidedBatchAndRepeats(@TempDir Path dir) throws Exception {
        Path labels = dir.resolve("labels.npy");
        NpyWriter.write(labels, new long[] {2}, new int[] {7, 2});
        try (FullDitWorkload.Loaded small = FullDitWorkload.load(manager, DIR.resolve("dit_small.pt"), Map.of("class", labels), SMALL)) {
            sampleTwice(small, dir);
        }
    }

    private static void sampleTwice(FullDitWorkload.Loaded model, Path dir) throws Exception {
        List<String> calls = new ArrayList<>();
        GeluTap tap = GeluTap.observing((site, data, rows) -> calls.add(site.name() + ":" + rows + "x" + site.channels()));
        Samples a = model.sample(2, 3, 5, tap, StepListener.NONE);
        assertArrayEquals(new long[] {2, 4, 8, 8}, a.shape());
        // 3 steps x 2 blocks, each one call on 2 samples x (cond + null) x 16 tokens
        assertEquals(6, calls.size());
        assertEquals("block.0.mlp:64x192", calls.get(0));
        assertEquals("block.1.mlp:64x192", calls.get(1));
        Samples b = model.sample(2, 3, 5, null, StepListener.NONE);
        assertArrayEquals(a.values(), b.values());
        Path png = model.writePreview(a, dir);
        assertTrue(Files.size(png) > 0);
        assertEquals("latents.png", png.getFileName().toString());
    }

    @Test
    void fullSizeDeclaresThePresetsParametersAndSites() {
        try (NDManager m = Torch.manager()) {
            for (int image : new int[] {256, 512}) {
                try (FullDit full = new FullDit(m, FullDit.Config.xl2(image / 8))) {
                    FullPreset preset = FullPresets.dit(image, 2);
                    long count = full.params().spec().values().stream().mapToLong(s -> new Shape(s).size()).sum();
                    assertEquals(preset.parameters(), count, "parameters at " + image);
                    List<GeluSite> sites = full.sites();
                    assertEquals(preset.sites().size(), sites.size());
                    for (int i = 0; i < sites.size(); i++) {
                        org.colsparse.workload.GeluSite want = preset.sites().get(i);
                        assertEquals(want.name(), sites.get(i).name());
                        assertEquals(want.k(), sites.get(i).channels());
                        assertEquals(want.tokensPerSample(), full.config().tokens());
                    }
                }
            }
        }
        assertEquals(675_129_632L, Catalog.shapes("dit").parameters());
        assertInstanceOf(FullDitWorkload.class, Catalog.runtime("dit", Preset.full));
        var info = Catalog.runtime("dit", Preset.full).info();
        assertEquals(28, info.sites().size());
        assertEquals(250, info.defaultSteps());
        assertEquals(1000, info.trainedSteps());
    }

    /** The reduced model's declared tensors, zero-filled, as a writer would save them. */
    private static SafetensorsWriter writer(String prefix, String skip, String reshape) {
        try (NDManager m = Torch.manager(); FullDit net = new FullDit(m, SMALL)) {
            return FullFixtures.zeros(net.params().spec(), prefix, skip, reshape);
        }
    }

    @Test
    void checkpointProblemsAreInputErrorsNamingTheKey(@TempDir Path dir) {
        Path missing = dir.resolve("missing.safetensors");
        writer("", "blocks.1.mlp.fc2.bias", null).write(missing, false);
        InputException e = assertThrows(InputException.class, () -> FullDitWorkload.load(manager, missing, Map.of(), SMALL));
        assertTrue(e.getMessage().contains("missing key(s) [blocks.1.mlp.fc2.bias]"), e.getMessage());

        Path wrong = dir.resolve("wrong.safetensors");
        writer("", null, "final_layer.linear.bias").write(wrong, false);
        e = assertThrows(InputException.class, () -> FullDitWorkload.load(manager, wrong, Map.of(), SMALL));
        assertTrue(e.getMessage().contains("final_layer.linear.bias is [33]"), e.getMessage());

        Path noPos = dir.resolve("nopos.safetensors");
        writer("", "pos_embed", null).write(noPos, false);
        e = assertThrows(InputException.class, () -> FullDitWorkload.load(manager, noPos, Map.of(), SMALL));
        assertTrue(e.getMessage().contains("no pos_embed"), e.getMessage());

        e = assertThrows(InputException.class, () -> Catalog.runtime("dit", Preset.full).load(manager, null));
        assertTrue(e.getMessage().contains("DiT-XL-2-256x256.pt"), e.getMessage());
        // the real architecture refuses the reduced file, naming what differs
        e = assertThrows(InputException.class, () -> Catalog.runtime("dit", Preset.full).load(manager, DIR.resolve("dit_small.pt")));
        assertTrue(e.getMessage().contains("pos_embed is [1, 16, 48], expected (1, T, 1152)"), e.getMessage());
    }

    @Test
    void trainingCheckpointUsesTheEmaWeights(@TempDir Path dir) {
        SafetensorsWriter w = writer("ema.", null, null);
        w.put("model.pos_embed", new float[16 * 48], 1, 16, 48);
        w.put("opt.state.0.exp_avg", new float[3], 3);
        Path file = dir.resolve("train.safetensors");
        w.write(file, false);
        try (FullDitWorkload.Loaded l = FullDitWorkload.load(manager, file, Map.of(), SMALL)) {
            assertEquals(8, l.net().config().inputSize());
        }
        SafetensorsWriter extra = writer("ema.", null, null);
        extra.put("args.lr", new float[1], 1);
        Path bad = dir.resolve("extra.safetensors");
        extra.write(bad, false);
        InputException e = assertThrows(InputException.class, () -> FullDitWorkload.load(manager, bad, Map.of(), SMALL));
        assertTrue(e.getMessage().contains("unexpected key(s) [args.lr]"), e.getMessage());
    }

    @Test
    void aTrainingCheckpointWithPickledArgsLoadsItsEmaWeights(@TempDir Path dir) throws Exception {
        // train.py saves {"model": ..., "ema": ..., "opt": ..., "args": argparse.Namespace}; here model and ema both hold the fixture's weights
        Path file = dir.resolve("0400000.pt");
        FullFixtures.rewritePickle(DIR.resolve("dit_small.pt"), file, p -> FullFixtures.concat(new byte[] {(byte) 0x80, 2, '}', '('},
                FullFixtures.unicode("model"), FullFixtures.body(p), FullFixtures.unicode("ema"), FullFixtures.body(p),
                FullFixtures.unicode("opt"), FullFixtures.ascii("}"), FullFixtures.unicode("args"),
                FullFixtures.object("argparse", "Namespace"), FullFixtures.ascii("u.")));
        Path labels = dir.resolve("labels.npy");
        NpyWriter.write(labels, new long[] {2}, new int[] {7, 2});
        try (FullDitWorkload.Loaded plain = FullDitWorkload.load(manager, DIR.resolve("dit_small.pt"), Map.of("class", labels), SMALL);
             FullDitWorkload.Loaded train = FullDitWorkload.load(manager, file, Map.of("class", labels), SMALL)) {
            assertArrayEquals(plain.sample(2, 3, 5, null, StepListener.NONE).values(), train.sample(2, 3, 5, null, StepListener.NONE).values());
        }
    }

    @Test
    void aSampleRunAloneTakesTheLabelOfItsNumber(@TempDir Path dir) {
        Path labels = dir.resolve("labels.npy");
        NpyWriter.write(labels, new long[] {2}, new int[] {7, 2});
        try (FullDitWorkload.Loaded small = FullDitWorkload.load(manager, DIR.resolve("dit_small.pt"), Map.of("class", labels), SMALL)) {
            // same seed: only the class tells the runs apart
            float[] one = small.sample(1, 1, 2, 5, null, StepListener.NONE).values();
            assertArrayEquals(one, small.sample(3, 1, 2, 5, null, StepListener.NONE).values(), "samples 1 and 3: class 2");
            assertFalse(Arrays.equals(one, small.sample(0, 1, 2, 5, null, StepListener.NONE).values()), "sample 0: class 7");
        }
    }

    @Test
    void classLabelsFromACondFile(@TempDir Path dir) {
        Path labels = dir.resolve("labels.npy");
        NpyWriter.write(labels, new long[] {3}, new long[] {9, 0, 4});
        try (FullDitWorkload.Loaded l = FullDitWorkload.load(manager, DIR.resolve("dit_small.pt"), Map.of("class", labels), SMALL)) {
            assertArrayEquals(new int[] {9, 0, 4, 9, 0}, l.labels(0, 5));
            assertArrayEquals(new int[] {9, 0}, l.labels(3, 2), "samples 3 and 4 take labels 3 mod 3 and 4 mod 3");
        }
        assertArrayEquals(new int[] {207, 360}, model.labels(0, 2));

        Path matrix = dir.resolve("matrix.npy");
        NpyWriter.write(matrix, new long[] {2, 2}, new long[] {1, 2, 3, 4});
        InputException e = assertThrows(InputException.class, () -> FullConditions.classIds("class", matrix, 1000));
        assertTrue(e.getMessage().startsWith("--cond class: ") && e.getMessage().contains("shape [2, 2]"), e.getMessage());

        Path floats = dir.resolve("floats.npy");
        NpyWriter.write(floats, new long[] {2}, new float[] {1, 2});
        e = assertThrows(InputException.class, () -> FullConditions.classIds("class", floats, 1000));
        assertTrue(e.getMessage().contains("expected an integer array"), e.getMessage());

        Path range = dir.resolve("range.npy");
        NpyWriter.write(range, new long[] {2}, new long[] {5, 1000});
        e = assertThrows(InputException.class, () -> FullConditions.classIds("class", range, 1000));
        assertTrue(e.getMessage().contains("element 1 is 1000"), e.getMessage());

        e = assertThrows(InputException.class,
                () -> FullDitWorkload.load(manager, DIR.resolve("dit_small.pt"), Map.of("text", labels), SMALL));
        assertTrue(e.getMessage().startsWith("--cond text: "), e.getMessage());
    }
}
