package org.colsparse.cli;

import ai.djl.ndarray.NDManager;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Workload;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.catalog.Catalog;
import org.colsparse.pipeline.AccuracyStage;
import org.colsparse.pipeline.Fingerprint;
import org.colsparse.pipeline.ModelSource;
import org.colsparse.report.AtomicOutput;
import org.colsparse.results.AccuracyPoint;
import org.colsparse.results.AccuracyResult;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sweep.AccuracySweep;
import org.colsparse.sweep.Metric;
import org.colsparse.util.Decimal;
import org.colsparse.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
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
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--workload", paramLabel = "ID", description = "a workload to sweep, repeatable (see 'colsparse workloads'; default: ddpm-mnist)")
    List<String> workloads = new ArrayList<>();

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "weights to use instead of the shipped ones (only with one --workload)")
    Path checkpoint;

    @CommandLine.Mixin
    PresetOptions presetOptions = new PresetOptions();

    @CommandLine.Mixin
    ModelOptions modelOptions = new ModelOptions();

    /** The ONNX workload's files, null for built-in ones. */
    private org.colsparse.onnx.OnnxWorkload.Files onnx;

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

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch threads, or ONNX Runtime intra-op threads with --model (default: ${DEFAULT-VALUE}; more is slower on 2-core machines)", defaultValue = "1")
    int threads;

    @Option(names = "--out", paramLabel = "DIR", description = "folder for results.json and pictures of the samples of every run "
            + "(<workload>/dense/, <workload>/tau-<t>/), written atomically")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table, json or csv (default: ${DEFAULT-VALUE})", defaultValue = "table")
    OutputFormat format;

    @CommandLine.Mixin
    ShardOptions shards = new ShardOptions();

    @Override
    public void run() {
        onnx = modelOptions.files(spec);
        List<String> ids = workloads.isEmpty() ? List.of("ddpm-mnist") : List.copyOf(new LinkedHashSet<>(workloads));
        List<Workload> chosen = new ArrayList<>();
        if (onnx != null) {
            chosen.add(ModelOptions.open(onnx, threads));
        } else {
            for (String id : ids) {
                chosen.add(Catalog.runtime(id, presetOptions.preset));
            }
        }
        if (checkpoint != null && chosen.size() != 1) {
            throw new InputException("--checkpoint: applies to one --workload, got " + chosen.size());
        }
        // an ONNX graph holds its weights and its card the conditioning: ModelOptions refused --checkpoint and --cond
        if (onnx == null) {
            if (chosen.size() == 1) {
                presetOptions.resolve(ids.get(0), checkpoint);
            } else if (presetOptions.preset == org.colsparse.denoiser.Preset.full || !presetOptions.conditions.isEmpty()) {
                throw new InputException("--preset full/--cond: apply to one --workload, got " + chosen.size());
            }
        }
        OptionRules.samples(samples);
        OptionRules.tileRows(tileRows);
        OptionRules.positive("--threads", threads);
        OptionRules.thresholds(thresholds);
        List<AccuracySweep.Config> configs = new ArrayList<>();
        for (Workload w : chosen) {
            DenoiserInfo info = w.info();
            AccuracySweep.Config c = AccuracyStage.config(info, samples, steps, seed, thresholds, tileRows);
            OptionRules.steps(c.steps(), info);
            configs.add(c);
        }
        shards.checkMerged(fingerprint(chosen, configs));
        shards.requireOut(out);
        List<Path> inputs = presetOptions.inputFiles(checkpoint);
        inputs.addAll(ModelOptions.inputs(onnx));
        try (AtomicOutput folder = out != null && shards.shard() == null ? AtomicOutput.open(out, "accuracy", false, inputs) : null) {
            sweep(chosen, configs, folder);
        }
    }

    private void sweep(List<Workload> chosen, List<AccuracySweep.Config> configs, AtomicOutput folder) {
        PrintWriter err = spec.commandLine().getErr();
        if (folder != null && folder.notice() != null) {
            err.println(folder.notice());
        }
        List<AccuracySweep.Result> results = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < chosen.size(); i++) {
            Workload w = chosen.get(i);
            AccuracySweep.Config c = configs.get(i);
            ModelSource models = new ModelSource(w, checkpoint, presetOptions.conditions, threads);
            long t0 = System.nanoTime();
            try (NDManager manager = models.manager(); LoadedWorkload model = models.load(manager);
                 Progress progress = Progress.start("accuracy " + w.info().id(), (1L + c.thresholds().length) * shards.source().samples(c.samples()) * c.steps(), err)) {
                AccuracySweep.Result r = shards.source().accuracy(model, c, (done, total) -> progress.stepTo(done));
                results.add(r);
                if (folder != null) {
                    folder.writing(folder.dir().resolve(r.workload()), () -> AccuracyStage.writePreviews(model, r, folder.dir()));
                }
            }
            seconds.add((System.nanoTime() - t0) / 1e9);
        }
        if (shards.writeShard(spec, out, fingerprint(chosen, configs))) {
            return;
        }
        Map<String, String> samplers = new java.util.HashMap<>();
        chosen.forEach(w -> samplers.put(w.info().id(), w.info().sampler()));
        AccuracyResult report = AccuracyStage.result(results, seconds, samplers::get);
        if (folder != null) {
            try {
                folder.write("results.json", IN_ORDER.writeValueAsString(report));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            folder.commit();
        }
        print(report);
    }

    /**
     * The accuracy command writes each result's keys in reading order (workload, threshold,
     * relative_l2, the modality's metrics, sparsity, cliff), not sorted as the shared mapper sorts them.
     */
    private static final com.fasterxml.jackson.databind.ObjectMapper IN_ORDER = Json.MAPPER.copy()
            .disable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    /** The options that decide the numbers, one per line: the shards of one run must agree on every one. */
    private Fingerprint fingerprint(List<Workload> chosen, List<AccuracySweep.Config> configs) {
        Map<String, Object> f = Fingerprint.entries();
        f.put("preset", presetOptions.preset);
        f.put("checkpoint", checkpoint);
        f.put("conditions", new java.util.TreeMap<>(presetOptions.conditions));
        for (int i = 0; i < chosen.size(); i++) {
            AccuracySweep.Config c = configs.get(i);
            f.put("workload_" + (i + 1), chosen.get(i).info().id() + " samples=" + c.samples() + " steps=" + c.steps() + " seed=" + c.seed()
                    + " thresholds=" + java.util.Arrays.toString(c.thresholds()) + " tile_rows=" + c.tileRows());
        }
        Fingerprint.putModel(f, onnx);
        return Fingerprint.of(f);
    }

    private void print(AccuracyResult report) {
        PrintWriter o = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            try {
                o.println(IN_ORDER.writeValueAsString(report));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            o.flush();
            return;
        }
        Set<Metric> present = EnumSet.noneOf(Metric.class);
        for (AccuracyPoint p : report.results()) {
            present.addAll(p.metrics().keySet());
        }
        List<String> header = new ArrayList<>(List.of("workload", "threshold", "relative_l2"));
        present.forEach(k -> header.add(k.key()));
        header.addAll(List.of("element_sparsity_pct", "column_sparsity_pct", "cliff"));
        Table t = new Table(header);
        for (AccuracyPoint p : report.results()) {
            List<Object> row = new ArrayList<>();
            row.add(p.workload());
            row.add(Decimal.plain(p.threshold()));
            row.add(metric(p.relativeL2(), true));
            for (Metric k : present) {
                row.add(metric(p.metric(k), p.has(k)));
            }
            row.add(String.format(Locale.ROOT, "%.2f", 100 * p.elementSparsity()));
            row.add(String.format(Locale.ROOT, "%.2f", 100 * p.columnSparsity()));
            row.add(p.cliff());
            t.add(row);
        }
        if (format == OutputFormat.table) {
            o.println("seed " + report.seeds().get(0) + " (every run of every workload starts from the same noise and conditions)");
            for (AccuracyResult.AccuracyRun r : report.runs()) {
                o.printf(Locale.ROOT, "%s (%s; decoding: %s): %d samples x %d steps of %s; dense run %.1f s, sweep %.1f s; cliff: %s%n",
                        r.workload(), r.modality(), r.decoding(), r.samples(), r.steps(), r.sampler(), r.denseSeconds(), r.seconds(),
                        r.cliffAt() == null ? "none" : "at tau " + Decimal.plain(r.cliffAt()));
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

    /** A metric cell: empty when the modality lacks it, "inf" for null (= +inf), else 6 significant digits. */
    private static String metric(Double v, boolean present) {
        if (!present) {
            return "";
        }
        return v == null ? "inf" : String.format(Locale.ROOT, "%.6g", v);
    }
}
