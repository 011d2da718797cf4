package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.Denoisers;
import org.colsparse.denoiser.Preset;
import org.colsparse.denoiser.Samples;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.EpsModel;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.StepListener;
import org.colsparse.sampler.X0Sampler;
import org.colsparse.train.SafetensorsWriter;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FullEdgeTest {
    static final Path DIR = Path.of("src/test/resources/full/edge");
    /** make_fixtures.py's reduced EDGE: 151 features, 12 frames, width 32, 2 decoder layers, 4 heads, FFN 64, 24 music features. */
    static final FullEdge.Config SMALL = new FullEdge.Config(151, 12, 32, 2, 4, 64, 24);

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

    private static FullEdgeWorkload.Loaded loadSmall(Path tmp) {
        Path music = FullMotionFixtures.npy(tmp.resolve("music.npy"), expected.get("music"), 2, 12, 24);
        return FullEdgeWorkload.load(manager, DIR.resolve("checkpoint.pt"), Map.of("music", music), SMALL);
    }

    @Test
    void officialArchitectureMatchesTheFullPreset() {
        try (NDManager m = manager.newSubManager(); FullEdge net = new FullEdge(m, FullEdge.OFFICIAL)) {
            // the music encoder and the decoder both run over the 150 frames
            FullMotionFixtures.assertMatchesPreset(net, "edge", new FullEdgeWorkload().info().sites(), FullEdge.OFFICIAL.frames());
        }
        assertSame(FullEdgeWorkload.class, Denoisers.get("edge", Preset.full).getClass());
    }

    @Test
    void forwardMatchesTheNumpyReference(@TempDir Path tmp) {
        try (FullEdgeWorkload.Loaded w = loadSmall(tmp); NDManager m = manager.newSubManager()) {
            NDArray x = m.create(expected.get("x"), new Shape(2, 12, 151));
            int[] t = new int[4];
            Arrays.fill(t, 999);
            int[] rows = new int[w.sites().size()];
            GeluTap tap = GeluTap.observing((site, data, r) -> rows[site.index()] = r);
            NDArray both = w.net().predict(NDArrays.concat(new NDList(x, x), 0), t, w.musicBatch(m, 2), new boolean[] {true, true, false, false}, tap);
            FullMotionFixtures.assertClose(expected.get("cond_999"), both.get("0:2"), "conditional rows");
            FullMotionFixtures.assertClose(expected.get("uncond_999"), both.get("2:"), "unconditional rows (null embeddings)");
            for (int r : rows) {
                assertEquals(4 * 12, r);
            }
        }
    }

    @Test
    void ddimStepsMatchTheOfficialSampler(@TempDir Path tmp) {
        NoiseSchedule steps = FullEdgeWorkload.ddimSteps(FullEdgeWorkload.schedule(1000), 50);
        float[] times = expected.get("ddim_times");
        for (int i = 0; i < 50; i++) {
            assertEquals((int) times[i], steps.timesteps()[49 - i]);
        }
        X0Sampler ddim = X0Sampler.ddim(steps, 1);
        try (FullEdgeWorkload.Loaded w = loadSmall(tmp); NDManager m = manager.newSubManager()) {
            NDArray x = m.create(expected.get("x"), new Shape(2, 12, 151));
            EpsModel x0 = w.guidedX0(w.musicBatch(m, 2), null);
            for (int k : new int[] {49, 0}) {
                int t = steps.timesteps()[k];
                NDArray pred = x0.predict(x, t);
                FullMotionFixtures.assertClose(expected.get("x0_" + t), pred, "guided clipped x0 at t=" + t);
                double ab = steps.alphaBars()[k];
                double[] c = ddim.coefficients(k);
                NDArray eps = x.sub(pred.mul((float) Math.sqrt(ab))).div((float) Math.sqrt(1 - ab));
                NDArray next = pred.mul((float) c[0]).add(eps.mul((float) c[1]));
                FullMotionFixtures.assertClose(expected.get("next_" + t), next, "deterministic part of the step from t=" + t);
                assertEquals(expected.get("sigma_" + t)[0], c[2], 1e-6, "sigma at t=" + t);
            }
        }
    }

    @Test
    void samplingIsDeterministicAndWritesAPreview(@TempDir Path tmp) throws Exception {
        try (FullEdgeWorkload.Loaded w = loadSmall(tmp)) {
            Samples a = w.sample(1, 3, 5, null, StepListener.NONE);
            Samples b = w.sample(1, 3, 5, null, StepListener.NONE);
            assertArrayEquals(new long[] {1, 12, 151}, a.shape());
            assertArrayEquals(a.values(), b.values());
            for (float v : a.values()) {
                assertTrue(Math.abs(v) <= 1, "the last DDIM step returns the clipped x0");
            }
            assertTrue(Files.size(w.writePreview(a, tmp)) > 0);
        }
    }

    @Test
    void checkpointErrorsNameTheKeys(@TempDir Path tmp) {
        Path music = FullMotionFixtures.npy(tmp.resolve("music.npy"), new float[12 * 24], 12, 24);
        SafetensorsWriter sw;
        try (NDManager m = manager.newSubManager(); FullEdge net = new FullEdge(m, SMALL)) {
            sw = FullFixtures.zeros(net.params().spec(), "module.", "norm_cond.bias", "null_cond_embed");
        }
        sw.put("module.seqTransDecoder.stack.0.rotary.freqs", new float[16], 16);
        sw.put("module.unknown.weight", new float[2], 2);
        Path bad = tmp.resolve("bad.safetensors");
        sw.write(bad, false);
        InputException e = assertThrows(InputException.class, () -> FullEdgeWorkload.load(manager, bad, Map.of("music", music), SMALL));
        assertTrue(e.getMessage().contains("missing key(s) [norm_cond.bias]"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected key(s) [unknown.weight]"), e.getMessage());
        assertTrue(e.getMessage().contains("null_cond_embed is [2], expected [1, 12, 32]"), e.getMessage());
        InputException none = assertThrows(InputException.class, () -> new FullEdgeWorkload().load(manager, null, Map.of()));
        assertTrue(none.getMessage().contains("checkpoint.pt"), none.getMessage());
    }

    @Test
    void theOfficialLayoutWithItsPickledNormalizerLoadsTheSameWeights(@TempDir Path tmp) {
        Path music = FullMotionFixtures.npy(tmp.resolve("music.npy"), expected.get("music"), 2, 12, 24);
        // with_normalizer.pt: checkpoint.pt's training dict plus EDGE's normalizer object, as Python pickles it
        try (FullEdgeWorkload.Loaded plain = loadSmall(tmp);
             FullEdgeWorkload.Loaded official = FullEdgeWorkload.load(manager, DIR.resolve("with_normalizer.pt"), Map.of("music", music), SMALL)) {
            assertArrayEquals(plain.sample(2, 3, 5, null, StepListener.NONE).values(), official.sample(2, 3, 5, null, StepListener.NONE).values());
        }
    }

    @Test
    void conditioningErrorsNameTheCondition(@TempDir Path tmp) {
        Path model = DIR.resolve("checkpoint.pt");
        Path wrong = FullMotionFixtures.npy(tmp.resolve("wrong.npy"), new float[12 * 25], 12, 25);
        InputException shape = assertThrows(InputException.class, () -> FullEdgeWorkload.load(manager, model, Map.of("music", wrong), SMALL));
        assertTrue(shape.getMessage().startsWith("--cond music:") && shape.getMessage().contains("[12, 25]"), shape.getMessage());
        InputException other = assertThrows(InputException.class,
                () -> FullEdgeWorkload.load(manager, model, Map.of("music", wrong, "text", wrong), SMALL));
        assertTrue(other.getMessage().startsWith("--cond text: edge takes only --cond music=FILE"), other.getMessage());
    }
}
