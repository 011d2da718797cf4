package org.colsparse.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.colsparse.accel.AccelConfig;
import org.colsparse.layout.LayoutKind;
import org.colsparse.report.AtomicOutput;
import org.colsparse.report.ReportWriter;
import org.colsparse.report.Summary;
import org.colsparse.pipeline.RunOptions;
import org.colsparse.pipeline.RunPipeline;
import org.colsparse.pipeline.StageListener;
import org.colsparse.pipeline.StageStore;
import org.colsparse.results.Results;
import org.colsparse.denoiser.Preset;
import org.colsparse.taxonomy.TaxonomyRule;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.systolic.ArrayShape;
import org.colsparse.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The main job: every stage for every selected workload, then one report. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"The whole characterization in one command: profile real activations (recording the masks of a few "
                + "calls), analyze, classify, measure the accuracy cost of zeroing, estimate cycles analytically on the "
                + "profiled model's own GEMMs with its real recorded masks (plus, for tiny models, a projection onto the "
                + "full-size shapes, labelled so), simulate the GDDR6 accelerator per layout on whole recorded calls, and "
                + "write report.html, results.json, CSV tables and PNG figures into --out.",
                "Writes atomically (into <out>.partial, renamed when done); --resume continues an interrupted run."})
public final class RunCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--workload", paramLabel = "ID", description = "a workload to characterize, repeatable (default: every built-in workload; see 'colsparse workloads')")
    List<String> workloads;

    @CommandLine.Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: ${DEFAULT-VALUE})", defaultValue = "results")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "accelerator YAML (default: the built-in config, identical to config/accel.yaml)")
    Path config;

    @Option(names = "--array", paramLabel = "ROWSxCOLS", description = "override the config's array; its rows are the analyzed tile height")
    String array;

    @Option(names = "--layout", paramLabel = "LAYOUTS", completionCandidates = LayoutKind.Names.class,
            description = "${COMPLETION-CANDIDATES}, a comma list, or all (default: ${DEFAULT-VALUE})", defaultValue = "all")
    String layout;

    @Option(names = "--threshold", split = ",", paramLabel = "TAU", description = "near-zero thresholds tau, |a| <= tau, repeatable or comma-separated (default: 0.001,0.005,0.01,0.05,0.1)")
    double[] thresholds = AnalysisConfig.DEFAULT_SWEEP.clone();

    @Option(names = "--primary", paramLabel = "TAU", description = "the threshold the summary reports, one of --threshold (default: ${DEFAULT-VALUE})", defaultValue = "0.01")
    double primary;

    @Option(names = "--tile-rows", split = ",", paramLabel = "R", description = "row-tile heights R of the tile-height curve, repeatable or comma-separated (default: 8,16,32,64,128; the array's rows are always added)")
    int[] tileRows = {8, 16, 32, 64, 128};

    @Option(names = "--samples", paramLabel = "N", description = "samples per workload, each its own sampling loop, one sample per denoiser call (default: min(4, the workload's default))")
    Integer samples;

    @Option(names = "--steps", paramLabel = "N", description = "sampler steps per workload, respacing its schedule (default: profile min(100, the workload's default), accuracy min(50, ...))")
    Integer steps;

    @Option(names = "--seed", paramLabel = "SEED", description = "seed of every sampler; sample i starts from seed + i (default: ${DEFAULT-VALUE})", defaultValue = "0")
    long seed;

    @Option(names = "--buckets", paramLabel = "N", description = "timestep buckets for the per-timestep results (default: ${DEFAULT-VALUE})", defaultValue = "10")
    int buckets;

    @Option(names = "--mask-calls", paramLabel = "N", description = "denoiser calls of the first sample whose real masks are recorded (spread over its steps) and replayed by estimate and simulate (default: ${DEFAULT-VALUE})", defaultValue = "4")
    int maskCalls;

    @Option(names = "--sim-calls", paramLabel = "N", description = "recorded calls simulated cycle by cycle, whole call, every layout (default: ${DEFAULT-VALUE})", defaultValue = "2")
    int simCalls;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "a checkpoint to characterize instead of the shipped weights (with --preset full: the official weights; one --workload)")
    Path checkpoint;

    @CommandLine.Mixin
    PresetOptions presetOptions = new PresetOptions();

    @CommandLine.Mixin
    TaxonomyOptions taxonomyOptions = new TaxonomyOptions();

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch threads (default: ${DEFAULT-VALUE}; more is slower on 2-core machines)", defaultValue = "1")
    int threads;

    @Option(names = "--resume", description = "continue the interrupted run in <out>.partial, skipping finished stages")
    boolean resume;

    @Option(names = "--format", paramLabel = "FORMAT", description = "how the summary is printed: table, csv (plain numbers) or json (the summary rows and the path of results.json, which holds every number) (default: ${DEFAULT-VALUE})", defaultValue = "table")
    OutputFormat format;

    @CommandLine.Mixin
    ShardOptions shards = new ShardOptions();

    @Override
    public void run() {
        RunOptions opt = options();
        if (shards.shard() != null && resume) {
            throw new InputException("--resume: a shard is rerun whole; drop --resume from --shard " + shards.shard());
        }
        shards.checkMerged(opt.fingerprint());
        PrintWriter err = spec.commandLine().getErr();
        if (shards.shard() != null) {
            // a shard writes its state file only: no partial folder, no report
            shards.requireOut(opt.out());
            characterize(opt, null, err);
            return;
        }
        List<Path> inputs = new ArrayList<>(opt.conditions().values());
        inputs.add(opt.checkpoint());
        inputs.add(config);
        inputs.addAll(ModelOptions.inputs(opt.model()));
        AtomicOutput output = AtomicOutput.open(opt.out(), "run", resume, inputs);
        if (output.notice() != null) {
            err.println(output.notice());
        }
        // Ctrl-C ends the JVM through its shutdown hooks: say how to pick up the finished stages
        Thread hint = new Thread(() -> {
            err.println();
            err.println("colsparse: interrupted; finished stages are kept in " + output.dir() + ": rerun with the same options and --resume");
            err.flush();
        });
        Runtime.getRuntime().addShutdownHook(hint);
        try {
            characterize(opt, output, err);
        } finally {
            output.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hint);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C came: the hook is printing the hint right now
            }
        }
    }

    private void characterize(RunOptions opt, AtomicOutput output, PrintWriter err) {
        Progress[] bar = {null};
        String[] task = {""};
        StageListener listener = new StageListener() {
            @Override
            public void stage(String stage, String workload, int index, int count) {
                closeBar(bar);
                task[0] = String.format("[%d/%d] %s %s", index + 1, count, stage, workload);
                err.println("colsparse: " + task[0]);
                err.flush();
            }

            @Override
            public void nothingToResume(Path partial) {
                err.println("colsparse: --resume: nothing to resume (no finished stage in " + partial + "); running every stage");
                err.flush();
            }

            @Override
            public void reused(String stage) {
                err.println("colsparse:   reused the finished stage " + stage + " (--resume)");
                err.flush();
            }

            @Override
            public void progress(long done, long total) {
                if (bar[0] == null) {
                    bar[0] = Progress.start(task[0], total, err);
                }
                bar[0].stepTo(done);
            }
        };
        RunPipeline pipeline = new RunPipeline(opt, listener, shards.source(), opened);
        if (shards.shard() != null) {
            try {
                pipeline.runShard();
            } finally {
                closeBar(bar);
            }
            shards.writeShard(spec, opt.out(), opt.fingerprint());
            return;
        }
        Results results;
        try {
            results = pipeline.run(new StageStore(output, resume, listener));
        } finally {
            closeBar(bar);
        }
        new ReportWriter().write(results, output);
        output.commit();
        PrintWriter o = spec.commandLine().getOut();
        // the summary only: results.json, with every number, is megabytes and lies in --out
        if (format == OutputFormat.json) {
            com.fasterxml.jackson.databind.node.ArrayNode rows = Json.MAPPER.createArrayNode();
            for (List<Object> r : Summary.values(results)) {
                ObjectNode row = rows.addObject();
                for (int i = 0; i < r.size(); i++) {
                    row.set(Summary.HEADER.get(i), Json.MAPPER.valueToTree(r.get(i)));
                }
            }
            Json.print(o, Json.MAPPER.createObjectNode().put("results", opt.out().resolve("results.json").toString()).set("summary", rows));
        } else {
            Table t = new Table(Summary.HEADER);
            (format == OutputFormat.csv ? Summary.csvRows(results) : Summary.rows(results)).forEach(t::add);
            t.print(o, format);
        }
        err.println("colsparse: report written to " + opt.out().resolve("report.html"));
        err.flush();
    }

    private static void closeBar(Progress[] bar) {
        if (bar[0] != null) {
            bar[0].close();
            bar[0] = null;
        }
    }

    /** The ONNX workload options() opened to check its card, handed to the pipeline rather than opened again. */
    private org.colsparse.onnx.OnnxWorkload opened;

    /** Every option is checked here, before any work starts. */
    private RunOptions options() {
        org.colsparse.onnx.OnnxWorkload.Files onnx = modelOptions.files(spec);
        org.colsparse.onnx.OnnxWorkload custom = onnx == null ? null : ModelOptions.open(onnx, threads);
        opened = custom;
        List<String> ids = custom != null ? List.of(custom.info().id())
                : workloads == null || workloads.isEmpty()
                ? org.colsparse.catalog.Catalog.shipped().stream().map(w -> w.info().id()).toList()
                : List.copyOf(workloads);
        AccelConfig accel = config == null ? AccelConfig.defaults() : AccelConfig.load(OptionRules.inputFile("--config", config));
        if (array != null) {
            accel = accel.withArray(ArrayShape.parse(array, "--array"));
        }
        List<LayoutKind> layouts = LayoutKind.parse(layout, "--layout");
        OptionRules.thresholds(thresholds);
        OptionRules.threshold(primary);
        TreeSet<Double> ts = new TreeSet<>();
        for (double t : thresholds) {
            ts.add(t);
        }
        if (!ts.contains(primary)) {
            throw new InputException("--primary: " + primary + " is not among the thresholds " + ts);
        }
        OptionRules.tileRows(tileRows);
        TreeSet<Integer> tiles = new TreeSet<>();
        for (int r : tileRows) {
            tiles.add(r);
        }
        tiles.add(accel.array().rows());
        double[] tsArr = ts.stream().mapToDouble(Double::doubleValue).toArray();
        int[] tileArr = tiles.stream().mapToInt(Integer::intValue).toArray();
        try {
            new AnalysisConfig(tsArr, tileArr);
        } catch (IllegalArgumentException e) {
            throw new InputException("--threshold/--tile-rows: " + e.getMessage());
        }
        OptionRules.samples(samples);
        if (steps != null) {
            for (String id : ids) {
                OptionRules.steps(steps, custom != null ? custom.info() : org.colsparse.catalog.Catalog.runtime(id, presetOptions.preset).info());
            }
        }
        OptionRules.positive("--buckets", buckets);
        OptionRules.positive("--mask-calls", maskCalls);
        OptionRules.positive("--sim-calls", simCalls);
        if ((checkpoint != null || presetOptions.preset == Preset.full) && ids.size() != 1) {
            throw new InputException("--checkpoint/--preset full: name exactly one --workload, got " + ids.size());
        }
        for (String id : ids) {
            if (custom == null) {
                presetOptions.resolve(id, checkpoint);
            }
        }
        if (presetOptions.preset == Preset.tiny && !presetOptions.conditions.isEmpty()) {
            throw new InputException("--cond: only full-size models (--preset full) take conditioning files");
        }
        TaxonomyRule rule = taxonomyOptions.rule();
        OptionRules.positive("--threads", threads);
        return new RunOptions(new ArrayList<>(ids), out, accel, layouts, primary, tsArr, tileArr, samples, steps, seed,
                buckets, threads, presetOptions.preset, checkpoint, presetOptions.conditions, rule, maskCalls, simCalls, onnx);
    }
}
