package org.colsparse.run;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.colsparse.accel.AcceleratorSim;
import org.colsparse.accuracy.CliffRule;
import org.colsparse.cli.AccuracyCommand;
import org.colsparse.sweep.AccuracySweep;
import org.colsparse.accel.LayerResult;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Profiler;
import org.colsparse.denoiser.Workload;
import org.colsparse.denoiser.tiny.TinyWorkload;
import org.colsparse.report.AtomicOutput;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.StepListener;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.systolic.ActivationMask;
import org.colsparse.systolic.CycleModel;
import org.colsparse.systolic.Dataflow;
import org.colsparse.taxonomy.Taxonomy;
import org.colsparse.taxonomy.TaxonomyRule;
import org.colsparse.taxonomy.TaxonomyVerdict;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.Gemm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The whole characterization of {@code colsparse run}, stage by stage and workload by workload.
 * Each stage's result is saved as JSON in the partial output folder as soon as it finishes, so an
 * interrupted run resumes where it stopped; the report is then built only from those JSON results.
 */
public final class Characterization {
    /** Stage results are plain JSON trees: what is saved is exactly what the report reads. */
    static final ObjectMapper MAPPER = org.colsparse.cli.Json.MAPPER;

    private final RunOptions opt;
    private final AtomicOutput out;
    private final boolean resume;
    private final StageListener listener;

    /** Told when a stage starts and how far a long stage has come. */
    public interface StageListener {
        void stage(String stage, String workload, int index, int count);

        void progress(long done, long total);
    }

    public Characterization(RunOptions opt, AtomicOutput out, boolean resume, StageListener listener) {
        this.opt = opt;
        this.out = out;
        this.resume = resume;
        this.listener = listener;
    }

    /** Runs every stage (reusing finished ones on resume) and returns the results tree. */
    public ObjectNode run() {
        checkResumable();
        ObjectNode results = MAPPER.createObjectNode();
        results.set("config", config());
        ArrayNode workloads = results.putArray("workloads");
        int i = 0;
        for (String id : opt.workloads()) {
            Workload w = org.colsparse.denoiser.Denoisers.get(id);
            ObjectNode node = workloads.addObject();
            node.put("id", id);
            node.put("group", w.info().group());
            node.put("modality", w.info().modality());
            node.put("gelu_form", w.info().geluForm());
            node.put("description", w.info().description());
            // tiny models are trained by colsparse's own train command; every other workload ships real pretrained weights
            node.put("weights", w instanceof TinyWorkload ? "tiny model trained by colsparse" : "real third-party pretrained weights");
            listener.stage("profile", id, i, opt.workloads().size());
            JsonNode profile = stage("profile-" + id, () -> profile(w));
            node.set("profile", profile);
            listener.stage("accuracy", id, i, opt.workloads().size());
            node.set("accuracy", stage("accuracy-" + id, () -> accuracy(w)));
            FullPreset full = fullPreset(id);
            if (full != null) {
                listener.stage("estimate", id, i, opt.workloads().size());
                node.set("estimate", stage("estimate-" + id, () -> estimate(full, profile)));
                listener.stage("simulate", id, i, opt.workloads().size());
                node.set("simulate", stage("simulate-" + id, () -> simulate(full, profile)));
            }
            i++;
        }
        return results;
    }

    private void checkResumable() {
        Path f = out.dir().resolve("stages/options.txt");
        try {
            if (resume && Files.exists(f) && !Files.readString(f).equals(opt.fingerprint())) {
                throw new InputException("--resume: " + out.dir() + " was made with different options; rerun them or drop --resume");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write("stages/options.txt", opt.fingerprint());
    }

    private JsonNode stage(String name, Supplier<Object> compute) {
        Path f = out.dir().resolve("stages/" + name + ".json");
        try {
            if (resume && Files.exists(f)) {
                return MAPPER.readTree(f.toFile());
            }
            JsonNode node = MAPPER.valueToTree(compute.get());
            out.write("stages/" + name + ".json", MAPPER.writeValueAsBytes(node));
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ObjectNode config() {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("array", opt.accel().array().rows() + "x" + opt.accel().array().cols());
        c.put("dataflow", opt.accel().dataflow().name().toLowerCase());
        c.put("dram", opt.accel().dramModel() + " " + opt.accel().dramPreset());
        c.put("word_bytes", opt.accel().wordBytes());
        c.put("array_clock_mhz", opt.accel().arrayClockMhz());
        c.put("primary_threshold", opt.primaryThreshold());
        c.set("thresholds", MAPPER.valueToTree(opt.thresholds()));
        c.set("tile_rows", MAPPER.valueToTree(opt.tileRows()));
        c.put("tile_rows_primary", opt.arrayRows());
        c.put("seed", opt.seed());
        c.put("timestep_buckets", opt.buckets());
        c.put("simulated_rows", opt.simRows());
        c.set("layouts", MAPPER.valueToTree(opt.layouts().stream().map(Object::toString).toList()));
        c.put("taxonomy_rule", TaxonomyRule.DEFAULT.toString());
        return c;
    }

    /** Profile stage: real activations of the workload's whole sampling loop. */
    record ProfileResult(String workload, int samples, int steps, long seed, double seconds, List<SiteStats> sites,
                         List<SiteStats> totals, List<TaxonomyVerdict> verdicts, List<TaxonomyVerdict> totalVerdicts,
                         List<BucketResult> timesteps, String samplesPng) {
    }

    /** One timestep bucket, at the primary threshold and the array's tile height only (keeps results.json small). */
    record BucketResult(int bucket, int firstStep, int lastStep, int firstTimestep, int lastTimestep,
                        List<SiteStats> sites, SiteStats total) {
    }

    /** Profile samples unless --samples says otherwise (capped by the workload's own default) — keeps the default run short. */
    public static final int PROFILE_SAMPLES = 4;
    /** Profile sampler steps unless --steps says otherwise (capped by the workload's own default; fewer respace the schedule). */
    public static final int PROFILE_STEPS = 100;

    private ProfileResult profile(Workload w) {
        int samples = opt.samples() != null ? opt.samples() : Math.min(PROFILE_SAMPLES, w.info().defaultSamples());
        int steps = opt.steps() != null ? Math.min(opt.steps(), w.info().trainedSteps()) : Math.min(PROFILE_STEPS, w.info().defaultSteps());
        Torch.configureThreads(opt.threads());
        try (NDManager manager = Torch.manager(); LoadedWorkload model = w.load(manager, null)) {
            StepListener progress = (step, all, t) -> listener.progress(step, all);
            Profiler.Result r = Profiler.run(model, new Profiler.Config(samples, steps, opt.seed(), opt.analysis(), opt.buckets()), progress);
            listener.progress(steps, steps);
            Path dir = out.dir().resolve("samples").resolve(w.info().id());
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path png = model.writePreview(r.output(), dir);
            List<BucketResult> buckets = new ArrayList<>();
            for (Profiler.Bucket b : r.timesteps()) {
                buckets.add(new BucketResult(b.bucket(), b.firstStep(), b.lastStep(), b.firstTimestep(), b.lastTimestep(),
                        primary(b.sites()), primary(b.totals()).get(0)));
            }
            return new ProfileResult(r.workload(), r.samples(), r.steps(), r.seed(), r.seconds(), r.sites(), r.totals(),
                    Taxonomy.classifyAll(r.sites(), TaxonomyRule.DEFAULT), Taxonomy.classifyAll(r.totals(), TaxonomyRule.DEFAULT),
                    buckets, out.dir().relativize(png).toString());
        }
    }

    /**
     * Accuracy stage: the sweep at every threshold against the dense run, with the accuracy command's
     * defaults (at most {@link AccuracyCommand#DEFAULT_SAMPLES} samples and
     * {@link AccuracyCommand#DEFAULT_STEPS} steps unless --samples/--steps say otherwise).
     */
    private AccuracyCommand.Report accuracy(Workload w) {
        int samples = opt.samples() != null ? opt.samples() : Math.min(AccuracyCommand.DEFAULT_SAMPLES, w.info().defaultSamples());
        int steps = opt.steps() != null ? Math.min(opt.steps(), w.info().trainedSteps())
                : Math.min(AccuracyCommand.DEFAULT_STEPS, w.info().defaultSteps());
        AccuracySweep.Config c = new AccuracySweep.Config(samples, steps, opt.seed(), opt.thresholds(), opt.arrayRows(), CliffRule.RELATIVE_L2);
        Torch.configureThreads(opt.threads());
        try (NDManager manager = Torch.manager(); LoadedWorkload model = w.load(manager, null)) {
            long t0 = System.nanoTime();
            AccuracySweep.Result r = AccuracySweep.run(model, c, listener::progress);
            return AccuracyCommand.report(List.of(r), List.of((System.nanoTime() - t0) / 1e9), CliffRule.RELATIVE_L2, org.colsparse.denoiser.Preset.tiny);
        }
    }

    private List<SiteStats> primary(List<SiteStats> stats) {
        return stats.stream().filter(s -> s.threshold() == opt.primaryThreshold() && s.tileRows() == opt.arrayRows()).toList();
    }

    static FullPreset fullPreset(String id) {
        return org.colsparse.workload.Workloads.ids().contains(id) ? FullPresets.of(id) : null;
    }

    /** Measured workload column sparsity at the primary threshold and the array's tile height. */
    private double measuredColumnSparsity(JsonNode profile) {
        for (JsonNode t : profile.get("totals")) {
            if (t.get("threshold").asDouble() == opt.primaryThreshold() && t.get("tile_rows").asInt() == opt.arrayRows()) {
                return t.get("column_sparsity").asDouble();
            }
        }
        throw new IllegalStateException("profile lacks the primary threshold at tile height " + opt.arrayRows());
    }

    /** One GEMM of the full-size estimate. */
    record GemmCycles(String name, long m, long n, long k, long instances, String consumesSite, long denseCycles,
                      long skippedCycles) {
    }

    /**
     * @param consumerReduction cycle reduction of the GEMMs that read GELU outputs (FFN down-projections)
     * @param modelReduction    cycle reduction of the whole denoiser call (all GEMMs; only consumers skip)
     */
    record EstimateResult(String workload, String preset, String dataflow, String array, double columnSparsity,
                          String method, long denseCycles, long skippedCycles, long consumerDenseCycles,
                          long consumerSkippedCycles, double consumerReduction, double modelReduction,
                          List<GemmCycles> gemms) {
    }

    /**
     * Analytic estimate on the full-size shapes. The tiny model's measured column sparsity at the
     * array's tile height stands in for the full model's: every consumer row tile streams
     * {@code (1 - s) * K} columns on average. The os fold cost {@code R + C + k - 2} is linear in
     * the streamed columns, so the mean is exact for os as long as no row tile is wholly zero
     * (those would save their fill/drain too: the estimate is conservative there).
     */
    private EstimateResult estimate(FullPreset full, JsonNode profile) {
        double s = measuredColumnSparsity(profile);
        var array = opt.accel().array();
        Dataflow df = Dataflow.OS;
        long dense = 0;
        long skipped = 0;
        long cDense = 0;
        long cSkipped = 0;
        List<GemmCycles> rows = new ArrayList<>();
        for (Gemm g : full.gemms()) {
            long d = CycleModel.denseCycles(g.m(), g.n(), g.k(), array, df) * g.instances();
            long k = g.consumesGelu() ? Math.max(0, Math.round((1 - s) * g.k())) : g.k();
            long sk = g.consumesGelu() ? (k == 0 ? 0 : CycleModel.denseCycles(g.m(), g.n(), k, array, df) * g.instances()) : d;
            rows.add(new GemmCycles(g.name(), g.m(), g.n(), g.k(), g.instances(), g.consumesSite(), d, sk));
            dense += d;
            skipped += sk;
            if (g.consumesGelu()) {
                cDense += d;
                cSkipped += sk;
            }
        }
        return new EstimateResult(full.workload(), full.config(), "os", array.rows() + "x" + array.cols(), s,
                "analytic (SCALE-Sim-exact dense cycles); consumer GEMMs stream (1 - measured column sparsity) x K columns per row tile",
                dense, skipped, cDense, cSkipped, 1 - (double) cSkipped / cDense, 1 - (double) skipped / dense, rows);
    }

    /**
     * @param layer    the simulated GEMM: the largest GELU consumer of the full-size call, first {@code rows} rows of M
     * @param maskNote how the skipping mask was made
     */
    record SimulateResult(String workload, Gemm layer, String maskNote, double columnSparsity, List<LayerResult> results) {
    }

    /**
     * Cycle-level simulation of the largest GELU-consuming GEMM of the full-size call, on a slice of
     * its rows (steady-state tiles; simulating every GEMM of a full call at command level takes hours).
     * Full-size activations do not exist here, so the mask is synthetic: each (row tile, channel)
     * column is zero with the measured column-sparsity probability, seeded.
     */
    private SimulateResult simulate(FullPreset full, JsonNode profile) {
        double s = measuredColumnSparsity(profile);
        Gemm biggest = null;
        for (Gemm g : full.gemms()) {
            if (g.consumesGelu() && (biggest == null || g.macs() > biggest.macs())) {
                biggest = g;
            }
        }
        if (biggest == null) {
            throw new IllegalStateException(full.workload() + ": full preset has no GELU consumer");
        }
        int r = opt.arrayRows();
        long rows = Math.min(biggest.m(), Math.max(r, (long) opt.simRows() / r * r));
        Gemm slice = new Gemm(biggest.name(), rows, biggest.n(), biggest.k(), 1, biggest.consumesSite());
        ActivationMask mask = syntheticMask((int) rows, (int) biggest.k(), r, s, opt.seed());
        AcceleratorSim sim = new AcceleratorSim(opt.accel());
        List<LayerResult> res = sim.run(List.of(slice), opt.layouts(), Map.of(slice.name(), mask), null);
        return new SimulateResult(full.workload(), slice,
                "synthetic: each (row tile, channel) column zero with probability = measured column sparsity " + String.format("%.4f", s),
                s, res);
    }

    static ActivationMask syntheticMask(int m, int k, int tileRows, double zeroProbability, long seed) {
        double[] v = new double[m * k];
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int t = 0; t * tileRows < m; t++) {
            for (int c = 0; c < k; c++) {
                if (rnd.nextDouble() >= zeroProbability) {
                    for (int row = t * tileRows; row < Math.min(m, (t + 1) * tileRows); row++) {
                        v[row * k + c] = 1.0;
                    }
                }
            }
        }
        return ActivationMask.of(v, m, k, 0.0);
    }
}
