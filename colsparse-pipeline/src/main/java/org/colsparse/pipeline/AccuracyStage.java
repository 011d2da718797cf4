package org.colsparse.pipeline;

import org.colsparse.accuracy.CliffRule;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.results.AccuracyPoint;
import org.colsparse.results.AccuracyResult;
import org.colsparse.sweep.AccuracySweep;
import org.colsparse.sweep.Metric;
import org.colsparse.util.Decimal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The accuracy stage, for {@code run} and {@code accuracy}: the sampling loop again once per
 * threshold with every GELU output {@code |a| <= tau} zeroed, against the dense run of the same
 * seed; the pictures of every run's samples; the typed result.
 */
public final class AccuracyStage {
    /** Samples per sweep run unless --samples says otherwise (capped by the workload's own default). */
    public static final int DEFAULT_SAMPLES = 4;
    /** Sampler steps per sweep run unless --steps says otherwise (capped by the workload's own default). */
    public static final int DEFAULT_STEPS = 50;
    /** The rule every sweep calls its cliffs by. */
    public static final CliffRule RULE = CliffRule.RELATIVE_L2;

    private AccuracyStage() {
    }

    /** The sweep's configuration with the stage's defaults of samples and steps unless given. */
    public static AccuracySweep.Config config(DenoiserInfo info, Integer samples, Integer steps, long seed, double[] thresholds, int tileRows) {
        int n = samples != null ? samples : Math.min(DEFAULT_SAMPLES, info.defaultSamples());
        int s = steps != null ? steps : Math.min(DEFAULT_STEPS, info.defaultSteps());
        return new AccuracySweep.Config(n, s, seed, thresholds, tileRows, RULE);
    }

    /**
     * The dense samples and every threshold's, each where a person can compare them side by side:
     * {@code dir/<workload>/dense/}, {@code dir/<workload>/tau-<t>/}.
     *
     * @return label ("dense", "tau = 0.01", ...) to the picture written, in sweep order
     */
    public static Map<String, Path> writePreviews(LoadedWorkload model, AccuracySweep.Result r, Path dir) {
        Map<String, Path> written = new LinkedHashMap<>();
        List<Path> targets = new ArrayList<>();
        targets.add(dir.resolve(r.workload()).resolve("dense"));
        List<Samples> samples = new ArrayList<>(List.of(r.dense()));
        for (AccuracySweep.Point p : r.points()) {
            targets.add(dir.resolve(r.workload()).resolve("tau-" + Decimal.plain(p.threshold())));
            samples.add(p.output());
        }
        try {
            for (int i = 0; i < targets.size(); i++) {
                Files.createDirectories(targets.get(i));
                written.put(i == 0 ? "dense" : "tau = " + Decimal.plain(r.points().get(i - 1).threshold()),
                        model.writePreview(samples.get(i), targets.get(i)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    /**
     * The typed result of the sweeps of {@code results}, {@code seconds} each, with each workload's sampler,
     * in words, from {@code samplerOf}; no pictures yet ({@link AccuracyResult#withPictures}).
     */
    public static AccuracyResult result(List<AccuracySweep.Result> results, List<Double> seconds,
                                        java.util.function.Function<String, String> samplerOf) {
        List<AccuracyResult.AccuracyRun> runs = new ArrayList<>();
        List<AccuracyPoint> points = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            AccuracySweep.Result r = results.get(i);
            runs.add(new AccuracyResult.AccuracyRun(r.workload(), r.modality(), r.decoding(), samplerOf.apply(r.workload()),
                    r.samples(), r.steps(), r.seed(), r.tileRows(), r.denseSeconds(), seconds.get(i), r.cliffAt()));
            for (AccuracySweep.Point p : r.points()) {
                Map<Metric, Double> metrics = new EnumMap<>(Metric.class);
                for (Metric k : Metric.values()) {
                    if (p.metrics().containsKey(k)) {
                        metrics.put(k, finiteOrNull(p.metrics().get(k)));
                    }
                }
                points.add(new AccuracyPoint(r.workload(), p.threshold(), finiteOrNull(p.relativeL2()), metrics, p.elementSparsity(),
                        p.columnSparsity(), p.cliff()));
            }
        }
        List<Long> seeds = results.stream().map(AccuracySweep.Result::seed).distinct().toList();
        AccuracyResult.CliffRuleText printed = new AccuracyResult.CliffRuleText("relative_l2", RULE.absoluteFloor(), RULE.factor(),
                String.format(Locale.ROOT, "step i is a cliff when relative_l2 rises by more than max(%s, %s x the rise of step i-1); "
                        + "the dense run is the point at threshold 0", Decimal.plain(RULE.absoluteFloor()), Decimal.plain(RULE.factor())));
        return new AccuracyResult(seeds, printed, runs, points, null);
    }

    /** JSON has no infinity: +inf (an output identical to dense) is written as null, as the help says. */
    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
