package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.catalog.Catalog;
import org.colsparse.denoiser.Preset;
import org.colsparse.denoiser.Samples;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.DdpmSampler;
import org.colsparse.sampler.EpsModel;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.StepListener;
import org.colsparse.sampler.X0Sampler;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.train.SafetensorsWriter;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FullMdmTest {
    static final Path DIR = Path.of("src/test/resources/full/mdm");
    /** make_fixtures.py's reduced MDM: 263 features, width 32, 2 layers, 4 heads, FFN 64, CLIP 16, T 1000; 10 frames. */
    static final FullMdm.Config SMALL = new FullMdm.Config(263, 32, 2, 4, 64, 16, 1000);
    static final int FRAMES = 10;

    static NDManager manager;
    static Map<String, float[]> expected;

    @BeforeAll
    static void setUp() {
        manager = Torch.manager();
        expected = FullMotionFixtures.read(DIR.resolve("expected.npz"));
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    private static FullMdmWorkload.Loaded loadSmall(Path tmp) {
        Path text = FullMotionFixtures.npy(tmp.resolve("text.npy"), expected.get("text"), 2, 16);
        return FullMdmWorkload.load(manager, DIR.resolve("model.pt"), Map.of("text", text), SMALL, FRAMES);
    }

    @Test
    void officialArchitectureMatchesTheFullPreset() {
        try (NDManager m = manager.newSubManager(); FullMdm net = new FullMdm(m, FullMdm.OFFICIAL)) {
            // every layer sees the frames and the condition token
            FullMotionFixtures.assertMatchesPreset(net, "mdm", new FullMdmWorkload().info().sites(), FullMdmWorkload.FRAMES + 1);
        }
        assertSame(FullMdmWorkload.class, Catalog.runtime("mdm", Preset.full).getClass());
    }

    @Test
    void forwardMatchesTheNumpyReference(@TempDir Path tmp) {
        try (FullMdmWorkload.Loaded w = loadSmall(tmp); NDManager m = manager.newSubManager()) {
            NDArray x = m.create(expected.get("x"), new Shape(2, FRAMES, 263));
            NDArray text = w.textBatch(m, 0, 2);
            int[] t = new int[4];
            Arrays.fill(t, 999);
            int[] rows = new int[w.sites().size()];
            GeluTap tap = GeluTap.observing((site, data, r) -> rows[site.index()] = r);
            NDArray both = w.net().predict(NDArrays.concat(new NDList(x, x), 0), t, text, tap);
            FullMotionFixtures.assertClose(expected.get("cond_999"), both.get("0:2"), "conditional rows");
            FullMotionFixtures.assertClose(expected.get("uncond_999"), both.get("2:"), "unconditional rows (text masked to zeros)");
            // one call: 2 samples x (cond, uncond) x (frames + 1 tokens)
            for (int r : rows) {
                assertEquals(4 * (FRAMES + 1), r);
            }
        }
    }

    @Test
    void guidedStepMatchesTheOfficialPosterior(@TempDir Path tmp) {
        try (FullMdmWorkload.Loaded w = loadSmall(tmp); NDManager m = manager.newSubManager()) {
            NDArray x = m.create(expected.get("x"), new Shape(2, FRAMES, 263));
            EpsModel x0 = w.guidedX0(w.textBatch(m, 0, 2), null);
            X0Sampler ddpm = X0Sampler.ddpm(NoiseSchedule.cosine(1000), DdpmSampler.Variance.FIXED_SMALL);
            for (int t : new int[] {999, 500, 0}) {
                NDArray guided = x0.predict(x, t);
                FullMotionFixtures.assertClose(expected.get("guided_" + t), guided, "guided x0 at t=" + t);
                double[] c = ddpm.coefficients(t);
                NDArray mean = guided.mul((float) c[0]).add(x.mul((float) c[1]));
                FullMotionFixtures.assertClose(expected.get("mean_" + t), mean, "posterior mean at t=" + t);
                if (t > 0) {
                    assertEquals(expected.get("sigma_" + t)[0], c[2], 1e-6, "sigma at t=" + t);
                }
            }
        }
    }

    @Test
    void aSampleRunAloneTakesTheTextRowOfItsNumber(@TempDir Path tmp) {
        try (FullMdmWorkload.Loaded w = loadSmall(tmp)) {
            // two text rows, same seed: only the prompt tells the runs apart
            float[] one = w.sample(1, 1, 2, 7, null, StepListener.NONE).values();
            assertArrayEquals(one, w.sample(3, 1, 2, 7, null, StepListener.NONE).values(), "samples 1 and 3: text row 1");
            assertFalse(Arrays.equals(one, w.sample(0, 1, 2, 7, null, StepListener.NONE).values()), "sample 0: text row 0");
        }
    }

    @Test
    void samplingIsDeterministicAndPreviewsBothWays(@TempDir Path tmp) throws Exception {
        try (FullMdmWorkload.Loaded w = loadSmall(tmp)) {
            Samples a = w.sample(2, 3, 7, null, StepListener.NONE);
            Samples b = w.sample(2, 3, 7, null, StepListener.NONE);
            assertArrayEquals(new long[] {2, FRAMES, 263}, a.shape());
            assertArrayEquals(a.values(), b.values());
            for (float v : a.values()) {
                assertTrue(Float.isFinite(v));
            }
            Path curves = Files.createDirectories(tmp.resolve("curves"));
            assertTrue(Files.size(w.writePreview(a, curves)) > 0);
        }
        float[] mean = new float[263];
        float[] std = new float[263];
        Arrays.fill(std, 0.1f);
        Map<String, Path> cond = new HashMap<>();
        cond.put("text", FullMotionFixtures.npy(tmp.resolve("t.npy"), Arrays.copyOf(expected.get("text"), 16), 16));
        cond.put("mean", FullMotionFixtures.npy(tmp.resolve("mean.npy"), mean, 263));
        cond.put("std", FullMotionFixtures.npy(tmp.resolve("std.npy"), std, 263));
        try (FullMdmWorkload.Loaded w = FullMdmWorkload.load(manager, DIR.resolve("model.pt"), cond, SMALL, FRAMES)) {
            Path sticks = Files.createDirectories(tmp.resolve("sticks"));
            assertTrue(Files.size(w.writePreview(w.sample(1, 2, 1, null, StepListener.NONE), sticks)) > 0);
        }
    }

    @Test
    void recoverFromRicMatchesTheOfficialTransform() {
        double[] xyz = FullMdmWorkload.recoverFromRic(expected.get("ric_features"), FRAMES, 263);
        float[] f = new float[xyz.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) xyz[i];
        }
        FullMotionFixtures.assertClose(expected.get("ric_joints"), f, "joint positions");
    }

    @Test
    void theFixtureHasTheOfficialFilesLayout() {
        // as training_loop.py saves it: no clip_model.*, the model's parameters and the (5000, 1, d) sinusoid buffer
        // under its two names, which load_model_wo_clip deletes before its load that may miss only clip_model.*
        try (TensorSource file = TensorSources.openWeights(DIR.resolve("model.pt"));
             NDManager m = manager.newSubManager(); FullMdm net = new FullMdm(m, SMALL)) {
            Map<String, long[]> buffers = new TreeMap<>();
            Set<String> rest = new TreeSet<>();
            for (TensorInfo t : file.tensors()) {
                if (t.name().endsWith("sequence_pos_encoder.pe")) {
                    buffers.put(t.name(), t.shape());
                } else {
                    rest.add(t.name());
                }
            }
            assertEquals(Set.of("sequence_pos_encoder.pe", "embed_timestep.sequence_pos_encoder.pe"), buffers.keySet());
            buffers.values().forEach(shape -> assertArrayEquals(new long[] {5000, 1, 32}, shape));
            assertEquals(new TreeSet<>(net.params().spec().keySet()), rest, "nothing but the model's parameters");
        }
    }

    @Test
    void checkpointErrorsNameTheKeys(@TempDir Path tmp) {
        Path text = FullMotionFixtures.npy(tmp.resolve("text.npy"), new float[16], 16);
        SafetensorsWriter sw;
        try (NDManager m = manager.newSubManager(); FullMdm net = new FullMdm(m, SMALL)) {
            sw = FullFixtures.zeros(net.params().spec(), "", "embed_text.bias", "embed_text.weight");
        }
        sw.put("sequence_pos_encoder.pe", new float[32], 1, 1, 32);
        Path bad = tmp.resolve("bad.safetensors");
        sw.write(bad, false);
        InputException e = assertThrows(InputException.class,
                () -> FullMdmWorkload.load(manager, bad, Map.of("text", text), SMALL, FRAMES));
        assertTrue(e.getMessage().contains("missing key(s) [embed_text.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("embed_text.weight is [33], expected [32, 16]"), e.getMessage());
        assertTrue(!e.getMessage().contains("sequence_pos_encoder"), e.getMessage());
        InputException none = assertThrows(InputException.class, () -> new FullMdmWorkload().load(manager, null, Map.of()));
        assertTrue(none.getMessage().contains("model000475000.pt"), none.getMessage());
    }

    @Test
    void conditioningErrorsNameTheCondition(@TempDir Path tmp) {
        Path model = DIR.resolve("model.pt");
        Path wrong = FullMotionFixtures.npy(tmp.resolve("wrong.npy"), new float[15], 15);
        InputException shape = assertThrows(InputException.class,
                () -> FullMdmWorkload.load(manager, model, Map.of("text", wrong), SMALL, FRAMES));
        assertTrue(shape.getMessage().startsWith("--cond text:") && shape.getMessage().contains("[15]"), shape.getMessage());
        float[] nan = new float[16];
        nan[3] = Float.NaN;
        Path bad = FullMotionFixtures.npy(tmp.resolve("nan.npy"), nan, 16);
        InputException nanErr = assertThrows(InputException.class,
                () -> FullMdmWorkload.load(manager, model, Map.of("text", bad), SMALL, FRAMES));
        assertTrue(nanErr.getMessage().contains("--cond text") && nanErr.getMessage().contains("NaN"), nanErr.getMessage());
        InputException missing = assertThrows(InputException.class, () -> FullMdmWorkload.load(manager, model, Map.of(), SMALL, FRAMES));
        assertTrue(missing.getMessage().startsWith("--cond text: required by the full-size mdm"), missing.getMessage());
    }
}
