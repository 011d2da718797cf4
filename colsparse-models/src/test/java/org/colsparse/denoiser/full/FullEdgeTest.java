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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertSame(FullEdgeWorkload.class, Catalog.runtime("edge", Preset.full).getClass());
    }

    @Test
    void forwardMatchesTheNumpyReference(@TempDir Path tmp) {
        try (FullEdgeWorkload.Loaded w = loadSmall(tmp); NDManager m = manager.newSubManager()) {
            NDArray x = m.create(expected.get("x"), new Shape(2, 12, 151));
            int[] t = new int[4];
            Arrays.fill(t, 999);
            int[] rows = new int[w.sites().size()];
            GeluTap tap = GeluTap.observing((site, data, r) -> rows[site.index()] = r);
            NDArray both = w.net().predict(NDArrays.concat(new NDList(x, x), 0), t, w.musicBatch(m, 0, 2), new boolean[] {true, true, false, false}, tap);
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
            EpsModel x0 = w.guidedX0(w.musicBatch(m, 0, 2), null, FullEdgeWorkload.GUIDANCE);
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
    void longFormSamplingMatchesTheOfficialLongDdimSample(@TempDir Path tmp) {
        // long_ddim_sample on 3 consecutive slices, all 50 steps, with make_fixtures.py's step_noise formula as the noise
        NoiseSchedule steps = FullEdgeWorkload.ddimSteps(FullEdgeWorkload.schedule(1000), 50);
        float[] weights = expected.get("long_weights");
        for (int i = 0; i < 50; i++) {
            assertEquals(weights[i], FullEdgeWorkload.longWeight(i, 50, FullEdgeWorkload.GUIDANCE), 1e-6, "weight of step " + i);
        }
        Path music = FullMotionFixtures.npy(tmp.resolve("music.npy"), expected.get("long_music"), 3, 12, 24);
        try (FullEdgeWorkload.Loaded w = FullEdgeWorkload.load(manager, DIR.resolve("checkpoint.pt"), Map.of("music", music), SMALL);
             NDManager m = manager.newSubManager()) {
            NDArray musicBoth = w.musicBatch(m, 0, 3);
            int[] drawn = {0};
            NDArray out = FullEdgeWorkload.longDdim(m.create(expected.get("long_xT"), new Shape(3, 12, 151)), steps, FullEdgeWorkload.GUIDANCE,
                    g -> w.guidedX0(musicBoth, null, g), () -> m.create(stepNoise(drawn[0]++, 3 * 12 * 151), new Shape(3, 12, 151)),
                    StepListener.NONE);
            assertEquals(49, drawn[0], "every step but the last draws noise");
            FullMotionFixtures.assertClose(expected.get("long_x"), out, "50 long-form DDIM steps");
        }
    }

    /** make_fixtures.py step_noise: {@code 1.4 sin(0.37 i + 1.3 step)} rounded to float32. */
    private static float[] stepNoise(int step, int n) {
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) (1.4 * Math.sin(0.37 * i + 1.3 * step));
        }
        return z;
    }

    @Test
    void theSamplerSettingChoosesLongOrShort() {
        assertTrue(FullEdgeWorkload.longForm(null));
        assertTrue(FullEdgeWorkload.longForm("long"));
        assertFalse(FullEdgeWorkload.longForm("short"));
        InputException e = assertThrows(InputException.class, () -> FullEdgeWorkload.longForm("normal"));
        assertTrue(e.getMessage().contains("COLSPARSE_EDGE_SAMPLER"), e.getMessage());
    }

    @Test
    void aSampleRunAloneTakesTheMusicRowOfItsNumber(@TempDir Path tmp) {
        try (FullEdgeWorkload.Loaded w = loadSmall(tmp)) {
            // two music rows, same seed: only the music tells the runs apart
            float[] one = w.sample(1, 1, 2, 5, null, StepListener.NONE).values();
            assertArrayEquals(one, w.sample(3, 1, 2, 5, null, StepListener.NONE).values(), "samples 1 and 3: music row 1");
            assertFalse(Arrays.equals(one, w.sample(0, 1, 2, 5, null, StepListener.NONE).values()), "sample 0: music row 0");
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
    void theOfficialLayoutWithItsPickledNormalizerLoadsTheSameWeights(@TempDir Path tmp) throws IOException {
        Path music = FullMotionFixtures.npy(tmp.resolve("music.npy"), expected.get("music"), 2, 12, 24);
        // with_normalizer.pt: checkpoint.pt's training dict plus EDGE's Normalizer, whose MinMaxScaler holds 5 tensors
        // (scale_, min_, data_min_, data_max_, data_range_): storages 101..105, after the 101 of the training dict
        Path official = DIR.resolve("with_normalizer.pt");
        List<String> storages = new ArrayList<>();
        try (ZipFile zip = new ZipFile(official.toFile())) {
            zip.stream().map(ZipEntry::getName).filter(n -> n.startsWith("archive/data/")).forEach(storages::add);
        }
        try (TensorSource plain = TensorSources.openWeights(DIR.resolve("checkpoint.pt")); TensorSource all = TensorSources.openWeights(official)) {
            assertEquals(plain.tensors().size() + 5, storages.size(), "the normalizer's tensors are storages of the archive");
            assertEquals(plain.tensors().stream().map(TensorInfo::name).toList(), all.tensors().stream().map(TensorInfo::name).toList(),
                    "none of the normalizer's tensors is kept");
        }
        // without those 5 storages in the archive the file loads all the same: loading never reads them
        Path stripped = tmp.resolve("without_normalizer_storages.pt");
        try (ZipFile in = new ZipFile(official.toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(stripped))) {
            for (ZipEntry e : Collections.list(in.entries())) {
                if (Set.of("101", "102", "103", "104", "105").contains(e.getName().substring(e.getName().lastIndexOf('/') + 1))
                        && e.getName().startsWith("archive/data/")) {
                    continue;
                }
                byte[] bytes = in.getInputStream(e).readAllBytes();
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setMethod(ZipEntry.STORED);
                copy.setSize(bytes.length);
                CRC32 crc = new CRC32();
                crc.update(bytes);
                copy.setCrc(crc.getValue());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        try (FullEdgeWorkload.Loaded plain = loadSmall(tmp);
             FullEdgeWorkload.Loaded withNormalizer = FullEdgeWorkload.load(manager, official, Map.of("music", music), SMALL);
             FullEdgeWorkload.Loaded unread = FullEdgeWorkload.load(manager, stripped, Map.of("music", music), SMALL)) {
            float[] expectedSample = plain.sample(2, 3, 5, null, StepListener.NONE).values();
            assertArrayEquals(expectedSample, withNormalizer.sample(2, 3, 5, null, StepListener.NONE).values());
            assertArrayEquals(expectedSample, unread.sample(2, 3, 5, null, StepListener.NONE).values());
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
