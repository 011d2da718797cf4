package org.colsparse.onnx;

import ai.djl.ndarray.NDManager;
import org.colsparse.catalog.Catalog;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Profiler;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.GemmRecorder;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.StepListener;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sparsity.NearZeroMask;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;
import org.colsparse.workload.SiteRole;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An ONNX graph and its card as a workload, profiled by the same Profiler as the built-in workloads. */
class OnnxWorkloadTest {
    private static final Path VIT = Path.of("src/test/resources/onnx/vit-mnist");
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

    private static OnnxWorkload vit(String model) {
        return OnnxWorkload.open(new OnnxWorkload.Files(VIT.resolve(model), VIT.resolve("card.yaml"), null), OnnxRunner.Threads.ONE);
    }

    /** Every site output of samples 0 .. samples - 1 run as the profiler runs them, call after call, site by site. */
    private static List<float[]> outputs(LoadedWorkload w, int samples, int steps) {
        List<float[]> out = new ArrayList<>();
        GeluTap tap = GeluTap.observing((site, data, rows) -> out.add(data.clone()));
        for (int i = 0; i < samples; i++) {
            w.sample(i, 1, steps, i, tap, StepListener.NONE);
        }
        return out;
    }

    /**
     * The exported vit-mnist graph (decomposed and fused GELU) and the DJL built-in vit-mnist, profiled on
     * the same calls (2 samples x 3 steps, cond and uncond calls, seeds 0 and 1). ONNX Runtime and PyTorch
     * do not agree to the bit (their erf, MatMul summation order), so the bound is stated from the data: with
     * d the largest difference of any GELU output between the two runs, an element can be near zero in one
     * and not the other only when its built-in value lies within d of tau; per site and threshold the
     * near-zero counts and the zero columns differ by at most the number of such elements, and are equal
     * where there is none. Sites, shapes, calls and the consumer GEMMs are equal exactly.
     */
    @Test
    void vitMnistProfileEqualsTheBuiltInOnTheSameCalls() {
        double[] taus = {0.001, 0.01, 0.1};
        Profiler.Config config = new Profiler.Config(2, 3, 0, new AnalysisConfig(taus, new int[] {16, 128}), 2, 0.01, 2);
        Profiler.Result builtIn;
        List<float[]> reference;
        try (LoadedWorkload w = Catalog.runtime("vit-mnist").load(manager, null)) {
            builtIn = Profiler.run(w, config, StepListener.NONE);
            reference = outputs(w, 2, 3);
        }
        for (String model : new String[] {"vit-mnist.onnx", "vit-mnist-fused.onnx"}) {
            OnnxWorkload onnx = vit(model);
            assertEquals(List.of("transformer.0.gelu", "transformer.1.gelu", "transformer.2.gelu", "transformer.3.gelu"),
                    onnx.info().sites().stream().map(SiteSpec::name).toList());
            // 16 patches + 2 time + 2 class tokens per call, the FFN's 256 channels, down-projection consumers
            for (SiteSpec s : onnx.info().sites()) {
                assertEquals(256, s.channels());
                assertEquals(20, s.rowsPerSample());
                assertEquals(SiteRole.FFN, s.role());
            }
            Profiler.Result r;
            List<float[]> got;
            try (LoadedWorkload w = onnx.load(manager, null)) {
                r = Profiler.run(w, config, StepListener.NONE);
                got = outputs(w, 2, 3);
            }
            // 2 samples x 3 steps x (cond + uncond) calls x 4 sites
            assertEquals(48, reference.size());
            assertEquals(reference.size(), got.size());
            double d = 0;
            for (int c = 0; c < got.size(); c++) {
                for (int e = 0; e < got.get(c).length; e++) {
                    d = Math.max(d, Math.abs(got.get(c)[e] - reference.get(c)[e]));
                }
            }
            assertTrue(d < 1e-4, model + ": GELU outputs differ by " + d);
            assertEquals(builtIn.sites().size(), r.sites().size());
            long differing = 0;
            for (int i = 0; i < r.sites().size(); i++) {
                SiteStats a = builtIn.sites().get(i);
                SiteStats b = r.sites().get(i);
                String what = model + " " + a.site() + " tau " + a.threshold() + " R " + a.tileRows();
                assertEquals(a.site(), b.site(), what);
                assertEquals(a.elements(), b.elements(), what);
                assertEquals(a.calls(), b.calls(), what);
                int site = i / (taus.length * 2);
                long near = 0;
                float tau = NearZeroMask.largestFloatNotAbove(a.threshold());
                for (int c = site; c < reference.size(); c += 4) {
                    for (float v : reference.get(c)) {
                        if (Math.abs(Math.abs(v) - tau) <= d) {
                            near++;
                        }
                    }
                }
                assertTrue(Math.abs(a.nearZeroElements() - b.nearZeroElements()) <= near, what + ": " + near + " elements within " + d + " of tau");
                assertTrue(Math.abs(a.zeroColumns() - b.zeroColumns()) <= near, what);
                differing += Math.abs(a.nearZeroElements() - b.nearZeroElements());
            }
            System.out.printf("%s vs built-in vit-mnist: largest GELU output difference %.3g; near-zero counts differ by %d elements in all (of %d)%n",
                    model, d, differing, builtIn.sites().stream().mapToLong(SiteStats::elements).sum());
            // 2 samples x 3 steps x (cond + uncond) calls, each of 20 rows
            assertEquals(12 * 20 * 256, r.sites().get(0).elements());
            assertEquals(builtIn.calls().size(), r.calls().size());
            // the down-projections consume their site: 20 rows, K = 256, N = 64 (the model width)
            List<Gemm> consumers = r.gemms().stream().map(GemmRecorder.Op::gemm).filter(Gemm::consumesGelu).toList();
            assertEquals(4, consumers.size());
            for (int l = 0; l < 4; l++) {
                Gemm g = consumers.get(l);
                assertEquals("transformer." + l + ".gelu", g.consumesSite());
                assertEquals(List.of(20L, 256L, 64L, 1L), List.of(g.m(), g.k(), g.n(), g.instances()));
            }
            // every GEMM of a call, in order, as PyTorch deploys it: the packed in_proj (20 x 64 x 192), the
            // attention products, out_proj, the FFN, and the patch embedding and unpatchify convolutions
            assertEquals(shapesOf(builtIn.gemms()), shapesOf(r.gemms()), model);
            assertEquals(26, r.gemms().size());
        }
    }

    private static List<List<Object>> shapesOf(List<GemmRecorder.Op> ops) {
        return ops.stream().map(GemmRecorder.Op::gemm)
                .map(g -> List.<Object>of(g.m(), g.k(), g.n(), g.instances(), String.valueOf(g.consumesSite()))).toList();
    }

    /** The accuracy sweep's zeroing runs inside the graph: what the observer sees has no |a| <= tau left but exact zeros. */
    @Test
    void aZeroingTapThresholdsInsideTheGraph() {
        OnnxWorkload onnx = vit("vit-mnist.onnx");
        long[] seen = {0, 0};
        float tau = NearZeroMask.largestFloatNotAbove(0.05);
        GeluTap tap = GeluTap.zeroingAndObserving(0.05, (site, data, rows) -> {
            for (float v : data) {
                seen[0]++;
                if (v != 0 && Math.abs(v) <= tau) {
                    seen[1]++;
                }
            }
        });
        float[] dense;
        float[] zeroed;
        try (LoadedWorkload w = onnx.load(manager, null)) {
            dense = w.sample(0, 1, 2, 0, null, StepListener.NONE).values();
            zeroed = w.sample(0, 1, 2, 0, tap, StepListener.NONE).values();
        }
        // 2 steps x (cond + uncond) x 4 sites x 20 rows x 256 channels
        assertEquals(2 * 2 * 4 * 20 * 256, seen[0]);
        assertEquals(0, seen[1]);
        assertTrue(!java.util.Arrays.equals(dense, zeroed), "zeroing at 0.05 changes the image");
    }

    /**
     * {@code --init-noise}: sample 0 starts from the file's tensor. The seed-0 noise written to a file gives the
     * seeded run bit for bit; another tensor another image; samples other than 0 keep their seeded noise.
     */
    @Test
    void initNoiseStartsSampleZero() {
        Path seeded = dir.resolve("seeded.npy");
        org.colsparse.tensor.NpyWriter.write(seeded, new long[] {1, 1, 28, 28},
                org.colsparse.runtime.GaussianPair.floats(new java.util.SplittableRandom(0), 784));
        Path other = dir.resolve("other.npy");
        org.colsparse.tensor.NpyWriter.write(other, new long[] {1, 28, 28},
                org.colsparse.runtime.GaussianPair.floats(new java.util.SplittableRandom(99), 784));
        float[][] plain = run(null);
        float[][] same = run(seeded);
        float[][] changed = run(other);
        assertEquals(java.util.Arrays.toString(plain[0]), java.util.Arrays.toString(same[0]));
        assertTrue(!java.util.Arrays.equals(plain[0], changed[0]), "another starting noise, another image");
        assertEquals(java.util.Arrays.toString(plain[1]), java.util.Arrays.toString(changed[1]), "sample 1 keeps its seeded noise");
        Path wrong = dir.resolve("wrong.npy");
        org.colsparse.tensor.NpyWriter.write(wrong, new long[] {1, 14, 14}, new float[196]);
        String m = assertThrows(InputException.class, () -> run(wrong)).getMessage();
        assertEquals(wrong + ": init noise of shape [1, 14, 14], the card's sample is [1, 1, 28, 28]", m);
    }

    /** Samples 0 and 1 (seeds 0 and 1) of 2 steps with {@code noise} as --init-noise. */
    private float[][] run(Path noise) {
        OnnxWorkload w = OnnxWorkload.open(new OnnxWorkload.Files(VIT.resolve("vit-mnist.onnx"), VIT.resolve("card.yaml"), noise), OnnxRunner.Threads.ONE);
        try (LoadedWorkload l = w.load(manager, null)) {
            return new float[][] {l.sample(0, 1, 2, 0, null, StepListener.NONE).values(), l.sample(1, 1, 2, 1, null, StepListener.NONE).values()};
        }
    }

    private Path card(String from, String to) throws IOException {
        String text = Files.readString(VIT.resolve("card.yaml")).replace("model: vit-mnist.onnx", "model: " + VIT.resolve("vit-mnist.onnx").toAbsolutePath());
        assertTrue(text.contains(from), from);
        Path p = dir.resolve("card.yaml");
        Files.writeString(p, text.replace(from, to));
        return p;
    }

    private static String refusal(Path card, Path model) {
        return assertThrows(InputException.class,
                () -> OnnxWorkload.open(new OnnxWorkload.Files(model, card, null), OnnxRunner.Threads.ONE)).getMessage();
    }

    @Test
    void aCardThatDoesNotFitTheGraphIsOneLineNamingTheKey() throws IOException {
        Path model = VIT.resolve("vit-mnist.onnx");
        String m = refusal(card("sample: {name: sample,", "sample: {name: noisy,"), model);
        assertTrue(m.startsWith(dir.resolve("card.yaml") + ": inputs.sample.name: 'noisy' is not an input of"), m);
        m = refusal(card("name: class_labels", "name: labels"), model);
        assertTrue(m.contains("inputs.conditioning[0].name: 'labels' is not an input of"), m);
        m = refusal(card("  name: x1", "  name: y"), model);
        assertTrue(m.contains(": output.name: 'y' is not an output of"), m);
        m = refusal(card("[1, 1, 28, 28]", "[1, 1, 14, 14]"), model);
        assertTrue(m.startsWith(dir.resolve("card.yaml") + ": the graph refused the card's input shapes"), m);
        assertEquals(1, m.lines().count(), m);
    }
}
