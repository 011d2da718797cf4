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
import org.colsparse.systolic.GemmEstimate;
import org.colsparse.taxonomy.Taxonomy;
import org.colsparse.taxonomy.TaxonomyRule;
import org.colsparse.taxonomy.TaxonomyVerdict;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.Gemm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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
    private final ShardState merged;

    /** Told when a stage starts and how far a long stage has come. */
    public interface StageListener {
        void stage(String stage, String workload, int index, int count);

        void progress(long done, long total);

        /** A finished stage of an interrupted run was taken as it was saved. */
        default void reused(String stage) {
        }

        /** --resume found no finished stage in {@code partial}: every stage runs. */
        default void nothingToResume(Path partial) {
        }
    }

    public Characterization(RunOptions opt, AtomicOutput out, boolean resume, StageListener listener) {
        this(opt, out, resume, listener, null);
    }

    /** @param merged the merged shards of a sharded run ({@code colsparse merge}), used instead of sampling; null to sample */
    public Characterization(RunOptions opt, AtomicOutput out, boolean resume, StageListener listener, ShardState merged) {
        this.opt = opt;
        this.out = out;
        this.resume = resume;
        this.listener = listener;
        this.merged = merged;
    }

    /**
     * One shard of the run ({@code run --shard I/N}): this shard's samples of the profile and accuracy
     * stages of every workload, as raw state; {@code colsparse merge} runs every stage on the merged
     * state. Each stage loads its model afresh, as the unsharded run does.
     */
    public ShardState runShard(Shard shard) {
        ShardState state = new ShardState(null);
        int i = 0;
        for (String id : opt.workloads()) {
            Workload w = org.colsparse.catalog.Catalog.runtime(id, opt.preset());
            Torch.configureThreads(opt.threads());
            listener.stage("profile", id, i, opt.workloads().size());
            Profiler.Config pc = profileConfig(w);
            try (NDManager manager = Torch.manager(); LoadedWorkload model = load(w, manager)) {
                state.addProfile(id, Profiler.runPart(model, pc, shard.samples(pc.samples()), (step, all, t) -> listener.progress(step, all)));
            }
            listener.stage("accuracy", id, i, opt.workloads().size());
            AccuracySweep.Config ac = accuracyConfig(w);
            try (NDManager manager = Torch.manager(); LoadedWorkload model = load(w, manager)) {
                state.addAccuracy(id, AccuracySweep.runPart(model, ac, shard.samples(ac.samples()), listener::progress));
            }
            i++;
        }
        return state;
    }

    /** Runs every stage (reusing finished ones on resume) and returns the results tree. */
    public ObjectNode run() {
        checkResumable();
        ObjectNode results = MAPPER.createObjectNode();
        results.set("config", config());
        ArrayNode workloads = results.putArray("workloads");
        int i = 0;
        for (String id : opt.workloads()) {
            Workload w = org.colsparse.catalog.Catalog.runtime(id, opt.preset());
            ObjectNode node = workloads.addObject();
            node.put("id", id);
            node.put("group", w.info().group().cliName());
            node.put("modality", w.info().modality().cliName());
            node.put("gelu_form", w.info().geluForm().cliName());
            node.put("description", w.info().description());
            node.put("preset", opt.preset().name());
            // tiny models are trained by colsparse's own train command; ddpm-mnist (and vit-mnist) ship real pretrained weights
            node.put("weights", opt.checkpoint() != null ? "user checkpoint " + opt.checkpoint().getFileName()
                    : w instanceof TinyWorkload ? "tiny model trained by colsparse" : "real third-party pretrained weights");
            ArrayNode roles = node.putArray("site_roles");
            for (org.colsparse.denoiser.SiteSpec site : w.info().sites()) {
                roles.addObject().put("site", site.name()).put("role", site.role().cliName())
                        .put("headline", site.role().headline());
            }
            listener.stage("profile", id, i, opt.workloads().size());
            // a finished profile stage is only reusable together with the masks file it wrote
            JsonNode profile = stage("profile-" + id, () -> profile(w), p -> Files.isRegularFile(out.dir().resolve(p.path("masks_file").asText())));
            node.set("profile", profile);
            listener.stage("accuracy", id, i, opt.workloads().size());
            // and a finished accuracy stage only together with the sample pictures it wrote
            node.set("accuracy", stage("accuracy-" + id, () -> accuracy(w), a -> {
                for (JsonNode p : a.path("sample_pictures")) {
                    if (!Files.isRegularFile(out.dir().resolve(p.path("file").asText()))) {
                        return false;
                    }
                }
                return true;
            }));
            RecordedMasks masks = RecordedMasks.read(out.dir().resolve(profile.path("masks_file").asText()));
            if (!masks.calls().isEmpty() && !masks.gemms().isEmpty()) {
                // estimate and simulate replay the same calls: each call's operand masks are built once
                Map<String, Map<String, ActivationMask>> built = new java.util.HashMap<>();
                Function<RecordedMasks.Call, Map<String, ActivationMask>> operands =
                        call -> built.computeIfAbsent(call.name(), k -> masks.operands(call));
                Map<String, Map<String, ActivationMask>> builtOther = new java.util.HashMap<>();
                Function<RecordedMasks.Call, Map<String, ActivationMask>> others =
                        call -> builtOther.computeIfAbsent(call.name(), k -> masks.otherOperands(call));
                listener.stage("estimate", id, i, opt.workloads().size());
                node.set("estimate", stage("estimate-" + id, () -> estimate(id, masks, operands, others, profile)));
                listener.stage("simulate", id, i, opt.workloads().size());
                node.set("simulate", stage("simulate-" + id, () -> simulate(masks, operands, others)));
            }
            i++;
        }
        return results;
    }

    private void checkResumable() {
        Path f = out.dir().resolve("stages/options.txt");
        try {
            if (resume && !hasFinishedStages(out.dir())) {
                listener.nothingToResume(out.dir());
            }
            if (resume && Files.exists(f)) {
                List<String> before = List.of(Files.readString(f).split("\n"));
                List<String> now = List.of(opt.fingerprint().split("\n"));
                if (!before.equals(now)) {
                    List<String> differ = new ArrayList<>();
                    for (String line : now) {
                        if (!before.contains(line)) {
                            String key = line.substring(0, Math.max(0, line.indexOf('=')));
                            String old = before.stream().filter(b -> b.startsWith(key + "=")).findFirst().orElse(key + "=(absent)");
                            differ.add("--" + key.replace('_', '-') + " was " + old.substring(key.length() + 1) + ", now " + line.substring(key.length() + 1));
                        }
                    }
                    throw new InputException("--resume: " + out.dir() + " was made with other options (" + String.join("; ", differ)
                            + "); rerun with those options or drop --resume");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write("stages/options.txt", opt.fingerprint());
    }

    /** Whether a partial folder holds a finished stage ({@code stages/<stage>.json}) that --resume can reuse. */
    static boolean hasFinishedStages(Path partial) {
        try (java.util.stream.Stream<Path> list = Files.list(partial.resolve("stages"))) {
            return list.anyMatch(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p));
        } catch (IOException e) {
            return false;
        }
    }

    private JsonNode stage(String name, Supplier<Object> compute) {
        return stage(name, compute, saved -> true);
    }

    private JsonNode stage(String name, Supplier<Object> compute, java.util.function.Predicate<JsonNode> reusable) {
        Path f = out.dir().resolve("stages/" + name + ".json");
        try {
            if (resume && Files.exists(f)) {
                JsonNode saved = MAPPER.readTree(f.toFile());
                if (reusable.test(saved)) {
                    listener.reused(name);
                    return saved;
                }
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
        c.put("preset", opt.preset().name());
        c.put("mask_calls", opt.maskCalls());
        c.put("simulated_calls", opt.simCalls());
        c.put("calls", "one sample per denoiser call (its classifier-free-guidance pair together); sample i from seed + i");
        c.set("layouts", MAPPER.valueToTree(opt.layouts().stream().map(org.colsparse.layout.LayoutKind::cliName).toList()));
        c.put("taxonomy_rule", opt.taxonomy().describe());
        c.put("site_rule", org.colsparse.workload.SiteRole.rule());
        return c;
    }

    /**
     * Profile stage: real activations of the workload's whole sampling loop.
     *
     * @param totals      headline totals (sites that feed skippable GEMMs)
     * @param otherTotals the remaining sites' totals, reported beside the headline
     * @param masksFile   the recorded masks and GEMMs, relative to the output folder
     */
    record ProfileResult(String workload, int samples, int steps, long seed, double seconds, List<SiteStats> sites,
                         List<SiteStats> totals, List<SiteStats> otherTotals, List<TaxonomyVerdict> verdicts,
                         List<TaxonomyVerdict> totalVerdicts, List<BucketResult> timesteps, String samplesPng, String masksFile,
                         List<Integer> maskSteps) {
    }

    /** One timestep bucket, at the primary threshold and the array's tile height only (keeps results.json small). */
    record BucketResult(int bucket, int firstStep, int lastStep, int firstTimestep, int lastTimestep,
                        List<SiteStats> sites, SiteStats total) {
    }

    /** Profile samples unless --samples says otherwise (capped by the workload's own default) — keeps the default run short. */
    public static final int PROFILE_SAMPLES = 4;
    /** Profile sampler steps unless --steps says otherwise (capped by the workload's own default; fewer respace the schedule). */
    public static final int PROFILE_STEPS = 100;

    private LoadedWorkload load(Workload w, NDManager manager) {
        return w.load(manager, opt.checkpoint(), opt.conditions());
    }

    private Profiler.Config profileConfig(Workload w) {
        int samples = opt.samples() != null ? opt.samples() : Math.min(PROFILE_SAMPLES, w.info().defaultSamples());
        int steps = opt.steps() != null ? opt.steps() : Math.min(PROFILE_STEPS, w.info().defaultSteps());
        return new Profiler.Config(samples, steps, opt.seed(), opt.analysis(), opt.buckets(), opt.primaryThreshold(), opt.maskCalls());
    }

    private ProfileResult profile(Workload w) {
        Profiler.Config config = profileConfig(w);
        int samples = config.samples();
        int steps = config.steps();
        Torch.configureThreads(opt.threads());
        try (NDManager manager = Torch.manager(); LoadedWorkload model = load(w, manager)) {
            StepListener progress = (step, all, t) -> listener.progress(step, all);
            Profiler.Result r = merged != null ? Profiler.result(model, config, merged.profile(w.info().id()))
                    : Profiler.run(model, config, progress);
            listener.progress(samples * (long) steps, samples * (long) steps);
            String id = w.info().id();
            Path dir = out.dir().resolve("samples").resolve(id);
            try {
                Files.createDirectories(dir);
                Files.createDirectories(out.dir().resolve("masks"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path png = out.writing(dir.resolve("samples.png"), () -> model.writePreview(r.output(), dir));
            Path masks = out.dir().resolve("masks").resolve(id + ".npz");
            out.writing(masks, () -> {
                RecordedMasks.of(r, model.sites()).write(masks);
                return masks;
            });
            List<BucketResult> buckets = new ArrayList<>();
            for (Profiler.Bucket b : r.timesteps()) {
                buckets.add(new BucketResult(b.bucket(), b.firstStep(), b.lastStep(), b.firstTimestep(), b.lastTimestep(),
                        primary(b.sites()), primary(b.totals()).get(0)));
            }
            return new ProfileResult(r.workload(), r.samples(), r.steps(), r.seed(), r.seconds(), r.sites(), r.totals(), r.otherTotals(),
                    Taxonomy.classifyAll(r.sites(), opt.taxonomy()), Taxonomy.classifyAll(r.totals(), opt.taxonomy()),
                    buckets, out.dir().relativize(png).toString(), out.dir().relativize(masks).toString(), config.maskSteps());
        }
    }

    /**
     * Accuracy stage: the sweep at every threshold against the dense run, with the accuracy command's
     * defaults (at most {@link AccuracyCommand#DEFAULT_SAMPLES} samples and
     * {@link AccuracyCommand#DEFAULT_STEPS} steps unless --samples/--steps say otherwise).
     */
    private AccuracySweep.Config accuracyConfig(Workload w) {
        int samples = opt.samples() != null ? opt.samples() : Math.min(AccuracyCommand.DEFAULT_SAMPLES, w.info().defaultSamples());
        int steps = opt.steps() != null ? opt.steps() : Math.min(AccuracyCommand.DEFAULT_STEPS, w.info().defaultSteps());
        return new AccuracySweep.Config(samples, steps, opt.seed(), opt.thresholds(), opt.arrayRows(), CliffRule.RELATIVE_L2);
    }

    private ObjectNode accuracy(Workload w) {
        AccuracySweep.Config c = accuracyConfig(w);
        Torch.configureThreads(opt.threads());
        try (NDManager manager = Torch.manager(); LoadedWorkload model = load(w, manager)) {
            long t0 = System.nanoTime();
            AccuracySweep.Result r = merged != null ? AccuracySweep.result(model, c, merged.accuracy(w.info().id()))
                    : AccuracySweep.run(model, c, listener::progress);
            double seconds = (System.nanoTime() - t0) / 1e9;
            ObjectNode node = MAPPER.valueToTree(AccuracyCommand.report(List.of(r), List.of(seconds), CliffRule.RELATIVE_L2, opt.preset()));
            ArrayNode pictures = node.putArray("sample_pictures");
            Path previews = out.dir().resolve("samples").resolve("accuracy");
            out.writing(previews, () -> AccuracyCommand.writePreviews(model, r, previews)).forEach((label, png) ->
                    pictures.addObject().put("label", label).put("file", out.dir().relativize(png).toString()));
            return node;
        }
    }

    private List<SiteStats> primary(List<SiteStats> stats) {
        return stats.stream().filter(s -> s.threshold() == opt.primaryThreshold() && s.tileRows() == opt.arrayRows()).toList();
    }

    /**
     * One GEMM of the profiled call: dense cycles and cycles with skipping, each dataflow, mean over
     * the recorded calls. A consumer of a site outside the headline ({@code consumesRole} time-mlp)
     * runs dense here, as in the totals; what it would save is in {@link DataflowCycles}' other_consumer fields.
     */
    record GemmCycles(String name, long m, long n, long k, long instances, String consumesSite, String consumesRole, long denseCyclesOs,
                      double cyclesWithSkippingOs, long denseCyclesWs, double cyclesWithSkippingWs, long denseCyclesIs,
                      double cyclesWithSkippingIs) {
    }

    /** A GEMM's {@code consumes_role} as results.json and estimate.csv write it: "" when it reads no GELU site. */
    private static String consumesRole(RecordedMasks masks, Gemm g) {
        org.colsparse.workload.SiteRole role = masks.consumedRole(g);
        return role == null ? "" : role.cliName();
    }

    /**
     * One dataflow's totals over the recorded calls.
     *
     * @param consumerReduction      cycle reduction of the headline consumers: the GEMMs that read headline GELU
     *                               outputs (FFN down-projections, next convolutions)
     * @param modelReduction         cycle reduction of the whole denoiser call (all GEMMs; only the headline consumers skip)
     * @param otherConsumerReduction beside the headline: what the consumers of sites outside it (time-mlp) would
     *                               save of their own cycles if they skipped too; null when the call has none
     */
    record DataflowCycles(String dataflow, String skipUnit, long denseCycles, long cyclesWithSkipping, long consumerDenseCycles,
                          long consumerCyclesWithSkipping, double consumerReduction, double modelReduction,
                          long otherConsumerDenseCycles, long otherConsumerCyclesWithSkipping, Double otherConsumerReduction) {
    }

    /** A full-size consumer GEMM in the projection, with the tiny site whose measured column sparsity it borrows. */
    record ProjectedGemm(String name, long m, long n, long k, long instances, String fullSite, String tinySite,
                         double columnSparsity, long denseCycles, long projectedCycles) {
    }

    record Projection(String label, String preset, double consumerReduction, double modelReduction, List<ProjectedGemm> gemms) {
    }

    /**
     * @param consumerReduction the configured dataflow's consumer reduction (the summary's number)
     * @param projection        the full-size projection, labelled; null when the profiled model is itself full size
     */
    record EstimateResult(String workload, String method, String array, String dataflow, int calls, List<Integer> callSteps,
                          double consumerReduction, double modelReduction, List<DataflowCycles> dataflows,
                          List<GemmCycles> gemms, Projection projection) {
    }

    /**
     * Analytic cycles (SCALE-Sim-exact dense counts) of every GEMM of the profiled model's own denoiser
     * call, each headline consumer skipping with its site's real recorded mask, exactly per tile, for os, ws and
     * is; summed over the recorded calls.
     */
    private EstimateResult estimate(String id, RecordedMasks masks, Function<RecordedMasks.Call, Map<String, ActivationMask>> operands,
                                    Function<RecordedMasks.Call, Map<String, ActivationMask>> others, JsonNode profile) {
        var array = opt.accel().array();
        Dataflow[] flows = {Dataflow.OS, Dataflow.WS, Dataflow.IS};
        long[] dense = new long[3];
        long[] skip = new long[3];
        long[] cDense = new long[3];
        long[] cSkip = new long[3];
        long[] oDense = new long[3];
        long[] oSkip = new long[3];
        int n = masks.calls().size();
        List<GemmCycles> rows = new ArrayList<>();
        for (org.colsparse.runtime.GemmRecorder.Op op : masks.gemms()) {
            Gemm g = op.gemm();
            long[] d = new long[3];
            double[] sk = new double[3];
            for (RecordedMasks.Call call : masks.calls()) {
                ActivationMask mask = operands.apply(call).get(g.name());
                ActivationMask beside = others.apply(call).get(g.name());
                for (int f = 0; f < 3; f++) {
                    GemmEstimate e = mask == null ? GemmEstimate.dense(g, array, flows[f]) : GemmEstimate.withMask(g, array, flows[f], mask);
                    if (beside != null) {
                        oDense[f] += e.denseCycles();
                        oSkip[f] += GemmEstimate.withMask(g, array, flows[f], beside).effectiveCycles();
                    }
                    d[f] = e.denseCycles();
                    sk[f] += e.effectiveCycles();
                    dense[f] += e.denseCycles();
                    skip[f] += e.effectiveCycles();
                    if (mask != null) {
                        cDense[f] += e.denseCycles();
                        cSkip[f] += e.effectiveCycles();
                    }
                }
            }
            rows.add(new GemmCycles(g.name(), g.m(), g.n(), g.k(), g.instances(), g.consumesSite(), consumesRole(masks, g), d[0], sk[0] / n, d[1], sk[1] / n,
                    d[2], sk[2] / n));
        }
        List<DataflowCycles> flowsOut = new ArrayList<>();
        int configured = 0;
        for (int f = 0; f < 3; f++) {
            flowsOut.add(new DataflowCycles(flows[f].name().toLowerCase(), CycleModel.skipUnit(flows[f], array), dense[f], skip[f],
                    cDense[f], cSkip[f], cDense[f] == 0 ? 0 : 1 - (double) cSkip[f] / cDense[f], 1 - (double) skip[f] / dense[f],
                    oDense[f], oSkip[f], oDense[f] == 0 ? null : 1 - (double) oSkip[f] / oDense[f]));
            if (flows[f] == opt.accel().dataflow()) {
                configured = f;
            }
        }
        DataflowCycles main = flowsOut.get(configured);
        List<Integer> steps = masks.calls().stream().map(RecordedMasks.Call::step).toList();
        Projection projection = opt.preset() == org.colsparse.denoiser.Preset.tiny ? projection(id, profile) : null;
        return new EstimateResult(id, "analytic (SCALE-Sim-exact dense cycles) on the profiled model's own GEMMs; each headline consumer "
                + "skips with its site's real recorded mask, exactly per tile; consumers of sites outside the headline run dense "
                + "(their skipping is reported beside, other_consumer_*); summed over " + n + " recorded calls",
                array.rows() + "x" + array.cols(), main.dataflow(), n, steps, main.consumerReduction(), main.modelReduction(),
                flowsOut, rows, projection);
    }

    /**
     * The full-size projection: the real model's shapes, each consumer GEMM streaming
     * {@code (1 - s) K} columns per row tile with {@code s} the measured column sparsity (primary
     * threshold, array rows) of the tiny site at the same relative depth. A mean per tile, not a mask.
     */
    private Projection projection(String id, JsonNode profile) {
        FullPreset full = org.colsparse.catalog.Catalog.get(id).fullSize() != null ? org.colsparse.catalog.Catalog.shapes(id) : null;
        if (full == null) {
            return null;
        }
        Map<String, Double> measured = new java.util.LinkedHashMap<>();
        for (JsonNode s : profile.path("sites")) {
            if (s.path("threshold").asDouble() == opt.primaryThreshold() && s.path("tile_rows").asInt() == opt.arrayRows()) {
                measured.put(s.path("site").asText(), s.path("column_sparsity").asDouble());
            }
        }
        List<String> tiny = new ArrayList<>();
        for (org.colsparse.denoiser.SiteSpec site : org.colsparse.catalog.Catalog.runtime(id).info().sites()) {
            if (site.role().headline() && measured.containsKey(site.name())) {
                tiny.add(site.name());
            }
        }
        List<String> fullSites = full.sites().stream().map(org.colsparse.workload.GeluSite::name).toList();
        if (tiny.isEmpty() || fullSites.isEmpty()) {
            return null;
        }
        var array = opt.accel().array();
        Dataflow df = Dataflow.OS;
        long dense = 0;
        long projected = 0;
        long cDense = 0;
        long cProjected = 0;
        List<ProjectedGemm> rows = new ArrayList<>();
        for (Gemm g : full.gemms()) {
            long d = CycleModel.denseCycles(g.m(), g.n(), g.k(), array, df) * g.instances();
            long p = d;
            if (g.consumesGelu()) {
                int at = Math.max(0, fullSites.indexOf(g.consumesSite()));
                String t = tiny.get(Math.min(tiny.size() - 1, at * tiny.size() / fullSites.size()));
                double s = measured.get(t);
                long k = Math.max(0, Math.round((1 - s) * g.k()));
                p = k == 0 ? 0 : CycleModel.denseCycles(g.m(), g.n(), k, array, df) * g.instances();
                rows.add(new ProjectedGemm(g.name(), g.m(), g.n(), g.k(), g.instances(), g.consumesSite(), t, s, d, p));
                cDense += d;
                cProjected += p;
            }
            dense += d;
            projected += p;
        }
        return new Projection("PROJECTION, not a measurement: full-size " + full.config() + " shapes (os); each consumer GEMM streams "
                + "(1 - s) x K columns per row tile, s = measured column sparsity of the tiny site at the same relative depth",
                full.config(), cDense == 0 ? 0 : 1 - (double) cProjected / cDense, 1 - (double) projected / dense, rows);
    }

    /** One layout's whole-call totals, dense or with skipping, summed over the simulated calls. */
    record LayoutTotals(String layout, boolean skipping, int calls, long cycles, long computeCycles, long stallCycles,
                        double stallShare, long bytesRead, long bytesWritten, double dramMb, double rowHitRate) {
    }

    /** One simulated call, per layout: cycles with skipping and the gain over that layout's dense call. */
    record CallResult(int step, int timestep, String layout, long denseCycles, long cyclesWithSkipping, double skipGain) {
    }

    /**
     * @param results        per layout, dense and with skipping (only the headline consumers skip), summed over the simulated calls
     * @param calls          each simulated call on its own
     * @param otherConsumers beside the headline: the consumers of sites outside it (time-mlp) alone, per layout, dense and
     *                       skipping with their own masks; empty when the call has none
     */
    record SimulateResult(String workload, String method, int gemmsPerCall, List<Integer> callSteps, List<LayoutTotals> results,
                          List<CallResult> calls, List<LayoutTotals> otherConsumers) {
    }

    /**
     * Cycle-level simulation (array + SRAM + GDDR6) of every GEMM of whole denoiser calls of the
     * profiled model, dense and with each headline consumer's real recorded mask, per layout, for
     * {@code simCalls} recorded calls spread over the timesteps.
     */
    private SimulateResult simulate(RecordedMasks masks, Function<RecordedMasks.Call, Map<String, ActivationMask>> operands,
                                    Function<RecordedMasks.Call, Map<String, ActivationMask>> others) {
        List<RecordedMasks.Call> picked = spread(masks.calls(), opt.simCalls());
        List<Gemm> layers = masks.gemms().stream().map(org.colsparse.runtime.GemmRecorder.Op::gemm).toList();
        // every picked call in one simulator run, each layer under a per-call name: the dense runs,
        // the same in every call, are then made once (AcceleratorSim shares runs of one shape)
        List<Gemm> all = new ArrayList<>();
        Map<String, ActivationMask> skipping = new java.util.HashMap<>();
        // consumers of sites outside the headline are simulated with skipping too, but only for the beside totals
        java.util.Set<String> beside = new java.util.HashSet<>();
        for (RecordedMasks.Call call : picked) {
            Map<String, ActivationMask> m = operands.apply(call);
            Map<String, ActivationMask> o = others.apply(call);
            for (Gemm g : layers) {
                Gemm named = new Gemm(inCall(g, call), g.m(), g.n(), g.k(), g.instances(), g.consumesSite());
                all.add(named);
                if (m.containsKey(g.name())) {
                    skipping.put(named.name(), m.get(g.name()));
                } else if (o.containsKey(g.name())) {
                    skipping.put(named.name(), o.get(g.name()));
                    beside.add(named.name());
                }
            }
        }
        AcceleratorSim sim = new AcceleratorSim(opt.accel());
        long total = AcceleratorSim.runCount(all, opt.layouts(), skipping);
        long[] done = {0};
        Map<String, LayerResult> results = new java.util.HashMap<>();
        for (LayerResult r : sim.run(all, opt.layouts(), skipping, null, k -> listener.progress(++done[0], total))) {
            results.put(r.layout() + "/" + r.masked() + "/" + r.name(), r);
        }
        Map<org.colsparse.layout.LayoutKind, Totals[]> totals = new java.util.LinkedHashMap<>();
        Map<org.colsparse.layout.LayoutKind, Totals[]> otherTotals = new java.util.LinkedHashMap<>();
        List<CallResult> perCall = new ArrayList<>();
        for (RecordedMasks.Call call : picked) {
            for (org.colsparse.layout.LayoutKind layout : opt.layouts()) {
                Totals[] t = totals.computeIfAbsent(layout, k -> new Totals[] {new Totals(), new Totals()});
                Totals[] o = otherTotals.computeIfAbsent(layout, k -> new Totals[] {new Totals(), new Totals()});
                long d = 0;
                long s = 0;
                for (Gemm g : layers) {
                    LayerResult dr = results.get(layout.cliName() + "/false/" + inCall(g, call));
                    LayerResult sr = results.getOrDefault(layout.cliName() + "/true/" + inCall(g, call), dr);
                    if (beside.contains(inCall(g, call))) {
                        o[0].add(dr);
                        o[1].add(sr);
                        sr = dr;
                    }
                    t[0].add(dr);
                    t[1].add(sr);
                    d += dr.cycles();
                    s += sr.cycles();
                }
                perCall.add(new CallResult(call.step(), call.timestep(), layout.cliName(), d, s, 1 - (double) s / d));
            }
        }
        List<LayoutTotals> out = new ArrayList<>();
        totals.forEach((layout, t) -> {
            out.add(t[0].of(layout.cliName(), false, picked.size()));
            out.add(t[1].of(layout.cliName(), true, picked.size()));
        });
        List<LayoutTotals> otherOut = new ArrayList<>();
        if (!beside.isEmpty()) {
            otherTotals.forEach((layout, o) -> {
                otherOut.add(o[0].of(layout.cliName(), false, picked.size()));
                otherOut.add(o[1].of(layout.cliName(), true, picked.size()));
            });
        }
        return new SimulateResult(masks.workload(), "cycle-level (array + double-buffered SRAM + " + sim.dramName() + ") of every GEMM of "
                + "the profiled model's denoiser call; headline consumers skip with their site's real recorded mask, consumers of sites "
                + "outside the headline run dense (alone in other_consumers); " + sim.dramMethod(), layers.size(),
                picked.stream().map(RecordedMasks.Call::step).toList(), out, perCall, otherOut);
    }

    private static String inCall(Gemm g, RecordedMasks.Call call) {
        return g.name() + "@" + call.name();
    }

    /** One layout's sums over the GEMMs of the simulated calls. */
    private static final class Totals {
        private long cycles;
        private long compute;
        private long read;
        private long written;
        private long rowHits;
        private long rowRequests;

        void add(LayerResult r) {
            cycles += r.cycles();
            compute += r.computeCycles();
            read += r.bytesRead();
            written += r.bytesWritten();
            if (r.rowHits() >= 0) {
                rowHits += r.rowHits();
                rowRequests += r.rowHits() + r.rowMisses() + r.rowConflicts();
            }
        }

        LayoutTotals of(String layout, boolean masked, int calls) {
            return new LayoutTotals(layout, masked, calls, cycles, compute, cycles - compute,
                    cycles == 0 ? 0 : (double) (cycles - compute) / cycles, read, written, (read + written) / 1e6,
                    rowRequests == 0 ? Double.NaN : (double) rowHits / rowRequests);
        }
    }

    /** {@code count} of {@code calls}, evenly spread, first and last included. */
    static <T> List<T> spread(List<T> calls, int count) {
        if (count >= calls.size()) {
            return calls;
        }
        java.util.TreeSet<Integer> at = new java.util.TreeSet<>();
        for (int j = 0; j < count; j++) {
            at.add(count == 1 ? 0 : (int) Math.round((double) j * (calls.size() - 1) / (count - 1)));
        }
        return at.stream().map(calls::get).toList();
    }
}
