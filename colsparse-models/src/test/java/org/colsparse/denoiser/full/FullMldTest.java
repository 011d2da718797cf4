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
import org.colsparse.sampler.StepListener;
import org.colsparse.tensor.NpyWriter;
import org.colsparse.train.SafetensorsWriter;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPreset;
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
 * The full-size MLD runtime against an independent NumPy implementation of the official code
 * (src/test/resources/full/mld/make_fixtures.py) at a reduced size with the official key names inside a
 * Lightning-style checkpoint, and the full-size declaration against the full preset.
 */
class FullMldTest {
    private static final Path DIR = Path.of("src/test/resources/full/mld");
    /** The fixture's reduced denoiser: latent 32, ff 128, 4 heads, 5 layers, text features 24 (position tables of 500 rows, as every MLD). */
    private static final FullMld.Config SMALL = new FullMld.Config(32, 128, 4, 5, 24);

    @TempDir
    static Path conds;
    private static NDManager manager;
    private static FullMldWorkload.Loaded model;
    private static FullFixtures expected;
    private static Map<String, Path> conditions;

    @BeforeAll
    static void load() {
        manager = Torch.manager();
        expected = new FullFixtures(DIR.resolve("expected.npz"), manager);
        Path text = conds.resolve("text.npy");
        Path nul = conds.resolve("null.npy");
        NpyWriter.write(text, new long[] {1, 1, 24}, FullFixtures.floats(expected.ref("cfg_text")));
        NpyWriter.write(nul, new long[] {24}, FullFixtures.floats(expected.ref("cfg_null")));
        conditions = Map.of("text", text, "null_text", nul);
        model = FullMldWorkload.load(manager, DIR.resolve("mld_small.ckpt"), conditions, SMALL);
    }

    @AfterAll
    static void close() {
        expected.close();
        model.close();
        manager.close();
    }

    @Test
    void forwardMatchesNumpyReference() {
        NDArray out = model.net().forward(expected.array("forward_x"), manager.create(new float[] {981, 1}), expected.array("forward_text"), null);
        assertEquals(new Shape(2, 1, 32), out.getShape());
        assertClose(expected.ref("forward_out"), out.toFloatArray(), 1e-5, "MLD denoiser forward");
    }

    @Test
    void scheduleIsDiffusersDdimWithStepsOffset() {
        for (int n : new int[] {50, 7}) {
            int[] want = expected.ints("timesteps_" + n);
            int[] got = FullMldSampler.of(n).schedule().timesteps();
            // the schedule lists timesteps from the least noisy step up; diffusers from the noisiest down
            int[] reversed = new int[got.length];
            for (int i = 0; i < got.length; i++) {
                reversed[i] = got[got.length - 1 - i];
            }
            assertArrayEquals(want, reversed, "timesteps of " + n + " steps");
        }
        double[] want = expected.ref("alphas_cumprod");
        float[] got = FullMldSampler.alphasCumprod();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 2e-6 * want[i], "alphas_cumprod[" + i + "]");
        }
    }

    @Test
    void twoGuidedDdimStepsMatchNumpyReference() {
        FullMldSampler sampler = FullMldSampler.of(50);
        int[] ts = sampler.schedule().timesteps();
        NDArray x = expected.array("cfg_x");
        NDArray text = expected.array("cfg_text");
        NDArray nul = expected.array("cfg_null").reshape(1, 24);
        for (int step = 0; step < 2; step++) {
            int k = 49 - step;
            NDArray eps = FullMldWorkload.guided(model.net(), x, ts[k], text, nul, 7.5, null);
            assertClose(expected.ref("cfg_eps_" + step), eps.toFloatArray(), 1e-5, "guided eps, step " + step);
            x = sampler.update(x, eps, k, null);
            assertClose(expected.ref("cfg_x_" + (step + 1)), x.toFloatArray(), 1e-5, "DDIM step " + step);
        }
    }

    @Test
    void lastStepGoesToTheFirstAlphaBarNotToOne() {
        FullMldSampler sampler = FullMldSampler.of(50);
        NDArray next = sampler.update(expected.array("cfg_x"), expected.array("final_eps"), 0, null);
        assertClose(expected.ref("final_next"), next.toFloatArray(), 1e-5, "DDIM last step (set_alpha_to_one false)");
    }

    @Test
    void samplingTapsEverySiteOnTheGuidedBatchAndRepeats(@TempDir Path dir) throws Exception {
        List<String> calls = new ArrayList<>();
        GeluTap tap = GeluTap.observing((site, data, rows) -> calls.add(site.name() + ":" + rows + "x" + site.channels()));
        Samples a = model.sample(2, 3, 11, tap, StepListener.NONE);
        assertArrayEquals(new long[] {2, 1, 32}, a.shape());
        // 3 steps x 5 layers, each one call on 2 samples x (uncond + cond) x 3 tokens
        assertEquals(15, calls.size());
        assertEquals(List.of("input.0.ff:12x128", "input.1.ff:12x128", "middle.ff:12x128", "output.0.ff:12x128", "output.1.ff:12x128"),
                calls.subList(0, 5));
        assertArrayEquals(a.values(), model.sample(2, 3, 11, null, StepListener.NONE).values());
        Path png = model.writePreview(a, dir);
        assertTrue(Files.size(png) > 0);
        InputException e = assertThrows(InputException.class, () -> model.sample(1, 1000, 0, null, StepListener.NONE));
        assertTrue(e.getMessage().startsWith("--steps: "), e.getMessage());
    }

    @Test
    void fullSizeDeclaresThePresetsParametersAndSites() {
        try (NDManager m = Torch.manager(); FullMld full = new FullMld(m, FullMld.Config.humanml3d())) {
            FullPreset preset = Catalog.shapes("mld");
            long count = full.params().spec().values().stream().mapToLong(s -> new Shape(s).size()).sum();
            assertEquals(preset.parameters(), count);
            List<GeluSite> sites = full.sites();
            assertEquals(9, sites.size());
            assertEquals(preset.sites().size(), sites.size());
            for (int i = 0; i < sites.size(); i++) {
                org.colsparse.workload.GeluSite want = preset.sites().get(i);
                assertEquals(want.name(), sites.get(i).name());
                assertEquals(want.k(), sites.get(i).channels());
                assertEquals(want.tokensPerSample(), FullMld.TOKENS);
            }
        }
        assertInstanceOf(FullMldWorkload.class, Catalog.runtime("mld", Preset.full));
        var info = Catalog.runtime("mld", Preset.full).info();
        assertEquals(50, info.defaultSteps());
        assertEquals(2, Catalog.runtime("mld", Preset.full).conditions().size());
    }

    /** The reduced denoiser's declared tensors under Lightning's prefix, zero-filled, beside another module's. */
    private static SafetensorsWriter writer(String skip, String reshape) {
        try (NDManager m = Torch.manager(); FullMld net = new FullMld(m, SMALL)) {
            SafetensorsWriter w = FullFixtures.zeros(net.params().spec(), "state_dict.", skip, reshape);
            w.put("state_dict.vae.final_layer.bias", new float[3], 3);
            return w;
        }
    }

    @Test
    void checkpointProblemsAreInputErrorsNamingTheKey(@TempDir Path dir) {
        Path ok = dir.resolve("ok.safetensors");
        writer(null, null).write(ok, false);
        FullMldWorkload.load(manager, ok, conditions, SMALL).close();

        Path missing = dir.resolve("missing.safetensors");
        writer("denoiser.encoder.middle_block.linear2.bias", null).write(missing, false);
        InputException e = assertThrows(InputException.class, () -> FullMldWorkload.load(manager, missing, conditions, SMALL));
        assertTrue(e.getMessage().contains("missing key(s) [denoiser.encoder.middle_block.linear2.bias]"), e.getMessage());

        Path wrong = dir.resolve("wrong.safetensors");
        writer(null, "denoiser.encoder.norm.bias").write(wrong, false);
        e = assertThrows(InputException.class, () -> FullMldWorkload.load(manager, wrong, conditions, SMALL));
        assertTrue(e.getMessage().contains("denoiser.encoder.norm.bias is [33]"), e.getMessage());

        e = assertThrows(InputException.class, () -> Catalog.runtime("mld", Preset.full).load(manager, null));
        assertTrue(e.getMessage().contains("1222_mld_humanml3d_FID041.ckpt"), e.getMessage());
    }

    @Test
    void aCheckpointWithPickledHyperParametersLoadsTheSameWeights(@TempDir Path dir) throws Exception {
        // Lightning saves hyper-parameters (OmegaConf objects, numpy arrays) beside state_dict
        Path file = dir.resolve("lightning.ckpt");
        FullFixtures.rewritePickle(DIR.resolve("mld_small.ckpt"), file,
                p -> FullFixtures.withObject(p, "hyper_parameters", "omegaconf.dictconfig", "DictConfig"));
        try (FullMldWorkload.Loaded withObjects = FullMldWorkload.load(manager, file, conditions, SMALL)) {
            assertArrayEquals(model.sample(2, 3, 5, null, StepListener.NONE).values(),
                    withObjects.sample(2, 3, 5, null, StepListener.NONE).values());
        }
        // a bare state dict saved from the module (keys denoiser.*) loads too
        Path state = dir.resolve("mld_state_dict.safetensors");
        try (NDManager m = Torch.manager(); FullMld net = new FullMld(m, SMALL)) {
            FullFixtures.zeros(net.params().spec(), "", null, null).write(state, false);
        }
        FullMldWorkload.load(manager, state, conditions, SMALL).close();
    }

    @Test
    void conditioningFilesAreChecked(@TempDir Path dir) {
        Path text = conditions.get("text");
        Path nul = conditions.get("null_text");
        Path ckpt = DIR.resolve("mld_small.ckpt");
        InputException e = assertThrows(InputException.class, () -> FullMldWorkload.load(manager, ckpt, Map.of("text", text), SMALL));
        assertTrue(e.getMessage().startsWith("--cond null_text: required"), e.getMessage());

        Path wide = dir.resolve("wide.npy");
        NpyWriter.write(wide, new long[] {2, 25}, new float[50]);
        e = assertThrows(InputException.class, () -> FullMldWorkload.load(manager, ckpt, Map.of("text", wide, "null_text", nul), SMALL));
        assertTrue(e.getMessage().startsWith("--cond text: ") && e.getMessage().contains("shape [2, 25]"), e.getMessage());

        Path two = dir.resolve("two.npy");
        NpyWriter.write(two, new long[] {2, 24}, new float[48]);
        e = assertThrows(InputException.class, () -> FullMldWorkload.load(manager, ckpt, Map.of("text", text, "null_text", two), SMALL));
        assertTrue(e.getMessage().startsWith("--cond null_text: ") && e.getMessage().contains("shape [2, 24]"), e.getMessage());

        Path nan = dir.resolve("nan.npy");
        float[] v = new float[24];
        v[5] = Float.NaN;
        NpyWriter.write(nan, new long[] {1, 24}, v);
        e = assertThrows(InputException.class, () -> FullMldWorkload.load(manager, ckpt, Map.of("text", nan, "null_text", nul), SMALL));
        assertTrue(e.getMessage().startsWith("--cond text: ") && e.getMessage().contains("NaN"), e.getMessage());

        e = assertThrows(InputException.class, () -> FullMldWorkload.load(manager, ckpt, Map.of("class", text, "text", text, "null_text", nul), SMALL));
        assertTrue(e.getMessage().startsWith("--cond class: "), e.getMessage());

        Path three = dir.resolve("three.npy");
        NpyWriter.write(three, new long[] {3, 24}, new float[72]);
        try (FullMldWorkload.Loaded l = FullMldWorkload.load(manager, ckpt, Map.of("text", three, "null_text", nul), SMALL)) {
            assertEquals(5 * 24, l.textRows(0, 5).length);
        }
    }

    @Test
    void aSampleRunAloneTakesTheTextRowOfItsNumber(@TempDir Path dir) {
        float[] text = FullFixtures.floats(expected.ref("cfg_text"));
        float[] two = Arrays.copyOf(text, 2 * text.length);
        for (int i = 0; i < text.length; i++) {
            two[text.length + i] = -text[i];
        }
        Path rows = dir.resolve("two.npy");
        NpyWriter.write(rows, new long[] {2, text.length}, two);
        try (FullMldWorkload.Loaded l = FullMldWorkload.load(manager, DIR.resolve("mld_small.ckpt"), Map.of("text", rows, "null_text", conditions.get("null_text")), SMALL)) {
            assertArrayEquals(Arrays.copyOfRange(two, text.length, 2 * text.length), l.textRows(3, 1), "sample 3: row 1");
            // same seed: only the prompt tells the runs apart
            float[] one = l.sample(1, 1, 2, 11, null, StepListener.NONE).values();
            assertArrayEquals(one, l.sample(3, 1, 2, 11, null, StepListener.NONE).values(), "samples 1 and 3: text row 1");
            assertFalse(Arrays.equals(one, l.sample(0, 1, 2, 11, null, StepListener.NONE).values()), "sample 0: text row 0");
        }
    }
}
