package org.colsparse.denoiser;

import org.colsparse.catalog.Catalog;
import ai.djl.ndarray.NDManager;
import org.colsparse.runtime.GemmRecorder;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.StepListener;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sparsity.NearZeroMask;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.taxonomy.SparsityClass;
import org.colsparse.taxonomy.Taxonomy;
import org.colsparse.taxonomy.TaxonomyRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** docs/definitions.md "calls as deployed" and "site roles", and the recorded masks and GEMMs. */
class ProfilerTest {
    private static final AnalysisConfig ANALYSIS = new AnalysisConfig(new double[] {0.01}, new int[] {128});

    @org.junit.jupiter.api.BeforeAll
    static void home() {
        System.setProperty("colsparse.home", ".."); // tests run in the module directory
    }

    private static Profiler.Result profile(String id, int samples, int steps, int maskCalls) {
        try (NDManager m = Torch.manager(); LoadedWorkload model = Catalog.runtime(id).load(m, null)) {
            return Profiler.run(model, new Profiler.Config(samples, steps, 0, ANALYSIS, 2, 0.01, maskCalls), StepListener.NONE);
        }
    }

    @Test
    void perCallGeometryAndVerdictDoNotDependOnTheNumberOfSamples() {
        Profiler.Result one = profile("mld", 1, 2, 0);
        Profiler.Result three = profile("mld", 3, 2, 0);
        SiteStats a = one.totals().get(0);
        SiteStats b = three.totals().get(0);
        // MLD: 3 tokens x the CFG pair = 6 rows in every call, however many samples are profiled
        assertEquals(6.0, (double) a.rows() / a.calls(), 1e-12);
        assertEquals((double) a.rows() / a.calls(), (double) b.rows() / b.calls(), 1e-12);
        assertEquals(a.meanTileHeight(), b.meanTileHeight(), 1e-12);
        assertEquals(3 * a.calls(), b.calls());
        assertEquals(SparsityClass.TOKEN_LIMITED, Taxonomy.classify(a, TaxonomyRule.DEFAULT).verdict());
        assertEquals(SparsityClass.TOKEN_LIMITED, Taxonomy.classify(b, TaxonomyRule.DEFAULT).verdict());
        // sample 0 is the same run either way
        float[] first = one.output().values();
        float[] fromThree = three.output().values();
        for (int i = 0; i < first.length; i++) {
            assertEquals(first[i], fromThree[i]);
        }
        assertEquals(3 * one.output().shape()[0], three.output().shape()[0]);
    }

    @Test
    void headlineLeavesTimeEmbeddingSitesOut() {
        Profiler.Result r = profile("ddpm-mnist", 1, 2, 0);
        // conv sites: 16 + 32 + 32 + 16 channels; time-embedding MLP: 3 x 128
        assertEquals(96, r.totals().get(0).cols());
        assertEquals(1, r.otherTotals().size());
        assertEquals(384, r.otherTotals().get(0).cols());
        assertEquals("ddpm-mnist:other", r.otherTotals().get(0).site());
        // one sample per call, 28 x 28 pixels
        assertEquals(784.0, (double) r.totals().get(0).rows() / r.totals().get(0).calls(), 1e-12);
    }

    @Test
    void recordsMasksAndTheGemmsOfACallWithTheirConsumers() {
        Profiler.Result r = profile("ddpm-mnist", 1, 4, 2);
        assertEquals(List.of(0, 2), r.calls().stream().map(Profiler.RecordedCall::step).toList());
        Map<String, NearZeroMask> masks = r.calls().get(0).masks();
        assertEquals(7, masks.size());
        assertEquals(784, masks.get("blocks.1.gelu").rows());
        assertEquals(32, masks.get("blocks.1.gelu").channels());
        Map<String, String> consumers = r.gemms().stream().filter(o -> o.gemm().consumesGelu())
                .collect(Collectors.toMap(o -> o.gemm().consumesSite(), o -> o.gemm().name()));
        // blocks.0's output is added to the time embedding before the next conv reads it: no consumer
        assertFalse(consumers.containsKey("blocks.0.gelu"));
        assertEquals(Map.of("blocks.1.gelu", "conv7x7#3", "blocks.2.gelu", "conv7x7#4", "blocks.3.gelu", "conv3x3",
                "time_embed.1", "gt.time_embed.2", "time_embed.3", "gt.time_embed.4", "time_embed.5", "gt.time_embed.6"), consumers);
        GemmRecorder.Op conv = r.gemms().stream().filter(o -> o.gemm().name().equals("conv7x7#3")).findFirst().orElseThrow();
        assertEquals(784, conv.gemm().m());
        assertEquals(32 * 49, conv.gemm().k());
        assertEquals(32, conv.gemm().n());
        assertTrue(conv.conv() != null && conv.conv().padding() == 3);
    }

    @Test
    void partsOfTheSamplesMergeIntoTheWholeRun() {
        Profiler.Config config = new Profiler.Config(3, 2, 0, ANALYSIS, 2, 0.01, 2);
        try (NDManager m = Torch.manager(); LoadedWorkload model = Catalog.runtime("mld").load(m, null)) {
            Profiler.Result whole = Profiler.run(model, config, StepListener.NONE);
            Profiler.Part odd = Profiler.runPart(model, config, List.of(1), StepListener.NONE);
            Profiler.Part even = Profiler.runPart(model, config, List.of(0, 2), StepListener.NONE);
            assertTrue(odd.calls().isEmpty(), "only the part with sample 0 records its calls");
            assertEquals(2, even.calls().size());
            Profiler.Result merged = Profiler.result(model, config, Profiler.Part.merge(List.of(odd, even)));
            assertEquals(whole.sites().toString().replaceAll("\\[D@\\w+", ""), merged.sites().toString().replaceAll("\\[D@\\w+", ""));
            for (int i = 0; i < whole.sites().size(); i++) {
                assertTrue(java.util.Arrays.equals(whole.sites().get(i).channelActivity(), merged.sites().get(i).channelActivity()));
            }
            assertEquals(whole.totals().get(0).zeroColumns(), merged.totals().get(0).zeroColumns());
            assertEquals(3 * 2, merged.sites().get(0).calls(), "3 samples x 2 steps, one call each");
            assertTrue(java.util.Arrays.equals(whole.output().values(), merged.output().values()), "outputs in sample order");
            assertEquals(whole.calls().stream().map(Profiler.RecordedCall::step).toList(),
                    merged.calls().stream().map(Profiler.RecordedCall::step).toList());
            for (int b = 0; b < whole.timesteps().size(); b++) {
                assertEquals(whole.timesteps().get(b).firstTimestep(), merged.timesteps().get(b).firstTimestep());
                assertEquals(whole.timesteps().get(b).totals().get(0).nearZeroElements(), merged.timesteps().get(b).totals().get(0).nearZeroElements());
            }
        }
    }
}
