package org.colsparse.denoiser;

import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.GemmRecorder;
import org.colsparse.sampler.StepListener;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sparsity.NearZeroMask;
import org.colsparse.sparsity.SiteAccumulator;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.sparsity.WorkloadTotals;
import org.colsparse.workload.SiteRole;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Runs a workload's full sampling loop with an observing tap on every GELU site and streams each
 * call's output straight into per-site accumulators: only counts are kept, never activations.
 * Each site has one accumulator per timestep bucket; the whole-run figures are their merge, so
 * every element is scanned once.
 *
 * <p>Samples run as deployed (docs/definitions.md "calls as deployed"): one sample per denoiser call, with its
 * classifier-free-guidance pair, sample {@code i} from seed {@code seed + i} with the workload's
 * condition for sample {@code i} (a shard's sample is the whole run's). More samples are more
 * calls, never taller tiles, so rows per call, tiles and verdicts do not depend on how many samples
 * are profiled.
 *
 * <p>A few calls of the first sample, spread evenly over its steps, are also recorded whole: every
 * site's near-zero bitmap at the mask threshold, and the GEMMs of one call with the site each one
 * consumes. Cycle estimates and simulations replay these real masks.
 */
public final class Profiler {
    private Profiler() {
    }

    /**
     * @param buckets       timestep buckets (consecutive runs of sampler steps); capped at the step count
     * @param maskThreshold tau of the recorded masks (the primary threshold)
     * @param maskCalls     calls of the first sample to record masks of (0: none); steps {@code round(j (S-1) / maskCalls)}
     */
    public record Config(int samples, int steps, long seed, AnalysisConfig analysis, int buckets, double maskThreshold, int maskCalls) {
        public Config {
            if (samples < 1 || steps < 1 || buckets < 1 || maskCalls < 0) {
                throw new IllegalArgumentException("samples, steps and buckets must be >= 1, mask calls >= 0");
            }
        }

        public Config(int samples, int steps, long seed, AnalysisConfig analysis, int buckets) {
            this(samples, steps, seed, analysis, buckets, AnalysisConfig.PRIMARY_THRESHOLD, 0);
        }

        /** The sampler steps of the first sample whose calls are recorded. */
        public List<Integer> maskSteps() {
            TreeSet<Integer> s = new TreeSet<>();
            for (int j = 0; j < maskCalls; j++) {
                s.add((int) Math.round((double) j * (steps - 1) / maskCalls));
            }
            return List.copyOf(s);
        }
    }

    /**
     * Results of the steps {@code firstStep..lastStep} (0 = noisiest), which call the model at
     * training timesteps {@code firstTimestep} down to {@code lastTimestep}.
     *
     * @param totals headline totals ({@link SiteRole})
     */
    public record Bucket(int bucket, int firstStep, int lastStep, int firstTimestep, int lastTimestep,
                         List<SiteStats> sites, List<SiteStats> totals) {
    }

    /**
     * One recorded denoiser call of sample 0 at sampler step {@code step} (training timestep
     * {@code timestep}); a sampler that makes several calls per step (guidance branches run
     * separately) gives several calls with the same step.
     */
    public record RecordedCall(int step, int timestep, Map<String, NearZeroMask> masks) {
    }

    /**
     * @param sites       one entry per site x threshold x tile height, aggregated over the run
     * @param totals      the workload's headline: one total per threshold x tile height over the sites
     *                    that feed skippable GEMMs ({@link SiteRole})
     * @param otherTotals the same over the remaining sites (empty when there are none)
     * @param calls       the recorded calls, with masks at {@code maskThreshold}
     * @param gemms       every GEMM of one denoiser call, in order, with the site each consumes
     */
    public record Result(String workload, int samples, int steps, long seed, List<SiteStats> sites,
                         List<SiteStats> totals, List<SiteStats> otherTotals, List<Bucket> timesteps, Samples output,
                         double seconds, double maskThreshold, List<RecordedCall> calls, List<GemmRecorder.Op> gemms) {
    }

    /**
     * What running some of a run's samples saw, before any statistic is derived: the raw counts, so
     * that parts run apart (shards, {@code --shard}) add up to exactly the whole run.
     *
     * @param samples  the sample numbers run, ascending (sample {@code i} is seeded {@code seed + i})
     * @param accumulators per bucket and site ({@link GeluSite#index()}), what the site's outputs in the bucket's steps added up to
     * @param ranges   per bucket {@code firstStep, lastStep, firstTimestep, lastTimestep}; null when no sample ran
     * @param outputs  the final output of each sample run, in the order of {@code samples}
     * @param calls    the recorded calls: empty unless sample 0 was run
     * @param gemms    the GEMMs of the first recorded call: empty unless sample 0 was run
     * @param seconds  wall time of the sampling
     */
    public record Part(List<Integer> samples, SiteAccumulator[][] accumulators, int[][] ranges, List<Samples> outputs,
                       List<RecordedCall> calls, List<GemmRecorder.Op> gemms, double seconds) {
        public Part {
            samples = List.copyOf(samples);
            outputs = List.copyOf(outputs);
            calls = List.copyOf(calls);
            gemms = List.copyOf(gemms);
        }

        /** The parts of one run as one part, samples in order; counts add exactly ({@link SiteAccumulator#merge}). */
        public static Part merge(List<Part> parts) {
            java.util.TreeMap<Integer, Samples> outputs = new java.util.TreeMap<>();
            SiteAccumulator[][] counts = null;
            int[][] ranges = null;
            double seconds = 0;
            List<RecordedCall> calls = List.of();
            List<GemmRecorder.Op> gemms = List.of();
            for (Part p : parts) {
                for (int i = 0; i < p.samples().size(); i++) {
                    if (outputs.put(p.samples().get(i), p.outputs().get(i)) != null) {
                        throw new IllegalArgumentException("sample " + p.samples().get(i) + " is in two parts");
                    }
                }
                counts = counts == null ? sum(p.accumulators(), null) : sum(counts, p.accumulators());
                seconds += p.seconds();
                if (ranges == null) {
                    ranges = p.ranges();
                }
                if (!p.calls().isEmpty()) {
                    calls = p.calls();
                    gemms = p.gemms();
                }
            }
            return new Part(List.copyOf(outputs.keySet()), counts, ranges, List.copyOf(outputs.values()), calls, gemms, seconds);
        }

        private static SiteAccumulator[][] sum(SiteAccumulator[][] a, SiteAccumulator[][] b) {
            if (b != null && (a.length != b.length || a.length > 0 && a[0].length != b[0].length)) {
                throw new IllegalArgumentException("parts of " + a.length + " and " + b.length + " timestep buckets do not merge");
            }
            SiteAccumulator[][] out = new SiteAccumulator[a.length][];
            for (int i = 0; i < a.length; i++) {
                out[i] = new SiteAccumulator[a[i].length];
                for (int s = 0; s < a[i].length; s++) {
                    out[i][s] = new SiteAccumulator(a[i][s].site(), a[i][s].channels(), a[i][s].config());
                    out[i][s].merge(a[i][s]);
                    if (b != null) {
                        out[i][s].merge(b[i][s]);
                    }
                }
            }
            return out;
        }
    }

    /** Every sample of the run: {@link #runPart} of samples {@code 0 .. samples - 1}, then {@link #result}. */
    public static Result run(LoadedWorkload model, Config config, StepListener progress) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < config.samples(); i++) {
            all.add(i);
        }
        return result(model, config, runPart(model, config, all, progress));
    }

    /**
     * Runs the given samples of the run {@code config} describes, each exactly as in the whole run
     * (seeded {@code seed + i}, alone in its calls); sample 0's calls are recorded when it is among them.
     */
    public static Part runPart(LoadedWorkload model, Config config, List<Integer> samples, StepListener progress) {
        List<GeluSite> sites = model.sites();
        int buckets = Math.min(config.buckets(), config.steps());
        SiteAccumulator[][] acc = new SiteAccumulator[buckets][sites.size()];
        for (int b = 0; b < buckets; b++) {
            for (GeluSite s : sites) {
                acc[b][s.index()] = new SiteAccumulator(s.name(), s.channels(), config.analysis());
            }
        }
        CallRecorder recorder = new CallRecorder(config.maskSteps(), config.maskThreshold());
        int[] current = {0};
        int[] sample = {0};
        int[] position = {0};
        int[][] range = new int[buckets][4];
        int steps = config.steps();
        StepListener listener = (step, all, timestep) -> {
            recorder.beforeStep(sample[0], step, timestep);
            int b = (int) ((long) step * buckets / all);
            if (current[0] != b || step == 0) {
                range[b][0] = step;
                range[b][2] = timestep;
            }
            range[b][1] = step;
            range[b][3] = timestep;
            current[0] = b;
            progress.beforeStep(position[0] * all + step, samples.size() * all, timestep);
        };
        GeluTap tap = GeluTap.observing((site, data, rows) -> {
            acc[current[0]][site.index()].acceptCall(data, 0, rows);
            recorder.site(site, data, rows);
        });
        long t0 = System.nanoTime();
        List<Samples> outputs = new ArrayList<>();
        try {
            for (int i : samples) {
                sample[0] = i;
                outputs.add(model.sample(i, 1, steps, config.seed() + i, tap, listener));
                recorder.endStep();
                position[0]++;
            }
        } finally {
            GemmRecorder.stop();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Part(samples, acc, samples.isEmpty() ? null : range, outputs, recorder.calls,
                recorder.gemms == null ? List.of() : recorder.gemms, seconds);
    }

    /**
     * Records sample 0's calls at the mask steps: every site's near-zero bits per denoiser call, and
     * the GEMMs of the first recorded step's first call.
     */
    private static final class CallRecorder {
        private final List<Integer> steps;
        private final double tau;
        final List<RecordedCall> calls = new ArrayList<>();
        /** Null until the first recorded step has ended. */
        List<GemmRecorder.Op> gemms;
        private boolean active;
        private boolean recordingGemms;
        private int step;
        private int timestep;
        private int callsInStep;
        private Map<String, NearZeroMask> masks;

        CallRecorder(List<Integer> steps, double tau) {
            this.steps = steps;
            this.tau = tau;
        }

        void beforeStep(int sample, int step, int timestep) {
            endStep();
            if (sample == 0 && steps.contains(step)) {
                active = true;
                this.step = step;
                this.timestep = timestep;
                callsInStep = 0;
                masks = null;
                if (gemms == null) {
                    GemmRecorder.start();
                    recordingGemms = true;
                }
            }
        }

        void site(GeluSite site, float[] data, int rows) {
            if (!active) {
                return;
            }
            // the first site firing again starts the step's next denoiser call (samplers that run
            // the guidance branches as separate calls): each call is recorded on its own
            if (site.index() == 0) {
                masks = new LinkedHashMap<>();
                calls.add(new RecordedCall(step, timestep, masks));
                callsInStep++;
            }
            if (masks != null) {
                masks.put(site.name(), NearZeroMask.of(data, rows, site.channels(), tau));
            }
        }

        void endStep() {
            if (recordingGemms) {
                gemms = firstCall(GemmRecorder.stop(), callsInStep);
                recordingGemms = false;
            }
            active = false;
        }
    }

    /** The run's results from the counts of all its samples ({@link Part#merge} of its parts). */
    public static Result result(LoadedWorkload model, Config config, Part part) {
        List<GeluSite> sites = model.sites();
        int buckets = Math.min(config.buckets(), config.steps());
        if (part.samples().size() != config.samples() || part.accumulators().length != buckets) {
            throw new IllegalArgumentException("the parts hold " + part.samples().size() + " samples in " + part.accumulators().length
                    + " buckets; the run has " + config.samples() + " samples in " + buckets);
        }
        SiteAccumulator[][] acc = part.accumulators();
        int[][] range = part.ranges();
        String id = model.info().id();
        List<Bucket> timesteps = new ArrayList<>();
        for (int b = 0; b < buckets; b++) {
            List<SiteStats> stats = new ArrayList<>();
            for (SiteAccumulator a : acc[b]) {
                stats.addAll(a.results());
            }
            timesteps.add(new Bucket(b, range[b][0], range[b][1], range[b][2], range[b][3], stats, headline(id, sites, stats)));
        }
        List<SiteStats> all = new ArrayList<>();
        for (GeluSite s : sites) {
            SiteAccumulator total = new SiteAccumulator(s.name(), s.channels(), config.analysis());
            for (int b = 0; b < buckets; b++) {
                total.merge(acc[b][s.index()]);
            }
            all.addAll(total.results());
        }
        return new Result(id, config.samples(), config.steps(), config.seed(), all, headline(id, sites, all),
                others(id, sites, all), timesteps, Samples.concat(part.outputs()), part.seconds(), config.maskThreshold(), part.calls(),
                part.gemms());
    }

    /**
     * The GEMMs of the first of {@code calls} identical denoiser calls recorded back to back in one
     * sampler step; all of them when they do not split into that many repeats of one sequence.
     */
    static List<GemmRecorder.Op> firstCall(List<GemmRecorder.Op> ops, int calls) {
        if (calls <= 1 || ops.size() % calls != 0) {
            return ops;
        }
        int n = ops.size() / calls;
        for (int i = n; i < ops.size(); i++) {
            var a = ops.get(i % n).gemm();
            var b = ops.get(i).gemm();
            if (a.m() != b.m() || a.n() != b.n() || a.k() != b.k() || a.instances() != b.instances()
                    || !a.consumesSite().equals(b.consumesSite())) {
                return ops;
            }
        }
        return List.copyOf(ops.subList(0, n));
    }

    /** Totals over the headline sites ({@link SiteRole}); every site when none has a headline role. */
    public static List<SiteStats> headline(String id, List<GeluSite> sites, List<SiteStats> stats) {
        List<SiteStats> picked = pick(sites, stats, true);
        return WorkloadTotals.of(id, picked.isEmpty() ? stats : picked);
    }

    /** Totals over the sites outside the headline, named {@code <id>:other}; empty when there are none. */
    public static List<SiteStats> others(String id, List<GeluSite> sites, List<SiteStats> stats) {
        List<SiteStats> picked = pick(sites, stats, false);
        return picked.isEmpty() || picked.size() == stats.size() ? List.of() : WorkloadTotals.of(id + ":other", picked);
    }

    private static List<SiteStats> pick(List<GeluSite> sites, List<SiteStats> stats, boolean headline) {
        Map<String, SiteRole> roles = new LinkedHashMap<>();
        for (GeluSite s : sites) {
            roles.put(s.name(), s.role());
        }
        return stats.stream().filter(s -> headline(roles.get(s.site())) == headline).toList();
    }

    /** A statistic of a site the model does not declare counts outside the headline. */
    private static boolean headline(SiteRole role) {
        return role != null && role.headline();
    }
}
