package org.colsparse.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Profiler;
import org.colsparse.denoiser.Workload;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.pipeline.Fingerprint;
import org.colsparse.pipeline.ModelSource;
import org.colsparse.pipeline.ProfileStage;
import org.colsparse.report.AtomicOutput;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.taxonomy.Taxonomy;
import org.colsparse.taxonomy.TaxonomyRule;
import org.colsparse.taxonomy.TaxonomyVerdict;
import org.colsparse.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs a denoiser's full sampling loop with a tap on every GELU site and reports its sparsity. */
@Command(name = "profile", mixinStandardHelpOptions = true,
        description = "Sample with a built-in workload, streaming every GELU site's output into the sparsity analyzer: "
                + "per site, per timestep bucket and per workload, with taxonomy verdicts.")
public final class ProfileCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--workload", paramLabel = "ID", description = "the workload to profile, one per run ('run' takes several; see 'colsparse workloads'; default: ${DEFAULT-VALUE})", defaultValue = "ddpm-mnist")
    String workload;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "weights to use instead of the shipped ones (.pth/.pt/.ckpt/.safetensors)")
    Path checkpoint;

    @CommandLine.Mixin
    PresetOptions presetOptions = new PresetOptions();

    @CommandLine.Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--samples", paramLabel = "N", description = "samples, each its own sampling loop, one sample per denoiser call (default: the workload's)")
    Integer samples;

    @Option(names = "--steps", paramLabel = "N", description = "sampler steps; fewer than the trained schedule respaces it (default: the workload's)")
    Integer steps;

    @Option(names = "--threshold", split = ",", paramLabel = "TAU", description = "near-zero thresholds tau, |a| <= tau, repeatable or comma-separated (default: 0.01)")
    double[] thresholds = {AnalysisConfig.PRIMARY_THRESHOLD};

    @Option(names = "--sweep", description = "add the standard threshold sweep 0.001 0.005 0.01 0.05 0.1")
    boolean sweep;

    @Option(names = "--tile-rows", split = ",", paramLabel = "R", description = "row-tile heights R (the systolic array's rows), repeatable or comma-separated (default: 128, the built-in array's rows, as in run)")
    int[] tileRows = {OptionRules.defaultTileRows()};

    @CommandLine.Mixin
    TaxonomyOptions taxonomy = new TaxonomyOptions();

    @Option(names = "--buckets", paramLabel = "N", description = "timestep buckets for the per-timestep results (default: ${DEFAULT-VALUE})", defaultValue = "10")
    int buckets;

    @Option(names = "--seed", paramLabel = "SEED", description = "noise seed; same seed, same output bit for bit (default: ${DEFAULT-VALUE})", defaultValue = "0")
    long seed;

    @Option(names = "--threads", paramLabel = "N", description = "PyTorch threads, or ONNX Runtime intra-op threads with --model (default: ${DEFAULT-VALUE}; more is slower on 2-core machines)", defaultValue = "1")
    int threads;

    @Option(names = "--out", paramLabel = "DIR", description = "folder for results.json, a picture of the samples and masks.npz (the recorded masks, docs/masks.md)")
    Path out;

    @Option(names = "--mask-calls", paramLabel = "N", description = "with --out: denoiser calls of the first sample whose masks and GEMMs are recorded into masks.npz (default: ${DEFAULT-VALUE})", defaultValue = "4")
    int maskCalls;

    @Option(names = "--mask-threshold", paramLabel = "TAU", description = "with --out: tau of the recorded masks (default: ${DEFAULT-VALUE})", defaultValue = "0.01")
    double maskThreshold;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table, json or csv (default: ${DEFAULT-VALUE})", defaultValue = "table")
    OutputFormat format;

    @CommandLine.Mixin
    ShardOptions shards = new ShardOptions();

    private TaxonomyRule rule;
    /** The ONNX workload's files, null for a built-in one. */
    private org.colsparse.onnx.OnnxWorkload.Files onnx;

    /**
     * What JSON output and results.json hold: {@code sites}, {@code totals} and {@code taxonomy} as
     * {@code analyze} writes them, plus the run's settings and the per-timestep buckets.
     */
    record Report(String workload, String checkpoint, int samples, int steps, long seed, int threads, double seconds,
                  double[] thresholds, int[] tileRows, List<SiteStats> sites, List<SiteStats> totals, List<SiteStats> otherTotals,
                  List<TaxonomyVerdict> taxonomy, List<Bucket> timesteps, String samplesPng, String masks) {
    }

    /** One timestep bucket: the model's timesteps it covers and the same fields as the run. */
    record Bucket(int bucket, int firstStep, int lastStep, int firstTimestep, int lastTimestep,
                  List<SiteStats> sites, List<SiteStats> totals, List<TaxonomyVerdict> taxonomy) {
    }

    /** analyze's JSON names a site entry's site "name", first; profile writes the same objects. */
    @JsonPropertyOrder({"name"})
    abstract static class SiteStatsNames {
        @JsonProperty("name")
        abstract String site();

        @JsonIgnore
        abstract double excessPp();
    }

    private static final ObjectMapper MAPPER = Json.MAPPER.copy().addMixIn(SiteStats.class, SiteStatsNames.class);

    @Override
    public void run() {
        onnx = modelOptions.files(spec);
        Workload w = onnx != null ? ModelOptions.open(onnx, threads) : presetOptions.resolve(workload, checkpoint);
        DenoiserInfo info = w.info();
        int n = samples != null ? samples : info.defaultSamples();
        int s = steps != null ? steps : info.defaultSteps();
        OptionRules.samples(samples);
        OptionRules.steps(s, info);
        OptionRules.positive("--buckets", buckets);
        OptionRules.positive("--threads", threads);
        OptionRules.thresholds(thresholds);
        OptionRules.tileRows(tileRows);
        if (maskCalls < 0) {
            throw new InputException("--mask-calls: must be >= 0, got " + maskCalls);
        }
        if (!(maskThreshold >= 0) || Double.isInfinite(maskThreshold)) {
            throw new InputException("--mask-threshold: must be a finite value >= 0, got " + maskThreshold);
        }
        AnalysisConfig analysis;
        try {
            double[] t = thresholds;
            if (sweep) {
                t = java.util.stream.DoubleStream.concat(java.util.Arrays.stream(t), java.util.Arrays.stream(AnalysisConfig.DEFAULT_SWEEP)).toArray();
            }
            analysis = new AnalysisConfig(t, tileRows);
        } catch (IllegalArgumentException e) {
            throw new InputException("--threshold/--tile-rows: " + e.getMessage());
        }
        rule = taxonomy.rule();
        shards.checkMerged(fingerprint(n, s, analysis));
        shards.requireOut(out);
        List<Path> inputs = presetOptions.inputFiles(checkpoint);
        inputs.addAll(ModelOptions.inputs(onnx));
        try (AtomicOutput folder = out != null && shards.shard() == null
                ? AtomicOutput.open(out, "profile", false, inputs) : null) {
            profile(w, n, s, analysis, folder);
        }
    }

    private void profile(Workload w, int n, int s, AnalysisConfig analysis, AtomicOutput folder) {
        DenoiserInfo info = w.info();
        PrintWriter err = spec.commandLine().getErr();
        if (folder != null && folder.notice() != null) {
            err.println(folder.notice());
        }
        Profiler.Result r;
        Path png = null;
        ModelSource models = new ModelSource(w, checkpoint, presetOptions.conditions, threads);
        try (NDManager manager = models.manager(); LoadedWorkload model = models.load(manager)) {
            long total = (long) shards.source().samples(n) * s;
            try (Progress progress = Progress.start("profile " + info.id(), total, err)) {
                r = shards.source().profile(model, new Profiler.Config(n, s, seed, analysis, buckets, maskThreshold, out == null ? 0 : maskCalls),
                        (step, all, t) -> progress.stepTo(step));
                progress.stepTo(total);
            }
            if (shards.writeShard(spec, out, fingerprint(n, s, analysis))) {
                return;
            }
            if (folder != null) {
                png = ProfileStage.writePicture(model, r, folder, folder.dir());
                if (!r.calls().isEmpty()) {
                    ProfileStage.writeMasks(model, r, folder, folder.dir().resolve("masks.npz"));
                }
            }
        }
        Report report = report(r, png, analysis, info);
        if (folder != null) {
            try {
                folder.write("results.json", MAPPER.writeValueAsBytes(report));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            folder.commit();
        }
        print(report);
    }

    /** The options that decide the numbers, one per line: the shards of one run must agree on every one. */
    private Fingerprint fingerprint(int n, int s, AnalysisConfig analysis) {
        Map<String, Object> f = Fingerprint.entries();
        f.put("workload", onnx != null ? "(--model)" : workload);
        f.put("preset", presetOptions.preset);
        f.put("checkpoint", checkpoint);
        f.put("conditions", new java.util.TreeMap<>(presetOptions.conditions));
        f.put("samples", n);
        f.put("steps", s);
        f.put("seed", seed);
        f.put("thresholds", java.util.Arrays.toString(analysis.thresholds()));
        f.put("tile_rows", java.util.Arrays.toString(analysis.tileRows()));
        f.put("buckets", buckets);
        f.put("mask_calls", maskCalls);
        f.put("mask_threshold", maskThreshold);
        f.put("taxonomy", rule);
        Fingerprint.putModel(f, onnx);
        return Fingerprint.of(f);
    }

    private Report report(Profiler.Result r, Path png, AnalysisConfig analysis, DenoiserInfo info) {
        List<Bucket> buckets = new ArrayList<>();
        for (Profiler.Bucket b : r.timesteps()) {
            buckets.add(new Bucket(b.bucket(), b.firstStep(), b.lastStep(), b.firstTimestep(), b.lastTimestep(), b.sites(),
                    b.totals(), Taxonomy.classifyAll(b.totals(), rule)));
        }
        List<SiteStats> all = new ArrayList<>(r.sites());
        all.addAll(r.totals());
        all.addAll(r.otherTotals());
        return new Report(r.workload(), checkpoint != null ? checkpoint.toString() : info.checkpoint(),
                r.samples(), r.steps(), r.seed(), threads, r.seconds(), analysis.thresholds(), analysis.tileRows(), r.sites(),
                r.totals(), r.otherTotals(), Taxonomy.classifyAll(all, rule), buckets, png == null ? null : png.getFileName().toString(),
                r.calls().isEmpty() ? null : "masks.npz");
    }

    private void print(Report report) {
        PrintWriter o = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            try {
                o.println(MAPPER.writeValueAsString(report));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            o.flush();
            return;
        }
        Map<String, TaxonomyVerdict> verdicts = new LinkedHashMap<>();
        for (TaxonomyVerdict v : report.taxonomy()) {
            verdicts.put(key(v.site(), v.threshold(), v.tileRows()), v);
        }
        Table t = new Table(List.of("scope", "site", "rows", "cols", "threshold", "tile_rows", "elements", "near_zero_elements",
                "element_sparsity", "columns", "zero_columns", "column_sparsity", "gap_pp", "independence_baseline",
                "excess_over_baseline", "mean_tile_height", "gini", "top10_share", "dead_channels",
                "dead_channel_fraction", "calls", "verdict"));
        List<SiteStats> run = new ArrayList<>(report.sites());
        run.addAll(report.totals());
        run.addAll(report.otherTotals());
        for (int i = 0; i < run.size(); i++) {
            SiteStats st = run.get(i);
            TaxonomyVerdict v = verdicts.get(key(st.site(), st.threshold(), st.tileRows()));
            t.add(row("run", st, v, format == OutputFormat.csv, i >= report.sites().size()));
        }
        for (Bucket b : report.timesteps()) {
            Map<String, TaxonomyVerdict> bv = new LinkedHashMap<>();
            for (TaxonomyVerdict v : b.taxonomy()) {
                bv.put(key(v.site(), v.threshold(), v.tileRows()), v);
            }
            String scope = "t" + b.firstTimestep() + "-" + b.lastTimestep();
            List<SiteStats> rows = format == OutputFormat.csv ? concat(b.sites(), b.totals()) : b.totals();
            int sites = format == OutputFormat.csv ? b.sites().size() : 0;
            for (int i = 0; i < rows.size(); i++) {
                SiteStats st = rows.get(i);
                t.add(row(scope, st, bv.get(key(st.site(), st.threshold(), st.tileRows())), format == OutputFormat.csv, i >= sites));
            }
        }
        if (format == OutputFormat.table) {
            o.printf(Locale.ROOT, "%s: %d samples x %d steps (one sample per denoiser call), seed %d, %.1f s sampling with the tap%n",
                    report.workload(), report.samples(), report.steps(), report.seed(), report.seconds());
            o.println("totals: '" + report.workload() + "' is the headline (" + org.colsparse.workload.SiteRole.rule() + "); "
                    + "a total sums elements and columns over its sites, whose shapes differ, so it has no rows x cols");
        }
        t.print(o, format);
        if (format == OutputFormat.table) {
            for (SiteStats st : report.totals()) {
                TaxonomyVerdict v = verdicts.get(key(st.site(), st.threshold(), st.tileRows()));
                o.println("verdict " + st.site() + " (tau " + st.threshold() + ", R " + st.tileRows() + "): " + v.evidence());
            }
            if (report.samplesPng() != null) {
                o.println("samples: " + out.resolve(report.samplesPng()));
            }
            o.flush();
        }
    }

    private static List<SiteStats> concat(List<SiteStats> a, List<SiteStats> b) {
        List<SiteStats> c = new ArrayList<>(a);
        c.addAll(b);
        return c;
    }

    /** A {@code total}'s rows and cols are left empty: summed over sites of different widths they would not multiply to its elements. */
    private static List<Object> row(String scope, SiteStats s, TaxonomyVerdict v, boolean csv, boolean total) {
        return List.of(scope, s.site(), total ? "" : s.rows(), total ? "" : s.cols(), num(s.threshold(), csv, 6), s.tileRows(), s.elements(),
                s.nearZeroElements(), num(s.elementSparsity(), csv, 4), s.columns(), s.zeroColumns(),
                num(s.columnSparsity(), csv, 4), num(s.gapPp(), csv, 2), num(s.independenceBaseline(), csv, 4),
                num(s.excessOverBaseline(), csv, 4), num(s.meanTileHeight(), csv, 2), num(s.gini(), csv, 4),
                num(s.top10Share(), csv, 4), s.deadChannels(), num(s.deadChannelFraction(), csv, 4), s.calls(),
                v == null ? "" : v.verdict().label());
    }

    private static String key(String site, double threshold, int tileRows) {
        return site + "/" + threshold + "/" + tileRows;
    }

    /** As analyze prints numbers: CSV keeps every digit, the table rounds for reading. */
    private static String num(double v, boolean full, int decimals) {
        if (full) {
            return Double.toString(v);
        }
        String s = String.format(Locale.ROOT, "%." + decimals + "f", v);
        if (s.indexOf('.') >= 0 && decimals == 6) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
