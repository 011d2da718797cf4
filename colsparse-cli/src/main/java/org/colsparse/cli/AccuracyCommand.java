package org.colsparse.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.colsparse.accuracy.CliffRule;
import org.colsparse.catalog.Catalog;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.Workload;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.report.AtomicOutput;
import org.colsparse.runtime.Torch;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sweep.AccuracySweep;
import org.colsparse.sweep.Metric;
import org.colsparse.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reruns sampling with near-zero GELU outputs forced to zero and measures the drift from the dense output. */
@Command(name = "accuracy", mixinStandardHelpOptions = true,
        description = {
                "Accuracy sweep: for each threshold tau the full sampling loop runs again from the same seed and conditions "
                        + "with every GELU output |a| <= tau replaced by 0, and its final output is compared with the dense run's.",
                "Metrics: relative_l2 = ||out - dense|| / ||dense|| in the model's output space (every workload); "
                        + "image: psnr_db, ssim on the picture in [0, 1]; video: also frame_psnr_min_db, frame_ssim_min, "
                        + "temporal_change_error; audio: lsd_db, snr_db on the mel spectrogram; motion/dance: mpjpe_m after "
                        + "forward kinematics, foot_skate_m_s (absent when no foot is on the floor two frames in a row) and jerk_m_s3 "
                        + "with their dense values. Where an output is identical "
                        + "to the dense one, PSNR and SNR are +inf: 'inf' in table and CSV, null in JSON. A metric a modality "
                        + "does not have is an empty cell / absent key.",
                "element_sparsity and column_sparsity are measured in the same zeroing run, at its threshold, over every "
                        + "GELU site and call (tiles of --tile-rows rows).",
                "Cliff: the step into threshold i (the dense run is the point at threshold 0, relative_l2 0) is a cliff when "
                        + "its increase in relative_l2 exceeds max(0.05, 3 x the previous step's increase).",
                "Defaults keep a sweep short: at most 4 samples and at most 50 sampler steps per run (the workload's own "
                        + "sampler respaced, e.g. ddpm-mnist: 50-step respaced DDPM ancestral)."})
public final class AccuracyCommand implements Runnable {
    /** Samples per sweep run unless --samples says otherwise (capped by the workload's own default). */
    public static final int DEFAULT_SAMPLES = 4;
    /** Sampler steps per sweep run unless --steps says otherwise (capped by the workload's own default). */
    public static final int DEFAULT_STEPS = 50;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--workload", paramLabel = "ID", description = "a workload to sweep, repeatable (see 'colsparse workloads'; default: ddpm-mnist)")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "weights to use instead of the shipped ones (only with one --workload)")
    Path checkpoint;

    @CommandLine.Mixin
    PresetOptions presetOptions = new PresetOptions();

    @Option(names = "--threshold", split = ",", paramLabel = "TAU", description = "zeroing thresholds tau, |a| <= tau, repeatable or comma-separated (default: 0.001,0.005,0.01,0.05,0.1)")
    double[] thresholds = AnalysisConfig.DEFAULT_SWEEP.clone();

    @Option(names = "--samples", paramLabel = "N", description = "samples per run, each its own sampling loop, one sample per denoiser call (default: min(4, the workload's default))")
    Integer samples;

    @Option(names = "--steps", paramLabel = "N", description = "sampler steps per run, respacing the schedule (default: min(50, the workload's default))")
    Integer steps;

    @Option(names = "--seed", paramLabel = "SEED", description = "noise seed of every run, dense and zeroed (default: ${DEFAULT-VALUE})", defaultValue = "0")
    long seed;

    @Option(names = "--tile-rows", paramLabel = "R", description = "the row-tile height R of the column-sparsity view, one value (default: 128, the built-in array's rows, as in run)")
    int tileRows = OptionRules.defaultTileRows();

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch threads (default: ${DEFAULT-VALUE}; more is slower on 2-core machines)", defaultValue = "1")
    int threads;

    @Option(names = "--out", paramLabel = "DIR", description = "folder for results.json and pictures of the samples of every run "
            + "(<workload>/dense/, <workload>/tau-<t>/), written atomically")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table, json or csv (default: ${DEFAULT-VALUE})", defaultValue = "table")
    OutputFormat format;

    @CommandLine.Mixin
    ShardOptions shards = new ShardOptions();

    /** One workload's sweep as printed: how it ran and where the cliff rule first fired (null: nowhere). */
    public record Run(String workload, String modality, String decoding, String sampler, int samples, int steps, long seed, int tileRows,
               double denseSeconds, double seconds, Double cliffAt) {
    }

    /** The cliff rule as printed in JSON. */
    public record Rule(String metric, double absoluteFloor, double factor, String text) {
    }

    /**
     * What JSON output holds; {@code results} entries are flat maps so each modality adds only its own
     * keys. Timings live in {@code runs} only, so {@code results} of two runs with the same arguments are identical.
     */
    public record Report(List<Long> seeds, Rule cliffRule, List<Run> runs, List<Map<String, Object>> results) {
    }

    @Override
    public void run() {
        List<String> ids = workloads.isEmpty() ? List.of("ddpm-mnist") : List.copyOf(new LinkedHashSet<>(workloads));
        List<Workload> chosen = new ArrayList<>();
        for (String id : ids) {
            chosen.add(Catalog.runtime(id, presetOptions.preset));
        }
        if (checkpoint != null && chosen.size() != 1) {
            throw new InputException("--checkpoint: applies to one --workload, got " + chosen.size());
        }
        if (chosen.size() == 1) {
            presetOptions.resolve(ids.get(0), checkpoint);
        } else if (presetOptions.preset == org.colsparse.denoiser.Preset.full || !presetOptions.conditions.isEmpty()) {
            throw new InputException("--preset full/--cond: apply to one --workload, got " + chosen.size());
        }
        OptionRules.samples(samples);
        OptionRules.tileRows(tileRows);
        OptionRules.positive("--threads", threads);
        OptionRules.thresholds(thresholds);
        CliffRule rule = CliffRule.RELATIVE_L2;
        List<AccuracySweep.Config> configs = new ArrayList<>();
        for (Workload w : chosen) {
            DenoiserInfo info = w.info();
            int s = steps != null ? steps : Math.min(DEFAULT_STEPS, info.defaultSteps());
            OptionRules.steps(s, info);
            int n = samples != null ? samples : Math.min(DEFAULT_SAMPLES, info.defaultSamples());
            configs.add(new AccuracySweep.Config(n, s, seed, thresholds, tileRows, rule));
        }
        shards.checkMerged(fingerprint(chosen, configs));
        shards.requireOut(out);
        List<Path> inputs = presetOptions.inputFiles(checkpoint);
        try (AtomicOutput folder = out != null && shards.shard() == null ? AtomicOutput.open(out, "accuracy", false, inputs) : null) {
            sweep(chosen, configs, rule, folder);
        }
    }

    private void sweep(List<Workload> chosen, List<AccuracySweep.Config> configs, CliffRule rule, AtomicOutput folder) {
        Torch.configureThreads(threads);
        PrintWriter err = spec.commandLine().getErr();
        if (folder != null && folder.notice() != null) {
            err.println(folder.notice());
        }
        List<AccuracySweep.Result> results = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            Workload w = chosen.get(i);
            AccuracySweep.Config c = configs.get(i);
            long t0 = System.nanoTime();
            try (NDManager manager = Torch.manager(); LoadedWorkload model = w.load(manager, checkpoint, presetOptions.conditions);
                 Progress progress = Progress.start("accuracy " + w.info().id(), (1L + c.thresholds().length) * shards.samples(c.samples()) * c.steps(), err)) {
                AccuracySweep.Result r = shards.accuracy(model, c, (done, total) -> progress.stepTo(done));
                results.add(r);
                if (folder != null) {
                    folder.writing(folder.dir().resolve(r.workload()), () -> writePreviews(model, r, folder.dir()));
                }
            }
            seconds.add((System.nanoTime() - t0) / 1e9);
        }
        if (shards.writeShard(spec, out, fingerprint(chosen, configs))) {
            return;
        }
        Report report = report(results, seconds, rule, presetOptions.preset);
        if (folder != null) {
            try {
                folder.write("results.json", Json.MAPPER.writeValueAsString(withOrderedResults(report)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            folder.commit();
        }
        print(report);
    }

    /** The options that decide the numbers, one per line: the shards of one run must agree on every one. */
    private String fingerprint(List<Workload> chosen, List<AccuracySweep.Config> configs) {
        List<String> lines = new ArrayList<>(List.of("preset=" + presetOptions.preset, "checkpoint=" + checkpoint,
                "conditions=" + new java.util.TreeMap<>(presetOptions.conditions)));
        for (int i = 0; i < chosen.size(); i++) {
            AccuracySweep.Config c = configs.get(i);
            lines.add("workload_" + (i + 1) + "=" + chosen.get(i).info().id() + " samples=" + c.samples() + " steps=" + c.steps() + " seed=" + c.seed()
                    + " thresholds=" + java.util.Arrays.toString(c.thresholds()) + " tile_rows=" + c.tileRows());
        }
        return String.join("\n", lines) + "\n";
    }

    /**
     * The dense samples and every threshold's, each where a person can compare them side by side.
     *
     * @return label ("dense", "tau = 0.01", ...) to the picture written, in sweep order
     */
    public static Map<String, Path> writePreviews(LoadedWorkload model, AccuracySweep.Result r, Path dir) {
        Map<String, Path> written = new java.util.LinkedHashMap<>();
        List<Path> targets = new ArrayList<>();
        targets.add(dir.resolve(r.workload()).resolve("dense"));
        List<Samples> samples = new ArrayList<>(List.of(r.dense()));
        for (AccuracySweep.Point p : r.points()) {
            targets.add(dir.resolve(r.workload()).resolve("tau-" + num(p.threshold())));
            samples.add(p.output());
        }
        try {
            for (int i = 0; i < targets.size(); i++) {
                Files.createDirectories(targets.get(i));
                written.put(i == 0 ? "dense" : "tau = " + num(r.points().get(i - 1).threshold()),
                        model.writePreview(samples.get(i), targets.get(i)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    public static Report report(List<AccuracySweep.Result> results, List<Double> seconds, CliffRule rule, org.colsparse.denoiser.Preset preset) {
        List<Run> runs = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            AccuracySweep.Result r = results.get(i);
            runs.add(new Run(r.workload(), r.modality(), r.decoding(), Catalog.runtime(r.workload(), preset).info().sampler(), r.samples(), r.steps(),
                    r.seed(), r.tileRows(), r.denseSeconds(), seconds.get(i), r.cliffAt()));
            for (AccuracySweep.Point p : r.points()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("workload", r.workload());
                m.put("threshold", p.threshold());
                m.put("relative_l2", finiteOrNull(p.relativeL2()));
                for (Metric k : Metric.values()) {
                    if (p.metrics().containsKey(k)) {
                        m.put(k.key(), finiteOrNull(p.metrics().get(k)));
                    }
                }
                m.put("element_sparsity", p.elementSparsity());
                m.put("column_sparsity", p.columnSparsity());
                m.put("cliff", p.cliff());
                rows.add(m);
            }
        }
        List<Long> seeds = results.stream().map(AccuracySweep.Result::seed).distinct().toList();
        Rule printed = new Rule("relative_l2", rule.absoluteFloor(), rule.factor(), String.format(Locale.ROOT,
                "step i is a cliff when relative_l2 rises by more than max(%s, %s x the rise of step i-1); the dense run is the point at threshold 0",
                num(rule.absoluteFloor()), num(rule.factor())));
        return new Report(seeds, printed, runs, rows);
    }

    /** JSON has no infinity: +inf (an output identical to dense) is written as null, as the help says. */
    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private void print(Report report) {
        PrintWriter o = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            Json.print(o, withOrderedResults(report));
            return;
        }
        Set<Metric> present = EnumSet.noneOf(Metric.class);
        for (Map<String, Object> m : report.results()) {
            for (Metric k : Metric.values()) {
                if (m.containsKey(k.key())) {
                    present.add(k);
                }
            }
        }
        List<String> header = new ArrayList<>(List.of("workload", "threshold", "relative_l2"));
        present.forEach(k -> header.add(k.key()));
        header.addAll(List.of("element_sparsity_pct", "column_sparsity_pct", "cliff"));
        Table t = new Table(header);
        for (Map<String, Object> m : report.results()) {
            List<Object> row = new ArrayList<>();
            row.add(m.get("workload"));
            row.add(num((Double) m.get("threshold")));
            row.add(metric(m, "relative_l2", true));
            for (Metric k : present) {
                row.add(metric(m, k.key(), m.containsKey(k.key())));
            }
            row.add(String.format(Locale.ROOT, "%.2f", 100 * (Double) m.get("element_sparsity")));
            row.add(String.format(Locale.ROOT, "%.2f", 100 * (Double) m.get("column_sparsity")));
            row.add(m.get("cliff"));
            t.add(row);
        }
        if (format == OutputFormat.table) {
            o.println("seed " + report.seeds().get(0) + " (every run of every workload starts from the same noise and conditions)");
            for (Run r : report.runs()) {
                o.printf(Locale.ROOT, "%s (%s; decoding: %s): %d samples x %d steps of %s; dense run %.1f s, sweep %.1f s; cliff: %s%n",
                        r.workload(), r.modality(), r.decoding(), r.samples(), r.steps(), r.sampler(), r.denseSeconds(), r.seconds(),
                        r.cliffAt() == null ? "none" : "at tau " + num(r.cliffAt()));
            }
        }
        t.print(o, format);
        if (format == OutputFormat.table) {
            o.println("cliff rule: " + report.cliffRule().text());
            if (out != null) {
                o.println("results and samples: " + out);
            }
            o.flush();
        }
    }

    /**
     * The shared mapper sorts map keys; each result becomes an ObjectNode, which keeps the reading
     * order workload, threshold, relative_l2, modality metrics, sparsity, cliff.
     */
    private static OrderedReport withOrderedResults(Report report) {
        List<ObjectNode> nodes = new ArrayList<>();
        for (Map<String, Object> m : report.results()) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            m.forEach((k, v) -> n.set(k, Json.MAPPER.valueToTree(v)));
            nodes.add(n);
        }
        return new OrderedReport(report.seeds(), report.cliffRule(), report.runs(), nodes);
    }

    /** {@link Report} as JSON prints it. */
    record OrderedReport(List<Long> seeds, Rule cliffRule, List<Run> runs, List<ObjectNode> results) {
    }

    /** A metric cell: empty when the modality lacks it, "inf" for null (= +inf), else 6 significant digits. */
    private static String metric(Map<String, Object> m, String key, boolean present) {
        if (!present) {
            return "";
        }
        Object v = m.get(key);
        return v == null ? "inf" : String.format(Locale.ROOT, "%.6g", (Double) v);
    }

    private static String num(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
