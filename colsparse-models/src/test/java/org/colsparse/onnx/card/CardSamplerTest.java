package org.colsparse.onnx.card;

import org.colsparse.onnx.HostTensor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.catalog.Catalog;
import org.colsparse.denoiser.LoadedNetwork;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.VitMnist;
import org.colsparse.onnx.sampling.CallListener;
import org.colsparse.onnx.sampling.CallListener.Branch;
import org.colsparse.onnx.sampling.CardSampler;
import org.colsparse.onnx.sampling.Denoiser;
import org.colsparse.onnx.sampling.InitNoise;
import org.colsparse.runtime.GaussianPair;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.StepListener;
import org.colsparse.tensor.NpyWriter;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
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
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A card's sampling loop: the calls it makes, what each gets, and what it computes from their outputs. */
class CardSamplerTest {
    private static final Path FIXTURES = ModelCardLoaderTest.FIXTURES;
    private static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        System.setProperty("colsparse.home", ".."); // tests run in the module directory
        manager = Torch.manager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /**
     * vit-mnist's card run over the DJL network gives the built-in workload's run: the same GELU values in
     * every call, in the same order, and the same final image, bit for bit; the first two calls' inputs
     * are the fixture's colsparse-call0 / call1 tensors (made by a Python replica of the built-in's noise).
     */
    @Test
    void vitMnistCardSamplesAsTheBuiltInWorkload() {
        ModelCard card = ModelCardLoader.load(FIXTURES.resolve("vit-mnist/card.yaml"));
        try (LoadedWorkload builtin = Catalog.runtime("vit-mnist").load(manager, null)) {
            VitMnist net = (VitMnist) ((LoadedNetwork<?>) builtin).net();
            for (int sample : new int[] {0, 7}) {
                long seed = sample; // the profiler's seed + i at seed 0
                List<float[]> theirs = new ArrayList<>();
                List<Integer> theirSteps = new ArrayList<>();
                Samples expected = builtin.sample(sample, 1, 50, seed, GeluTap.observing((s, d, r) -> theirs.add(d)),
                        (i, n, t) -> theirSteps.add(t));

                List<float[]> ours = new ArrayList<>();
                List<Integer> ourSteps = new ArrayList<>();
                List<CallListener.Call> calls = new ArrayList<>();
                GeluTap tap = GeluTap.observing((s, d, r) -> ours.add(d));
                Denoiser viaDjl = inputs -> {
                    HostTensor x = inputs.get("sample");
                    try (NDManager m = manager.newSubManager()) {
                        NDArray out = net.predict(m.create(x.floats(), new Shape(x.shape())), inputs.get("timestep").floats()[0],
                                new int[] {Math.toIntExact(inputs.get("class_labels").longs()[0])}, tap);
                        return HostTensor.ofFloats(out.getShape().getShape(), out.toFloatArray());
                    }
                };
                Samples got = new CardSampler(card).sample(manager, sample, seed, null, viaDjl, (i, n, t) -> ourSteps.add(t), calls::add);

                assertEquals(400, theirs.size()); // 50 steps x 2 calls x 4 sites
                assertEquals(theirs.size(), ours.size());
                for (int i = 0; i < theirs.size(); i++) {
                    assertArrayEquals(theirs.get(i), ours.get(i), "GELU output " + i);
                }
                assertEquals(theirSteps, ourSteps);
                assertArrayEquals(expected.shape(), got.shape());
                assertArrayEquals(expected.values(), got.values());

                assertEquals(100, calls.size());
                for (int i = 0; i < 100; i++) {
                    CallListener.Call c = calls.get(i);
                    boolean cond = i % 2 == 0;
                    assertEquals(cond ? Branch.CONDITIONAL : Branch.UNCONDITIONAL, c.branch());
                    assertEquals(i / 2, c.step());
                    assertArrayEquals(new float[] {(float) ((i / 2) / 50.0)}, c.inputs().get("timestep").floats());
                    assertArrayEquals(new long[] {cond ? sample % 10 : 10}, c.inputs().get("class_labels").longs());
                }
                float[] noise = GaussianPair.floats(new SplittableRandom(seed), 784);
                assertArrayEquals(noise, calls.get(0).inputs().get("sample").floats());
                if (sample == 0) {
                    for (int call = 0; call < 2; call++) {
                        Path ref = FIXTURES.resolve("vit-mnist/reference/colsparse-call" + call);
                        CallListener.Call c = calls.get(call);
                        assertArrayEquals(floats(ref.resolve("sample.npy")), c.inputs().get("sample").floats());
                        assertArrayEquals(floats(ref.resolve("timestep.npy")), c.inputs().get("timestep").floats());
                        assertArrayEquals(longs(ref.resolve("class_labels.npy")), c.inputs().get("class_labels").longs());
                    }
                }
            }
        }
    }

    /** DiT's pair: one call per step on [x; x], labels [class, null], both timesteps the kept training step. */
    @Test
    void ditPairCallsCarryTheConditionalRowFirst() {
        ModelCard card = ModelCardLoader.load(FIXTURES.resolve("dit-tiny/card.yaml"));
        List<CallListener.Call> calls = new ArrayList<>();
        new CardSampler(card).sample(manager, 7, 3, null, fake(card, 0.1f), StepListener.NONE, calls::add);
        assertEquals(250, calls.size());
        // space_timesteps(1000, [250]), worked by hand: round(i * 999 / 249), half to even
        long[] first = {999, 995, 991};
        long[] last = {8, 4, 0};
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(new long[] {first[i], first[i]}, calls.get(i).inputs().get("timestep").longs());
            assertArrayEquals(new long[] {last[i], last[i]}, calls.get(247 + i).inputs().get("timestep").longs());
        }
        for (CallListener.Call c : calls) {
            assertEquals(Branch.PAIR, c.branch());
            assertArrayEquals(new long[] {7, 10}, c.inputs().get("class_labels").longs());
            float[] x = c.inputs().get("sample").floats();
            assertArrayEquals(Arrays.copyOfRange(x, 0, 256), Arrays.copyOfRange(x, 256, 512));
            assertEquals((int) c.inputs().get("timestep").longs()[0], c.timestep());
        }
    }

    /** SD's pair is [uncond, cond]: the context rows come in that order, at timesteps 981, 961, ..., 1. */
    @Test
    void unetPairCallsCarryTheUnconditionalRowFirst() {
        ModelCard card = ModelCardLoader.load(FIXTURES.resolve("unet-tiny/card.yaml"));
        List<CallListener.Call> calls = new ArrayList<>();
        new CardSampler(card).sample(manager, 0, 0, null, fake(card, 0.1f), StepListener.NONE, calls::add);
        assertEquals(50, calls.size());
        float[] context = floats(FIXTURES.resolve("unet-tiny/reference/fixed/encoder_hidden_states.npy"));
        for (int i = 0; i < 50; i++) {
            CallListener.Call c = calls.get(i);
            assertArrayEquals(new long[] {981 - 20 * i}, c.inputs().get("timestep").longs());
            assertArrayEquals(context, c.inputs().get("encoder_hidden_states").floats());
        }
    }

    /**
     * Guidance arithmetic on a one-step DDIM to a clean sample: the fake predicts eps = the context's value
     * (1 conditional, 0 unconditional), so the guided eps is the scale s, and the result is
     * (x - sqrt(1 - ab) s) / sqrt(ab) with ab = 1 - beta_start.
     */
    @Test
    void guidanceMixesTheBranchesAsClassifierFreeGuidance() throws IOException {
        for (String batching : new String[] {"{scale: 3.0, batching: pair, order: uncond-first}", "{scale: 3.0, batching: separate-calls}"}) {
            boolean pair = batching.contains("pair");
            ModelCard card = ModelCardLoader.load(card("""
                    workload: one-step
                    group: conv
                    modality: image
                    model: model.onnx
                    inputs:
                      sample: {name: x, shape: [%1$d, 2, 3], dtype: float32}
                      timestep: {name: t, shape: [1], dtype: float32, convention: ddpm-index}
                      conditioning:
                        - {name: c, shape: [%1$d, 1], dtype: float32, value: {constant: 1}, unconditional: zeros}
                    output: {name: eps, shape: [%1$d, 2, 3], predicts: epsilon}
                    sampler:
                      kind: ddim
                      steps: 1
                      training_steps: 1000
                      beta_schedule: {kind: linear, beta_start: 0.0001, beta_end: 0.02}
                      spacing: linspace
                      guidance: %2$s
                    """.formatted(pair ? 2 : 1, batching)));
            List<CallListener.Call> calls = new ArrayList<>();
            Denoiser epsIsContext = inputs -> {
                float[] c = inputs.get("c").floats();
                float[] out = new float[6 * c.length];
                for (int r = 0; r < c.length; r++) {
                    Arrays.fill(out, 6 * r, 6 * r + 6, c[r]);
                }
                return HostTensor.ofFloats(card.output().shape(), out);
            };
            float[] got = new CardSampler(card).sample(manager, 0, 5, null, epsIsContext, StepListener.NONE, calls::add).values();
            assertEquals(pair ? 1 : 2, calls.size());
            if (pair) {
                assertArrayEquals(new float[] {0, 1}, calls.get(0).inputs().get("c").floats());
            } else {
                assertArrayEquals(new float[] {1}, calls.get(0).inputs().get("c").floats());
                assertArrayEquals(new float[] {0}, calls.get(1).inputs().get("c").floats());
            }
            assertArrayEquals(new float[] {0}, calls.get(0).inputs().get("t").floats());
            float[] x = Arrays.copyOf(calls.get(0).inputs().get("x").floats(), 6);
            double ab = 1 - 0.0001;
            for (int i = 0; i < 6; i++) {
                assertEquals((x[i] - Math.sqrt(1 - ab) * 3.0) / Math.sqrt(ab), got[i], 1e-5);
            }
        }
    }

    /**
     * DiT's channel rule on a one-step learned-range DDPM: channels 0..2 guided (eps = s = 4), channel 3
     * the conditional row's (eps = 1); at k = 0 the step is x / sqrt(ab) - eps sqrt(1 / ab - 1).
     */
    @Test
    void guidanceChannelsLeaveTheRestConditional() throws IOException {
        ModelCard card = ModelCardLoader.load(card("""
                workload: dit-channels
                group: pure-transformer
                modality: image
                model: model.onnx
                inputs:
                  sample: {name: x, shape: [2, 4, 1, 1], dtype: float32}
                  timestep: {name: t, shape: [2], dtype: int64, convention: ddpm-index}
                  conditioning:
                    - {name: y, shape: [2], dtype: int64, value: {class-of-sample: 10}, unconditional: {constant: 10}}
                output: {name: out, shape: [2, 8, 1, 1], predicts: epsilon}
                sampler:
                  kind: ddpm
                  steps: 1
                  training_steps: 1000
                  beta_schedule: {kind: linear, beta_start: 0.0001, beta_end: 0.02}
                  spacing: iddpm
                  variance: learned-range
                  guidance: {scale: 4.0, batching: pair, order: cond-first, channels: 3}
                """));
        List<CallListener.Call> calls = new ArrayList<>();
        Denoiser epsIsConditional = inputs -> {
            long[] y = inputs.get("y").longs();
            float[] out = new float[16];
            for (int r = 0; r < 2; r++) {
                Arrays.fill(out, 8 * r, 8 * r + 4, y[r] == 10 ? 0f : 1f);
            }
            return HostTensor.ofFloats(new long[] {2, 8, 1, 1}, out);
        };
        float[] got = new CardSampler(card).sample(manager, 3, 1, null, epsIsConditional, StepListener.NONE, calls::add).values();
        assertEquals(1, calls.size());
        assertArrayEquals(new long[] {3, 10}, calls.get(0).inputs().get("y").longs());
        float[] x = calls.get(0).inputs().get("x").floats();
        double ab = 1 - 0.0001;
        for (int ch = 0; ch < 4; ch++) {
            double eps = ch < 3 ? 4 : 1;
            assertEquals(x[ch] / Math.sqrt(ab) - eps * Math.sqrt(1 / ab - 1), got[ch], 1e-5, "channel " + ch);
        }
    }

    /** Euler feeds sigma: SD's schedule runs from sigma_max 14.6146 down to sigma_min 0.0292 (k-diffusion's numbers). */
    @Test
    void eulerFeedsSigmasFromMaxToMin() throws IOException {
        ModelCard card = ModelCardLoader.load(card("""
                workload: euler-sigma
                group: unet-transformer
                modality: image
                model: model.onnx
                inputs:
                  sample: {name: x, shape: [1, 2, 2, 2], dtype: float32}
                  timestep: {name: sigma, shape: [1], dtype: float32, convention: sigma}
                output: {name: eps, shape: [1, 2, 2, 2], predicts: epsilon}
                sampler:
                  kind: euler
                  steps: 10
                  training_steps: 1000
                  beta_schedule: {kind: scaled-linear, beta_start: 0.00085, beta_end: 0.012}
                  spacing: linspace
                """));
        List<CallListener.Call> calls = new ArrayList<>();
        float[] z = GaussianPair.floats(new SplittableRandom(9), 8);
        Denoiser zero = inputs -> HostTensor.ofFloats(new long[] {1, 2, 2, 2}, new float[8]);
        float[] got = new CardSampler(card).sample(manager, 0, 9, null, zero, StepListener.NONE, calls::add).values();
        assertEquals(10, calls.size());
        assertEquals(14.6146, calls.get(0).inputs().get("sigma").floats()[0], 1e-4);
        assertEquals(0.0292, calls.get(9).inputs().get("sigma").floats()[0], 1e-4);
        for (int i = 0; i < 8; i++) {
            // the model sees x / sqrt(sigma^2 + 1) = the unit noise at the first step
            assertEquals(z[i], calls.get(0).inputs().get("x").floats()[i], 1e-5);
            // eps 0 everywhere: the state never moves from sqrt(sigma_max^2 + 1) z
            assertEquals(z[i] * Math.sqrt(14.614641229 * 14.614641229 + 1), got[i], 1e-4);
        }
    }

    /** --init-noise: the first call sees the given tensor (flow and DDPM alike); bad files are one line. */
    @Test
    void initNoiseStartsSampleZero() throws IOException {
        ModelCard vit = ModelCardLoader.load(FIXTURES.resolve("vit-mnist/card.yaml"));
        CardSampler sampler = new CardSampler(vit);
        assertArrayEquals(new long[] {1, 1, 28, 28}, sampler.latentShape());
        float[] noise = GaussianPair.floats(new SplittableRandom(42), 784);
        Path file = dir.resolve("noise.npy");
        NpyWriter.write(file, new long[] {1, 1, 28, 28}, noise);
        float[] read = InitNoise.read(file, sampler.latentShape());
        assertArrayEquals(noise, read);
        List<CallListener.Call> calls = new ArrayList<>();
        sampler.sample(manager, 0, 0, read, fake(vit, 0.5f), StepListener.NONE, calls::add);
        assertArrayEquals(noise, calls.get(0).inputs().get("sample").floats());

        ModelCard dit = ModelCardLoader.load(FIXTURES.resolve("dit-tiny/card.yaml"));
        float[] latent = GaussianPair.floats(new SplittableRandom(43), 256);
        Path three = dir.resolve("latent.npy");
        NpyWriter.write(three, new long[] {4, 8, 8}, latent); // the leading 1 may be left out
        calls.clear();
        new CardSampler(dit).sample(manager, 0, 0, InitNoise.read(three, new CardSampler(dit).latentShape()),
                fake(dit, 0.1f), StepListener.NONE, calls::add);
        assertArrayEquals(latent, Arrays.copyOf(calls.get(0).inputs().get("sample").floats(), 256));

        NpyWriter.write(dir.resolve("wrong.npy"), new long[] {28, 28}, new float[784]);
        InputException e = assertThrows(InputException.class, () -> InitNoise.read(dir.resolve("wrong.npy"), sampler.latentShape()));
        assertTrue(e.getMessage().startsWith(dir.resolve("wrong.npy") + ": init noise of shape [28, 28]"), e.getMessage());
        float[] nan = noise.clone();
        nan[5] = Float.NaN;
        NpyWriter.write(dir.resolve("nan.npy"), new long[] {1, 1, 28, 28}, nan);
        e = assertThrows(InputException.class, () -> InitNoise.read(dir.resolve("nan.npy"), sampler.latentShape()));
        assertEquals(dir.resolve("nan.npy") + ": init noise element 5 is NaN", e.getMessage());
    }

    /** Same seed, same bits; another seed, another start. */
    @Test
    void samplesAreDeterministicInTheSeed() {
        ModelCard card = ModelCardLoader.load(FIXTURES.resolve("unet-tiny/card.yaml"));
        CardSampler s = new CardSampler(card);
        float[] a = s.sample(manager, 0, 11, null, fake(card, 0.2f), StepListener.NONE, CallListener.NONE).values();
        float[] b = s.sample(manager, 0, 11, null, fake(card, 0.2f), StepListener.NONE, CallListener.NONE).values();
        float[] c = s.sample(manager, 0, 12, null, fake(card, 0.2f), StepListener.NONE, CallListener.NONE).values();
        assertArrayEquals(a, b);
        assertFalse(Arrays.equals(a, c));
    }

    /**
     * Batching is how the branches reach the graph, not what they compute: over a graph that treats rows
     * independently, a pair call per step and two separate calls give the same sample, bit for bit, for the
     * flow solver and for DDIM.
     */
    @Test
    void pairAndSeparateCallsGiveTheSameSample() throws IOException {
        String flow = """
                workload: flow-pair
                group: pure-transformer
                modality: image
                model: model.onnx
                inputs:
                  sample: {name: x, shape: [%1$d, 1, 2, 2], dtype: float32}
                  timestep: {name: t, shape: [%1$d], dtype: float32, convention: flow-time}
                  conditioning:
                    - {name: y, shape: [%1$d], dtype: int64, value: {class-of-sample: 10}, unconditional: {constant: 10}}
                output: {name: x1, shape: [%1$d, 1, 2, 2], predicts: x0}
                sampler:
                  kind: flow-euler
                  steps: 6
                  guidance: %2$s
                """;
        String ddim = """
                workload: ddim-pair
                group: unet-transformer
                modality: image
                model: model.onnx
                inputs:
                  sample: {name: x, shape: [%1$d, 1, 2, 2], dtype: float32}
                  timestep: {name: t, shape: [%1$d], dtype: int64, convention: ddpm-index}
                  conditioning:
                    - {name: y, shape: [%1$d], dtype: int64, value: {class-of-sample: 10}, unconditional: {constant: 10}}
                output: {name: eps, shape: [%1$d, 1, 2, 2], predicts: epsilon}
                sampler:
                  kind: ddim
                  steps: 6
                  training_steps: 1000
                  beta_schedule: {kind: linear, beta_start: 0.0001, beta_end: 0.02}
                  spacing: leading
                  guidance: %2$s
                """;
        for (String template : new String[] {flow, ddim}) {
            ModelCard pair = ModelCardLoader.load(card(template.formatted(2, "{scale: 2.5, batching: pair, order: uncond-first}")));
            List<CallListener.Call> pairCalls = new ArrayList<>();
            float[] a = new CardSampler(pair).sample(manager, 4, 8, null, rowWise(pair), StepListener.NONE, pairCalls::add).values();
            ModelCard separate = ModelCardLoader.load(card(template.formatted(1, "{scale: 2.5, batching: separate-calls}")));
            List<CallListener.Call> separateCalls = new ArrayList<>();
            float[] b = new CardSampler(separate).sample(manager, 4, 8, null, rowWise(separate), StepListener.NONE, separateCalls::add).values();
            assertEquals(6, pairCalls.size());
            assertEquals(12, separateCalls.size());
            assertArrayEquals(new long[] {10, 4}, pairCalls.get(0).inputs().get("y").longs());
            assertArrayEquals(new long[] {4}, separateCalls.get(0).inputs().get("y").longs());
            assertArrayEquals(new long[] {10}, separateCalls.get(1).inputs().get("y").longs());
            assertArrayEquals(a, b);
        }
    }

    /**
     * v and x0 outputs through a one-step DDIM to a clean sample from training step 500 (alpha-bar worked out
     * as the product of 1 - beta_t): v gives sqrt(ab) x - sqrt(1 - ab) v, x0 gives the output itself.
     */
    @Test
    void vAndX0OutputsBecomeTheCleanSample() throws IOException {
        double ab = 1;
        for (int t = 0; t <= 500; t++) {
            ab *= 1 - (1e-4 + 0.0199 * t / 999);
        }
        for (String predicts : new String[] {"v", "x0"}) {
            ModelCard card = ModelCardLoader.load(card("""
                    workload: one-step-%s
                    group: unet-transformer
                    modality: image
                    model: model.onnx
                    inputs:
                      sample: {name: x, shape: [1, 1, 2, 2], dtype: float32}
                      timestep: {name: t, shape: [1], dtype: int64, convention: ddpm-index}
                    output: {name: out, shape: [1, 1, 2, 2], predicts: %s}
                    sampler:
                      kind: ddim
                      steps: 1
                      training_steps: 1000
                      beta_schedule: {kind: linear, beta_start: 0.0001, beta_end: 0.02}
                      spacing: leading
                      steps_offset: 500
                    """.formatted(predicts, predicts)));
            List<CallListener.Call> calls = new ArrayList<>();
            Denoiser constant = inputs -> HostTensor.ofFloats(new long[] {1, 1, 2, 2}, new float[] {0.5f, -0.25f, 1f, 2f});
            float[] got = new CardSampler(card).sample(manager, 0, 2, null, constant, StepListener.NONE, calls::add).values();
            assertArrayEquals(new long[] {500}, calls.get(0).inputs().get("t").longs());
            float[] x = calls.get(0).inputs().get("x").floats();
            float[] out = {0.5f, -0.25f, 1f, 2f};
            for (int i = 0; i < 4; i++) {
                double want = predicts.equals("v") ? Math.sqrt(ab) * x[i] - Math.sqrt(1 - ab) * out[i] : out[i];
                assertEquals(want, got[i], 1e-5, predicts + " element " + i);
            }
        }
    }

    /**
     * A step count given to sample is the card's steps for that run: the same calls and the same sample,
     * bit for bit, as a card that says that count (flow time, DDIM and Euler schedules alike).
     */
    @Test
    void aGivenStepCountSamplesAsACardWithThatCount() throws IOException {
        String head = """
                workload: steps
                group: unet-transformer
                modality: image
                model: model.onnx
                inputs:
                  sample: {name: x, shape: [1, 1, 2, 2], dtype: float32}
                  timestep: {name: t, shape: [1], dtype: %s}
                output: {name: out, shape: [1, 1, 2, 2], predicts: %s}
                sampler:
                  steps: %d
                """;
        String[][] kinds = {
                {"float32, convention: flow-time", "x0", "  kind: flow-euler\n"},
                {"int64, convention: ddpm-index", "epsilon", """
                          kind: ddim
                          training_steps: 1000
                          beta_schedule: {kind: linear, beta_start: 0.0001, beta_end: 0.02}
                          spacing: leading
                        """},
                {"float32, convention: sigma", "epsilon", """
                          kind: euler
                          training_steps: 1000
                          beta_schedule: {kind: scaled-linear, beta_start: 0.00085, beta_end: 0.012}
                          spacing: linspace
                        """}};
        for (String[] k : kinds) {
            ModelCard ten = ModelCardLoader.load(card(head.formatted(k[0], k[1], 10) + k[2]));
            List<CallListener.Call> given = new ArrayList<>();
            float[] a = new CardSampler(ten).sample(manager, 0, 4, 5, null, fake(ten, 0.2f), StepListener.NONE, given::add).values();
            ModelCard four = ModelCardLoader.load(card(head.formatted(k[0], k[1], 4) + k[2]));
            List<CallListener.Call> card = new ArrayList<>();
            float[] b = new CardSampler(four).sample(manager, 0, 5, null, fake(four, 0.2f), StepListener.NONE, card::add).values();
            assertEquals(card.size(), given.size(), k[2]);
            for (int i = 0; i < card.size(); i++) {
                assertEquals(card.get(i).timestep(), given.get(i).timestep(), k[2]);
                assertEquals(card.get(i).steps(), given.get(i).steps(), k[2]);
            }
            assertArrayEquals(b, a, k[2]);
        }
    }

    /** A stand-in graph whose row r depends only on row r of its inputs (sample, timestep, label). */
    private static Denoiser rowWise(ModelCard card) {
        return inputs -> {
            float[] x = inputs.get("x").floats();
            long[] y = inputs.get("y").longs();
            HostTensor t = inputs.get("t");
            int rows = y.length;
            int per = x.length / rows;
            float[] out = new float[x.length];
            for (int r = 0; r < rows; r++) {
                double time = t.floats() != null ? t.floats()[r] : t.longs()[r] / 1000.0;
                for (int i = 0; i < per; i++) {
                    out[r * per + i] = (float) (0.3 * x[r * per + i] + 0.05 * y[r] + 0.1 * time);
                }
            }
            return HostTensor.ofFloats(card.output().shape(), out);
        };
    }

    /** A stand-in graph: the output is {@code k} times the sample input, its channels repeated to the output's. */
    private static Denoiser fake(ModelCard card, float k) {
        return inputs -> {
            float[] x = inputs.get(card.sample().name()).floats();
            long[] shape = card.output().shape();
            float[] out = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (p, q) -> p * q))];
            for (int i = 0; i < out.length; i++) {
                out[i] = k * x[i % x.length];
            }
            return HostTensor.ofFloats(shape, out);
        };
    }

    private Path card(String text) throws IOException {
        Files.write(dir.resolve("model.onnx"), new byte[] {0});
        Path p = dir.resolve("card.yaml");
        Files.writeString(p, text);
        return p;
    }

    private static float[] floats(Path npy) {
        try (TensorSource src = TensorSources.open(npy)) {
            TensorData d = src.data(src.tensors().get(0).name());
            float[] v = new float[Math.toIntExact(d.info().elementCount())];
            d.readFloats(0, v, 0, v.length);
            return v;
        }
    }

    private static long[] longs(Path npy) {
        try (TensorSource src = TensorSources.open(npy)) {
            TensorData d = src.data(src.tensors().get(0).name());
            double[] v = new double[Math.toIntExact(d.info().elementCount())];
            d.readDoubles(0, v, 0, v.length);
            return Arrays.stream(v).mapToLong(e -> (long) e).toArray();
        }
    }
}
