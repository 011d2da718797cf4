package org.colsparse.denoiser;

import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.StepListener;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sparsity.SiteAccumulator;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.sparsity.WorkloadTotals;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a workload's full sampling loop with an observing tap on every GELU site and streams each
 * call's output straight into per-site accumulators: only counts are kept, never activations.
 * Each site has one accumulator per timestep bucket; the whole-run figures are their merge, so
 * every element is scanned once.
 */
public final class Profiler {
    private Profiler() {
    }

    /**
     * @param buckets timestep buckets (consecutive runs of sampler steps); capped at the step count
     */
    public record Config(int samples, int steps, long seed, AnalysisConfig analysis, int buckets) {
        public Config {
            if (samples < 1 || steps < 1 || buckets < 1) {
                throw new IllegalArgumentException("samples, steps and buckets must be >= 1");
            }
        }
    }

    /**
     * Results of the steps {@code firstStep..lastStep} (0 = noisiest), which call the model at
     * training timesteps {@code firstTimestep} down to {@code lastTimestep}.
     */
    public record Bucket(int bucket, int firstStep, int lastStep, int firstTimestep, int lastTimestep,
                         List<SiteStats> sites, List<SiteStats> totals) {
    }

    /**
     * @param sites    one entry per site x threshold x tile height, aggregated over the run
     * @param totals   the workload: one total per threshold x tile height over all sites
     */
    public record Result(String workload, int samples, int steps, long seed, List<SiteStats> sites,
                         List<SiteStats> totals, List<Bucket> timesteps, Samples output, double seconds) {
    }

    public static Result run(LoadedWorkload model, Config config, StepListener progress) {
        List<GeluSite> sites = model.sites();
        int buckets = Math.min(config.buckets(), config.steps());
        SiteAccumulator[][] acc = new SiteAccumulator[buckets][sites.size()];
        for (int b = 0; b < buckets; b++) {
            for (GeluSite s : sites) {
                acc[b][s.index()] = new SiteAccumulator(s.name(), s.channels(), config.analysis());
            }
        }
        int[] current = {0};
        int[][] range = new int[buckets][4];
        StepListener listener = (step, steps, timestep) -> {
            int b = (int) ((long) step * buckets / steps);
            if (current[0] != b || step == 0) {
                range[b][0] = step;
                range[b][2] = timestep;
            }
            range[b][1] = step;
            range[b][3] = timestep;
            current[0] = b;
            progress.beforeStep(step, steps, timestep);
        };
        GeluTap tap = GeluTap.observing((site, data, rows) -> acc[current[0]][site.index()].acceptCall(data, 0, rows));
        long t0 = System.nanoTime();
        Samples out = model.sample(config.samples(), config.steps(), config.seed(), tap, listener);
        double seconds = (System.nanoTime() - t0) / 1e9;

        String id = model.info().id();
        List<Bucket> timesteps = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            List<SiteStats> stats = new ArrayList<>();
            for (SiteAccumulator a : acc[b]) {
                stats.addAll(a.results());
            }
            timesteps.add(new Bucket(b, range[b][0], range[b][1], range[b][2], range[b][3], stats, WorkloadTotals.of(id, stats)));
        }
        List<SiteStats> all = new ArrayList<>();
        for (GeluSite s : sites) {
            SiteAccumulator total = new SiteAccumulator(s.name(), s.channels(), config.analysis());
            for (int b = 0; b < buckets; b++) {
                total.merge(acc[b][s.index()]);
            }
            all.addAll(total.results());
        }
        return new Result(id, config.samples(), config.steps(), config.seed(), all, WorkloadTotals.of(id, all), timesteps, out, seconds);
    }
}
