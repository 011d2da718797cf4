package org.colsparse.denoiser;

import org.colsparse.catalog.Catalog;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.FlowSdeSampler;
import org.colsparse.sampler.StepListener;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.train.SafetensorsWriter;
import org.colsparse.util.InputException;
import org.colsparse.workload.Modality;
import org.colsparse.workload.SiteRole;
import org.colsparse.workload.WorkloadGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped third-party DiffusionViT against an independent float64 NumPy implementation of its
 * author's architecture.py and generate.py ({@code src/test/resources/vit-mnist/make_fixture.py}).
 */
class VitMnistTest {
    /** float32 against float64: relative L2 error of a whole output. */
    private static final double REL = 1e-5;

    private static NDManager manager;
    private static LoadedWorkload model;
    private static VitMnist net;
    private static Map<String, double[]> ref;

    @BeforeAll
    static void load() {
        System.setProperty("colsparse.home", ".."); // tests run in the module directory
        manager = Torch.manager();
        model = Catalog.runtime("vit-mnist").load(manager, null);
        net = ((VitMnistWorkload.Loaded) model).net();
        ref = new HashMap<>();
        try (TensorSource src = TensorSources.open(Path.of("src/test/resources/vit-mnist/expected.npz"))) {
            for (var t : src.tensors()) {
                TensorData d = src.data(t.name());
                double[] v = new double[Math.toIntExact(t.elementCount())];
                d.readDoubles(0, v, 0, v.length);
                ref.put(t.name(), v);
            }
        }
    }

    @AfterAll
    static void close() {
        model.close();
        manager.close();
    }

    /** The fixture's input: x[b, 0, r, c] = 0.8 sin(0.37 r + 0.11 c + b). */
    private static NDArray testInput(int batch) {
        float[] x = new float[batch * 784];
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    x[b * 784 + r * 28 + c] = (float) (0.8 * Math.sin(0.37 * r + 0.11 * c + b));
                }
            }
        }
        return manager.create(x, new Shape(batch, 1, 28, 28));
    }

    /** Its pictures as the author's training saw them; the accuracy sweep prints how in runs[].decoding. */
    @Test
    void decodesItsOwnPictures() {
        org.colsparse.sweep.Decoders.Choice d = model.decoding();
        assertEquals("picture x in [0, 1] (the author's sampler clips its output there)", d.how());
        var image = (org.colsparse.sweep.ModalOutput.Image) d.decoder().decode(new Samples(new float[] {-0.5f, 0.25f, 1.5f}, new long[] {1, 1, 1, 3}));
        assertArrayEquals(new double[] {0.0, 0.25, 1.0}, image.values(), 1e-7);
    }

    @Test
    void forwardMatchesTheNumpyReferenceOnTheShippedWeights() {
        double[] ts = ref.get("forward_t");
        double[] ys = ref.get("forward_y");
        for (int c = 0; c < ts.length; c++) {
            int[] labels = new int[2];
            for (int b = 0; b < 2; b++) {
                labels[b] = ys[2 * c + b] < 0 ? VitMnist.NULL_LABEL : (int) ys[2 * c + b];
            }
            float[] out = net.predict(testInput(2), (float) ts[c], labels, null).toFloatArray();
            assertRelClose(ref.get("forward_" + c), out, REL, "forward at t = " + ts[c] + ", labels " + Arrays.toString(labels));
        }
    }

    @Test
    void fourFfnSitesOf256ChannelsOverAll20Tokens() {
        // the checkpoint README's count for DiffusionViT(dim 64, 4 layers, 4 heads, mlp_ratio 4, 10 classes)
        assertEquals(208_705, net.params().spec().values().stream().mapToLong(s -> new Shape(s).size()).sum());
        List<GeluSite> sites = model.sites();
        assertEquals(4, sites.size());
        for (int i = 0; i < 4; i++) {
            assertEquals("transformer." + i + ".gelu", sites.get(i).name());
            assertEquals(256, sites.get(i).channels());
            assertEquals(SiteRole.FFN, sites.get(i).role());
        }
        List<float[]> layer0 = new ArrayList<>();
        net.predict(testInput(2), 0.5f, new int[] {7, 0}, GeluTap.observing((s, data, rows) -> {
            if (s.index() == 0) {
                layer0.add(data);
            }
        }));
        assertEquals(1, layer0.size());
        assertEquals(2 * 20 * 256, layer0.get(0).length);
        // sample 0's 16 patch rows and 4 condition-token rows, in token order
        assertRelClose(ref.get("gelu0"), Arrays.copyOf(layer0.get(0), 20 * 256), REL, "layer 0 GELU");

        // sampling: every call holds one image (20 rows); conditional and unconditional calls at each step
        int[][] calls = new int[4][2];
        model.sample(3, 2, 1, GeluTap.observing((s, data, rows) -> {
            assertEquals(20, rows, s.name());
            calls[s.index()][0]++;
            calls[s.index()][1] += rows;
        }), StepListener.NONE);
        for (int[] c : calls) {
            assertArrayEquals(new int[] {3 * 2 * 2, 3 * 2 * 2 * 20}, c);
        }
    }

    /** {@code steps} of the author's solver at diffusion coefficient {@code diffusion} against the reference's {@code key}, fed its noise. */
    private static void assertSolverMatches(double diffusion, String key) {
        // the 5-step run evaluates t = 0, 0.2, 0.4, 0.6, 0.8: guidance 2 at 0.4 and 0.6 only
        int steps = 5;
        float[] noise = floats(ref.get("sampler_noise"));
        double[] want = ref.get(key);
        int image = 2 * 784;
        int[] cond = {VitMnistWorkload.label(0), VitMnistWorkload.label(1)};
        assertArrayEquals(ref.get("sampler_labels"), new double[] {cond[0], cond[1]});
        List<float[]> seen = new ArrayList<>();
        FlowSdeSampler sampler = new FlowSdeSampler(steps, VitMnistWorkload.GUIDANCE, VitMnistWorkload.CFG_START,
                VitMnistWorkload.CFG_END, diffusion);
        try (NDManager run = manager.newSubManager()) {
            NDArray x = sampler.sample(run, new Shape(2, 1, 28, 28), (z, t, conditional) -> {
                if (conditional) {
                    seen.add(z.toFloatArray());
                }
                return net.predict(z, t, conditional ? cond : new int[] {10, 10}, null);
            }, replay(noise, image), StepListener.NONE);
            // the state handed to step i is the result of step i - 1
            for (int i = 1; i < steps; i++) {
                assertRelClose(Arrays.copyOfRange(want, (i - 1) * image, i * image), seen.get(i), REL, key + ": x after step " + i);
            }
            assertRelClose(Arrays.copyOfRange(want, (steps - 1) * image, steps * image), x.toFloatArray(), REL, key + ": x after step " + steps);
        }
        assertEquals(1.0, sampler.weightAt(0.2));
        assertEquals(2.0, sampler.weightAt(0.4));
        assertEquals(1.0, sampler.weightAt(0.7));
    }

    @Test
    void samplerStepsMatchTheNumpyReferenceFedTheSameNoise() {
        // the solver with its stochastic terms (diffusion_generation's default coefficient 1) and without (the command line's 0)
        assertSolverMatches(1.0, "sampler_x");
        assertSolverMatches(0.0, "sampler_ode_x");

        // the workload's run is the command line's integration, clipped to the author's [0, 1] picture
        int steps = 5;
        int image = 2 * 784;
        float[] samples = ((VitMnistWorkload.Loaded) model).sample(0, 2, steps, replay(floats(ref.get("sampler_noise")), image), null,
                StepListener.NONE).values();
        double[] clipped = Arrays.copyOfRange(ref.get("sampler_ode_x"), (steps - 1) * image, steps * image);
        for (int i = 0; i < clipped.length; i++) {
            clipped[i] = Math.min(1, Math.max(0, clipped[i]));
        }
        assertRelClose(clipped, samples, REL, "samples");
    }

    @Test
    void sameSeedSameSamplesBitForBitAndTheDefaultsAreTheAuthors() {
        float[] a = model.sample(2, 4, 11, null, StepListener.NONE).values();
        assertArrayEquals(a, model.sample(2, 4, 11, null, StepListener.NONE).values());
        assertFalse(Arrays.equals(a, model.sample(2, 4, 12, null, StepListener.NONE).values()));
        DenoiserInfo info = model.info();
        // generate.py's command line: --num-steps 50, --diffusion 0.0, --weight 2.0 (cfg window 0.3 .. 0.7 from diffusion_generation)
        assertEquals(50, info.defaultSteps());
        assertEquals(0.0, VitMnistWorkload.DIFFUSION);
        assertEquals(2.0, VitMnistWorkload.GUIDANCE);
        assertEquals(WorkloadGroup.PURE_TRANSFORMER, info.group());
        assertEquals(Modality.IMAGE, info.modality());
        assertEquals(org.colsparse.workload.GeluVariant.EXACT, info.geluForm());
        int[] reported = new int[50];
        model.sample(1, 50, 0, null, (step, steps, timestep) -> reported[step] = timestep);
        assertEquals(0, reported[0]);
        assertEquals(20, reported[1]);
        assertEquals(980, reported[49]);
    }

    @Test
    void thresholdZeroTapIsBitIdenticalAndZeroEverythingTapIsNot() {
        float[] plain = model.sample(1, 3, 3, null, StepListener.NONE).values();
        assertArrayEquals(plain, model.sample(1, 3, 3, GeluTap.observing((s, d, r) -> { }), StepListener.NONE).values());
        assertArrayEquals(plain, model.sample(1, 3, 3, GeluTap.zeroing(0), StepListener.NONE).values());
        assertFalse(Arrays.equals(plain, model.sample(1, 3, 3, GeluTap.zeroing(1e30), StepListener.NONE).values()));
    }

    @Test
    void aCheckpointThatDoesNotFitNamesEveryMissingUnexpectedAndMisShapedKey(@TempDir Path dir) {
        Path foreign = Path.of("../models/ddpm-mnist/ddpm_mnist.pth");
        String msg = assertThrows(InputException.class, () -> Catalog.runtime("vit-mnist").load(manager, foreign)).getMessage();
        assertTrue(msg.startsWith(foreign + ": not a vit-mnist checkpoint: 54 missing key(s) [patch_embed.bias, patch_embed.weight, pos_embed, "
                + "transformer.0.linear1.bias"), msg);
        assertTrue(msg.contains("; 29 unexpected key(s) [alpha_t, beta_t, "), msg);
        assertFalse(msg.contains("\n"));

        SafetensorsWriter w = new SafetensorsWriter();
        net.params().spec().forEach((name, shape) -> {
            long[] s = name.equals("pos_embed") ? new long[] {1, 20, 64} : shape;
            if (!name.equals("transformer.3.norm2.bias")) {
                w.put(name, new float[Math.toIntExact(new Shape(s).size())], s);
            }
        });
        w.put("transformer.4.norm2.bias", new float[64], 64);
        Path bad = dir.resolve("bad.safetensors");
        w.write(bad, false);
        assertEquals(bad + ": not a vit-mnist checkpoint: 1 missing key(s) [transformer.3.norm2.bias]; 1 unexpected key(s) "
                        + "[transformer.4.norm2.bias]; 1 wrong shape(s) [pos_embed is [1, 20, 64], expected [1, 16, 64]]",
                assertThrows(InputException.class, () -> Catalog.runtime("vit-mnist").load(manager, bad)).getMessage());
        assertEquals("nope.pth: checkpoint not found",
                assertThrows(InputException.class, () -> Catalog.runtime("vit-mnist").load(manager, Path.of("nope.pth"))).getMessage());
    }

    /** Noise replayed from the reference: the starting noise, then one array per step. */
    private static FlowSdeSampler.Noise replay(float[] all, int per) {
        int[] next = {0};
        return n -> {
            assertEquals(per, n);
            float[] v = Arrays.copyOfRange(all, next[0] * per, (next[0] + 1) * per);
            next[0]++;
            return v;
        };
    }

    private static float[] floats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static void assertRelClose(double[] want, float[] got, double rel, String what) {
        assertEquals(want.length, got.length, what + " length");
        double err = 0;
        double norm = 0;
        for (int i = 0; i < want.length; i++) {
            err += (got[i] - want[i]) * (got[i] - want[i]);
            norm += want[i] * want[i];
        }
        double r = Math.sqrt(err / norm);
        System.out.printf("vit-mnist %s: relative L2 error %.2e%n", what, r);
        assertTrue(r <= rel, what + ": relative L2 error " + r + " > " + rel);
    }
}
