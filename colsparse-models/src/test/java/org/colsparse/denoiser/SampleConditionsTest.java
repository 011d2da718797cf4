package org.colsparse.denoiser;

import org.colsparse.catalog.Catalog;
import ai.djl.ndarray.NDManager;
import org.colsparse.accuracy.CliffRule;
import org.colsparse.runtime.GeluForm;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.SiteLayout;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.StepListener;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sweep.AccuracySweep;
import org.colsparse.workload.Modality;
import org.colsparse.workload.SiteRole;
import org.colsparse.workload.WorkloadGroup;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Sample i of a run is conditioned as sample i, though every sample runs alone in its calls: the
 * profiler and the sweep hand the workload each sample's number (issue 22 item 2: all ten samples of
 * vit-mnist asked for digit 0).
 */
class SampleConditionsTest {
    /** Records what each sampling call was asked for: {first, samples, seed}. */
    private static final class Recording implements LoadedWorkload {
        final List<long[]> calls = new ArrayList<>();
        private final GeluSite site = new GeluSite(0, "gelu", 2, GeluForm.EXACT, SiteLayout.CHANNEL_LAST, SiteRole.FFN);

        @Override
        public DenoiserInfo info() {
            return new DenoiserInfo("recording", WorkloadGroup.CONV, Modality.IMAGE, org.colsparse.workload.GeluVariant.EXACT, "stand-in", List.of(new SiteSpec("gelu", 2, 1, SiteRole.FFN)),
                    "none", "records its calls", 1, 1, 1000);
        }

        @Override
        public List<GeluSite> sites() {
            return List.of(site);
        }

        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            calls.add(new long[] {first, samples, seed});
            for (int s = 0; s < steps; s++) {
                listener.beforeStep(s, steps, 0);
            }
            return new Samples(new float[2 * samples], new long[] {samples, 2});
        }

        @Override
        public Path writePreview(Samples samples, Path dir) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {
        }
    }

    private static List<String> calls(Recording r) {
        return r.calls.stream().map(Arrays::toString).toList();
    }

    @Test
    void theProfilerAndTheSweepRunSampleIAsSampleIAlsoInAShard() {
        Recording whole = new Recording();
        Profiler.Config config = new Profiler.Config(3, 2, 40, new AnalysisConfig(new double[] {0.01}, new int[] {4}), 1);
        Profiler.run(whole, config, StepListener.NONE);
        assertEquals(List.of("[0, 1, 40]", "[1, 1, 41]", "[2, 1, 42]"), calls(whole));
        Recording shard = new Recording();
        Profiler.runPart(shard, config, List.of(2), StepListener.NONE);
        assertEquals(List.of("[2, 1, 42]"), calls(shard), "a shard's sample 2 is the whole run's sample 2");

        Recording sweep = new Recording();
        AccuracySweep.Config c = new AccuracySweep.Config(2, 1, 7, new double[] {0.01}, 4, CliffRule.RELATIVE_L2);
        AccuracySweep.runPart(sweep, c, List.of(1, 3), AccuracySweep.Progress.NONE);
        // the dense run, then the zeroed run at the one threshold: same samples, same conditions
        assertEquals(List.of("[1, 1, 8]", "[3, 1, 10]", "[1, 1, 8]", "[3, 1, 10]"), calls(sweep));
    }

    @Test
    void vitMnistSampleKAsksForDigitKMod10() {
        System.setProperty("colsparse.home", ".."); // tests run in the module directory
        for (int k = 0; k < 12; k++) {
            assertEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1}[k], VitMnistWorkload.label(k));
        }
        try (NDManager m = Torch.manager(); LoadedWorkload model = Catalog.runtime("vit-mnist").load(m, null)) {
            // same noise (seed 5), so only the digit asked for can tell the runs apart
            float[] three = model.sample(3, 1, 2, 5, null, StepListener.NONE).values();
            assertArrayEquals(three, model.sample(13, 1, 2, 5, null, StepListener.NONE).values(), "samples 3 and 13 both ask for a 3");
            assertFalse(Arrays.equals(three, model.sample(4, 1, 2, 5, null, StepListener.NONE).values()), "sample 4 asks for a 4");

            Profiler.Result r = Profiler.run(model, new Profiler.Config(2, 2, 4, new AnalysisConfig(new double[] {0.01}, new int[] {4}), 1),
                    StepListener.NONE);
            float[] second = Arrays.copyOfRange(r.output().values(), 784, 1568);
            assertArrayEquals(model.sample(1, 1, 2, 5, null, StepListener.NONE).values(), second, "the profile's sample 1 asks for a 1, from seed 4 + 1");
        }
    }
}
