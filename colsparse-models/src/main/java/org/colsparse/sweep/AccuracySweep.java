package org.colsparse.sweep;

import org.colsparse.accuracy.CliffDetector;
import org.colsparse.accuracy.CliffRule;
import org.colsparse.accuracy.OutputMetrics;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.StepListener;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sparsity.SiteAccumulator;
import org.colsparse.sparsity.SiteStats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The accuracy sweep of one workload: a dense run, then for every threshold {@code tau} the same
 * sampling loop (same seed, same conditions) with every GELU output {@code |a| <= tau} replaced by
 * an exact zero, compared with the dense output.
 *
 * <p>Sparsity is measured in the zeroing run itself: the tap zeroes, then its observer sees what
 * flows downstream. At the zeroing threshold that is the same count as the pre-zeroing output
 * would give (an element is near zero after zeroing exactly when it was before: zeroed elements
 * are 0, the others keep their value), but along the zeroed run's own trajectory, which drifts from
 * the dense one as errors accumulate.
 */
public final class AccuracySweep {
    private AccuracySweep() {
    }

    /**
     * @param thresholds zeroing thresholds, run in increasing order (duplicates dropped)
     * @param tileRows   R of the column-sparsity view (systolic array rows)
     * @param cliffRule  applied to the relative L2 error along the thresholds, the dense run as a point at 0
     */
    public record Config(int samples, int steps, long seed, double[] thresholds, int tileRows, CliffRule cliffRule) {
        public Config {
            if (samples < 1 || steps < 1) {
                throw new IllegalArgumentException("samples and steps must be >= 1");
            }
            thresholds = new AnalysisConfig(thresholds, new int[] {tileRows}).thresholds();
        }

        @Override
        public double[] thresholds() {
            return thresholds.clone();
        }
    }

    /**
     * One threshold of the sweep.
     *
     * @param relativeL2      ||out - dense|| / ||dense|| in the model's output space; +inf if the run diverged (NaN or Inf output)
     * @param metrics         the modality's metrics against the dense output ({@link Fidelity}); empty if diverged
     * @param elementSparsity near-zero elements / elements over the headline sites (SiteRole) and every call of this run
     * @param columnSparsity  zero columns / columns (R-row tiles) over the same sites and calls
     * @param cliff           true where the cliff rule fires on the step into this threshold
     * @param output          this run's final output
     */
    public record Point(double threshold, double relativeL2, Map<Metric, Double> metrics, double elementSparsity,
                        double columnSparsity, boolean cliff, Samples output) {
        public Point {
            metrics = Map.copyOf(metrics);
        }
    }

    /** A workload's sweep; {@code dense} is the reference output, {@code decoding} how outputs reached the metrics. */
    public record Result(String workload, String modality, String decoding, int samples, int steps, long seed, int tileRows,
                         double denseSeconds, List<Point> points, Samples dense) {
        public Result {
            points = List.copyOf(points);
        }

        /** The first threshold where the cliff rule fires, or null. */
        public Double cliffAt() {
            for (Point p : points) {
                if (p.cliff()) {
                    return p.threshold();
                }
            }
            return null;
        }
    }

    /** Reports overall progress: sampler steps done out of {@code (1 + thresholds) * steps}. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> { };

        void stepsDone(long done, long total);
    }

    /**
     * What running some of a sweep's samples produced, before any metric is computed: the raw outputs
     * and counts, so that parts run apart (shards, {@code --shard}) give exactly the whole sweep's
     * metrics, which pool all samples.
     *
     * @param samples  the sample numbers run, ascending (seeded {@code seed + i} in every run)
     * @param dense    the dense output of each sample, in the order of {@code samples}
     * @param zeroed   per threshold (ascending), the zeroed output of each sample
     * @param counts   per threshold and site ({@link GeluSite#index()}), the zeroing run's sparsity counts
     * @param denseSeconds wall time of the dense runs
     * @param seconds  wall time of all runs
     */
    public record Part(List<Integer> samples, List<Samples> dense, List<List<Samples>> zeroed, SiteAccumulator[][] counts,
                       double denseSeconds, double seconds) {
        public Part {
            samples = List.copyOf(samples);
            dense = List.copyOf(dense);
            zeroed = zeroed.stream().map(List::copyOf).toList();
        }

        /** The parts of one sweep as one part, samples in order; counts add exactly ({@link SiteAccumulator#merge}). */
        public static Part merge(List<Part> parts) {
            java.util.TreeMap<Integer, Integer> order = new java.util.TreeMap<>();
            List<Samples> denseAll = new ArrayList<>();
            List<List<Samples>> zeroedAll = new ArrayList<>();
            SiteAccumulator[][] counts = null;
            double denseSeconds = 0;
            double seconds = 0;
            for (Part p : parts) {
                if (counts == null) {
                    counts = new SiteAccumulator[p.counts().length][];
                    for (int t = 0; t < counts.length; t++) {
                        counts[t] = new SiteAccumulator[p.counts()[t].length];
                        for (int s = 0; s < counts[t].length; s++) {
                            SiteAccumulator a = p.counts()[t][s];
                            counts[t][s] = new SiteAccumulator(a.site(), a.channels(), a.config());
                        }
                        zeroedAll.add(new ArrayList<>());
                    }
                }
                if (p.counts().length != counts.length) {
                    throw new IllegalArgumentException("parts of " + counts.length + " and " + p.counts().length + " thresholds do not merge");
                }
                for (int t = 0; t < counts.length; t++) {
                    for (int s = 0; s < counts[t].length; s++) {
                        counts[t][s].merge(p.counts()[t][s]);
                    }
                }
                for (int i = 0; i < p.samples().size(); i++) {
                    if (order.put(p.samples().get(i), denseAll.size()) != null) {
                        throw new IllegalArgumentException("sample " + p.samples().get(i) + " is in two parts");
                    }
                    denseAll.add(p.dense().get(i));
                    for (int t = 0; t < counts.length; t++) {
                        zeroedAll.get(t).add(p.zeroed().get(t).get(i));
                    }
                }
                denseSeconds += p.denseSeconds();
                seconds += p.seconds();
            }
            List<Samples> dense = new ArrayList<>();
            List<List<Samples>> zeroed = new ArrayList<>();
            zeroedAll.forEach(z -> zeroed.add(new ArrayList<>()));
            for (int at : order.values()) {
                dense.add(denseAll.get(at));
                for (int t = 0; t < zeroed.size(); t++) {
                    zeroed.get(t).add(zeroedAll.get(t).get(at));
                }
            }
            return new Part(List.copyOf(order.keySet()), dense, zeroed, counts, denseSeconds, seconds);
        }
    }

    /** Every sample of the sweep: {@link #runPart} of samples {@code 0 .. samples - 1}, then {@link #result}. */
    public static Result run(LoadedWorkload model, Config config, Progress progress) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < config.samples(); i++) {
            all.add(i);
        }
        return result(model, config, runPart(model, config, all, progress));
    }

    /**
     * The dense run and every threshold's zeroed run of the given samples, each sample exactly as in
     * the whole sweep (seeded {@code seed + i}, alone in its calls).
     */
    public static Part runPart(LoadedWorkload model, Config config, List<Integer> samples, Progress progress) {
        double[] thresholds = config.thresholds();
        long total = (long) (1 + thresholds.length) * samples.size() * config.steps();
        long t0 = System.nanoTime();
        List<Samples> dense = sample(model, config, samples, null, progress, 0, total);
        double denseSeconds = (System.nanoTime() - t0) / 1e9;
        List<GeluSite> sites = model.sites();
        List<List<Samples>> zeroed = new ArrayList<>();
        SiteAccumulator[][] counts = new SiteAccumulator[thresholds.length][sites.size()];
        for (int i = 0; i < thresholds.length; i++) {
            double tau = thresholds[i];
            AnalysisConfig analysis = new AnalysisConfig(new double[] {tau}, new int[] {config.tileRows()});
            SiteAccumulator[] acc = counts[i];
            for (GeluSite s : sites) {
                acc[s.index()] = new SiteAccumulator(s.name(), s.channels(), analysis);
            }
            GeluTap tap = GeluTap.zeroingAndObserving(tau, (site, data, rows) -> acc[site.index()].acceptCall(data, 0, rows));
            zeroed.add(sample(model, config, samples, tap, progress, (long) (i + 1) * samples.size() * config.steps(), total));
        }
        progress.stepsDone(total, total);
        return new Part(samples, dense, zeroed, counts, denseSeconds, (System.nanoTime() - t0) / 1e9);
    }

    /** The sweep's results from the outputs and counts of all its samples ({@link Part#merge} of its parts). */
    public static Result result(LoadedWorkload model, Config config, Part part) {
        if (part.samples().size() != config.samples()) {
            throw new IllegalArgumentException("the parts hold " + part.samples().size() + " samples; the sweep has " + config.samples());
        }
        Decoders.Choice decoding = model.decoding();
        OutputDecoder decoder = decoding.decoder();
        double[] thresholds = config.thresholds();
        Samples dense = Samples.concat(part.dense());
        ModalOutput denseDecoded = decoder.decode(dense);
        float[] ref = dense.values();

        List<double[]> raw = new ArrayList<>();
        List<Map<Metric, Double>> metrics = new ArrayList<>();
        List<Samples> outputs = new ArrayList<>();
        for (int i = 0; i < thresholds.length; i++) {
            double tau = thresholds[i];
            Samples out = Samples.concat(part.zeroed().get(i));
            List<SiteStats> stats = new ArrayList<>();
            for (SiteAccumulator a : part.counts()[i]) {
                stats.addAll(a.results());
            }
            SiteStats sum = org.colsparse.denoiser.Profiler.headline(model.info().id(), model.sites(), stats).get(0);
            float[] v = out.values();
            boolean finite = allFinite(v);
            double rel = finite ? OutputMetrics.relativeL2(ref, v) : Double.POSITIVE_INFINITY;
            Map<Metric, Double> m = finite ? Fidelity.compare(denseDecoded, decoder.decode(out)) : Map.of();
            raw.add(new double[] {tau, rel, sum.elementSparsity(), sum.columnSparsity()});
            metrics.add(m);
            outputs.add(out);
        }
        boolean[] cliff = cliffs(thresholds, raw, config.cliffRule());
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < thresholds.length; i++) {
            double[] r = raw.get(i);
            points.add(new Point(r[0], r[1], metrics.get(i), r[2], r[3], cliff[i], outputs.get(i)));
        }
        return new Result(model.info().id(), model.info().modality().cliName(), decoding.how(), config.samples(), config.steps(), config.seed(),
                config.tileRows(), part.denseSeconds(), points, dense);
    }

    /**
     * The cliff rule over relative L2, with the dense run as a point at threshold 0 (relative L2 0)
     * unless 0 is itself a swept threshold. A run that diverged (non-finite output) is a cliff when
     * it is the first to diverge; the rule is applied to the finite points before it.
     */
    static boolean[] cliffs(double[] thresholds, List<double[]> raw, CliffRule rule) {
        boolean[] flags = new boolean[thresholds.length];
        int finite = 0;
        while (finite < thresholds.length && Double.isFinite(raw.get(finite)[1])) {
            finite++;
        }
        if (finite < thresholds.length) {
            flags[finite] = true;
        }
        List<CliffDetector.Point> points = new ArrayList<>();
        boolean withDense = thresholds[0] > 0;
        if (withDense) {
            points.add(new CliffDetector.Point(0, 0));
        }
        for (int i = 0; i < finite; i++) {
            points.add(new CliffDetector.Point(thresholds[i], raw.get(i)[1]));
        }
        boolean[] f = CliffDetector.flags(points, rule);
        int shift = withDense ? 1 : 0;
        for (int i = 0; i < finite; i++) {
            flags[i] = f[i + shift];
        }
        return flags;
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The samples one per denoiser call, as deployed (docs/definitions.md), sample {@code i} from seed
     * {@code seed + i} with its own condition, as in {@link org.colsparse.denoiser.Profiler}: the zeroed and dense runs see the
     * same rows per call, whatever the number of samples.
     */
    private static List<Samples> sample(LoadedWorkload model, Config config, List<Integer> samples, GeluTap tap, Progress progress,
                                        long before, long total) {
        List<Samples> parts = new ArrayList<>();
        for (int k = 0; k < samples.size(); k++) {
            long offset = before + (long) k * config.steps();
            StepListener l = (step, steps, timestep) -> progress.stepsDone(offset + step, total);
            int i = samples.get(k);
            parts.add(model.sample(i, 1, config.steps(), config.seed() + i, tap, l));
        }
        return parts;
    }
}
