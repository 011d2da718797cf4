package org.colsparse.cli;

import ai.djl.ndarray.NDManager;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Profiler;
import org.colsparse.denoiser.Workload;
import org.colsparse.denoiser.WorkloadInfo;
import org.colsparse.denoiser.Workloads;
import org.colsparse.runtime.Torch;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    @Option(names = "--workload", description = "built-in workload id (see 'colsparse workloads'; default: ${DEFAULT-VALUE})", defaultValue = "ddpm-mnist")
    String workload;

    @Option(names = "--checkpoint", description = "weights to use instead of the shipped ones (.pth/.pt/.ckpt/.safetensors)")
    Path checkpoint;

    @Option(names = "--samples", description = "samples generated in one batch (default: the workload's)")
    Integer samples;

    @Option(names = "--steps", description = "sampler steps; fewer than the trained schedule respaces it (default: the workload's)")
    Integer steps;

    @Option(names = "--threshold", split = ",", description = "near-zero thresholds tau, |a| <= tau (default: 0.01)")
    double[] thresholds = {AnalysisConfig.PRIMARY_THRESHOLD};

    @Option(names = "--tile-rows", split = ",", description = "row-tile heights R (systolic array rows; default: 32)")
    int[] tileRows = {AnalysisConfig.DEFAULT_TILE_ROWS};

    @Option(names = "--buckets", description = "timestep buckets for the per-timestep results (default: ${DEFAULT-VALUE})", defaultValue = "10")
    int buckets;

    @Option(names = "--seed", description = "noise seed; same seed, same output bit for bit (default: ${DEFAULT-VALUE})", defaultValue = "0")
    long seed;

    @Option(names = "--threads", description = "PyTorch threads (default: ${DEFAULT-VALUE}; more is slower on 2-core machines)", defaultValue = "1")
    int threads;

    @Option(names = "--out", description = "folder for results.json and a picture of the samples")
    Path out;

    @Option(names = "--format", description = "table, json or csv (default: ${DEFAULT-VALUE})", defaultValue = "table")
    OutputFormat format;

    /** What JSON output and results.json hold. */
    record Report(String workload, String checkpoint, int samples, int steps, long seed, int threads, double seconds,
                  double[] thresholds, int[] tileRows, List<SiteStats> sites, List<SiteStats> totals,
                  List<TaxonomyVerdict> verdicts, List<Bucket> timesteps, String samplesPng) {
    }

    /** One timestep bucket: the model's timesteps it covers and the same fields as the run. */
    record Bucket(int bucket, int firstStep, int lastStep, int firstTimestep, int lastTimestep,
                  List<SiteStats> sites, List<SiteStats> totals, List<TaxonomyVerdict> verdicts) {
    }

    @Override
    public void run() {
        Workload w = Workloads.get(workload);
        WorkloadInfo info = w.info();
        int n = samples != null ? samples : info.defaultSamples();
        int s = steps != null ? steps : info.defaultSteps();
        if (n < 1) {
            throw new InputException("--samples: must be >= 1, got " + n);
        }
        if (s < 1 || s > info.trainedSteps()) {
            throw new InputException("--steps: must be between 1 and the trained schedule's " + info.trainedSteps() + ", got " + s);
        }
        if (buckets < 1) {
            throw new InputException("--buckets: must be >= 1, got " + buckets);
        }
        if (threads < 1) {
            throw new InputException("--threads: must be >= 1, got " + threads);
        }
        AnalysisConfig analysis;
        try {
            analysis = new AnalysisConfig(thresholds, tileRows);
        } catch (IllegalArgumentException e) {
            throw new InputException("--threshold/--tile-rows: " + e.getMessage());
        }
        if (out != null) {
            try {
                Files.createDirectories(out);
            } catch (IOException e) {
                throw new InputException(out + ": cannot create output folder: " + e.getMessage());
            }
        }
        Torch.configureThreads(threads);
        PrintWriter err = spec.commandLine().getErr();
        Profiler.Result r;
        Path png = null;
        try (NDManager manager = Torch.manager(); LoadedWorkload model = w.load(manager, checkpoint)) {
            int total = s;
            try (Progress progress = Progress.start("profile " + info.id(), total, err)) {
                r = Profiler.run(model, new Profiler.Config(n, s, seed, analysis, buckets),
                        (step, all, t) -> progress.stepTo(step));
                progress.stepTo(total);
            }
            if (out != null) {
                png = model.writePreview(r.output(), out);
            }
        }
        Report report = report(r, png);
        if (out != null) {
            writeAtomically(out.resolve("results.json"), report);
        }
        print(report);
    }

    private Report report(Profiler.Result r, Path png) {
        List<Bucket> buckets = new ArrayList<>();
        for (Profiler.Bucket b : r.timesteps()) {
            buckets.add(new Bucket(b.bucket(), b.firstStep(), b.lastStep(), b.firstTimestep(), b.lastTimestep(), b.sites(),
                    b.totals(), Taxonomy.classifyAll(b.totals(), TaxonomyRule.DEFAULT)));
        }
        List<SiteStats> all = new ArrayList<>(r.sites());
        all.addAll(r.totals());
        return new Report(r.workload(), checkpoint != null ? checkpoint.toString() : Workloads.get(workload).info().checkpoint(),
                r.samples(), r.steps(), r.seed(), threads, r.seconds(), new AnalysisConfig(thresholds, tileRows).thresholds(),
                new AnalysisConfig(thresholds, tileRows).tileRows(), r.sites(), r.totals(),
                Taxonomy.classifyAll(all, TaxonomyRule.DEFAULT), buckets, png == null ? null : png.getFileName().toString());
    }

    private void print(Report report) {
        PrintWriter o = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            Json.print(o, report);
            return;
        }
        Map<String, TaxonomyVerdict> verdicts = new LinkedHashMap<>();
        for (TaxonomyVerdict v : report.verdicts()) {
            verdicts.put(key(v.site(), v.threshold(), v.tileRows()), v);
        }
        Table t = new Table(List.of("scope", "site", "rows", "channels", "threshold", "tile_rows", "element_sparsity_pct",
                "column_sparsity_pct", "gap_pp", "baseline_pct", "excess_pp", "gini", "top10_share", "dead_channels", "verdict"));
        List<SiteStats> run = new ArrayList<>(report.sites());
        run.addAll(report.totals());
        for (SiteStats st : run) {
            TaxonomyVerdict v = verdicts.get(key(st.site(), st.threshold(), st.tileRows()));
            t.add(row("run", st, v));
        }
        for (Bucket b : report.timesteps()) {
            Map<String, TaxonomyVerdict> bv = new LinkedHashMap<>();
            for (TaxonomyVerdict v : b.verdicts()) {
                bv.put(key(v.site(), v.threshold(), v.tileRows()), v);
            }
            String scope = "t" + b.firstTimestep() + "-" + b.lastTimestep();
            List<SiteStats> rows = format == OutputFormat.csv ? concat(b.sites(), b.totals()) : b.totals();
            for (SiteStats st : rows) {
                t.add(row(scope, st, bv.get(key(st.site(), st.threshold(), st.tileRows()))));
            }
        }
        if (format == OutputFormat.table) {
            o.printf(Locale.ROOT, "%s: %d samples x %d steps, seed %d, %.1f s sampling with the tap%n", report.workload(),
                    report.samples(), report.steps(), report.seed(), report.seconds());
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

    private static List<Object> row(String scope, SiteStats s, TaxonomyVerdict v) {
        return List.of(scope, s.site(), s.rows(), s.cols(), s.threshold(), s.tileRows(), pct(s.elementSparsity()),
                pct(s.columnSparsity()), fmt(s.gapPp()), pct(s.independenceBaseline()), fmt(s.excessPp()), fmt(s.gini()),
                fmt(s.top10Share()), s.deadChannels(), v == null ? "" : v.verdict().label());
    }

    private static String key(String site, double threshold, int tileRows) {
        return site + "/" + threshold + "/" + tileRows;
    }

    private static String pct(double fraction) {
        return fmt(fraction * 100);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static void writeAtomically(Path file, Object value) {
        try {
            // a sibling temp file, renamed into place: readers never see a half-written results.json
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Json.MAPPER.writeValue(tmp.toFile(), value);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
