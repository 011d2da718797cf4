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
     * @param elementSparsity near-zero elements / elements over the headline sites (SiteRoles) and every call of this run
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

    public static Result run(LoadedWorkload model, Config config, Progress progress) {
        Decoders.Choice decoding = Decoders.of(model);
        OutputDecoder decoder = decoding.decoder();
        double[] thresholds = config.thresholds();
        long total = (long) (1 + thresholds.length) * config.samples() * config.steps();
        long t0 = System.nanoTime();
        Samples dense = sample(model, config, null, progress, 0, total);
        double denseSeconds = (System.nanoTime() - t0) / 1e9;
        ModalOutput denseDecoded = decoder.decode(dense);
        float[] ref = dense.values();

        List<double[]> raw = new ArrayList<>();
        List<Map<Metric, Double>> metrics = new ArrayList<>();
        List<Samples> outputs = new ArrayList<>();
        for (int i = 0; i < thresholds.length; i++) {
            double tau = thresholds[i];
            AnalysisConfig analysis = new AnalysisConfig(new double[] {tau}, new int[] {config.tileRows()});
            List<GeluSite> sites = model.sites();
            SiteAccumulator[] acc = new SiteAccumulator[sites.size()];
            for (GeluSite s : sites) {
                acc[s.index()] = new SiteAccumulator(s.name(), s.channels(), analysis);
            }
            GeluTap tap = GeluTap.zeroingAndObserving(tau, (site, data, rows) -> acc[site.index()].acceptCall(data, 0, rows));
            Samples out = sample(model, config, tap, progress, (long) (i + 1) * config.samples() * config.steps(), total);
            List<SiteStats> stats = new ArrayList<>();
            for (SiteAccumulator a : acc) {
                stats.addAll(a.results());
            }
            SiteStats sum = org.colsparse.denoiser.Profiler.headline(model.info().id(), sites, stats).get(0);
            float[] v = out.values();
            boolean finite = allFinite(v);
            double rel = finite ? OutputMetrics.relativeL2(ref, v) : Double.POSITIVE_INFINITY;
            Map<Metric, Double> m = finite ? Fidelity.compare(denseDecoded, decoder.decode(out)) : Map.of();
            raw.add(new double[] {tau, rel, sum.elementSparsity(), sum.columnSparsity()});
            metrics.add(m);
            outputs.add(out);
        }
        progress.stepsDone(total, total);
        boolean[] cliff = cliffs(thresholds, raw, config.cliffRule());
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < thresholds.length; i++) {
            double[] r = raw.get(i);
            points.add(new Point(r[0], r[1], metrics.get(i), r[2], r[3], cliff[i], outputs.get(i)));
        }
        return new Result(model.info().id(), model.info().modality(), decoding.how(), config.samples(), config.steps(), config.seed(),
                config.tileRows(), denseSeconds, points, dense);
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
     * The samples one per denoiser call, as deployed (DESIGN §2), sample {@code i} from seed
     * {@code seed + i} as in {@link org.colsparse.denoiser.Profiler}: the zeroed and dense runs see the
     * same rows per call, whatever the number of samples.
     */
    private static Samples sample(LoadedWorkload model, Config config, GeluTap tap, Progress progress, long before, long total) {
        List<Samples> parts = new ArrayList<>();
        for (int i = 0; i < config.samples(); i++) {
            long offset = before + (long) i * config.steps();
            StepListener l = (step, steps, timestep) -> progress.stepsDone(offset + step, total);
            parts.add(model.sample(1, config.steps(), config.seed() + i, tap, l));
        }
        return Samples.concat(parts);
    }
}
