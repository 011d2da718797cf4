package org.colsparse.pipeline;

import ai.djl.ndarray.NDManager;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Profiler;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.Workload;
import org.colsparse.denoiser.tiny.TinyWorkload;
import org.colsparse.onnx.OnnxWorkload;
import org.colsparse.results.AccuracyResult;
import org.colsparse.results.EstimateResult;
import org.colsparse.results.Primary;
import org.colsparse.results.ProfileResult;
import org.colsparse.results.Results;
import org.colsparse.results.RunConfig;
import org.colsparse.results.SimulateResult;
import org.colsparse.results.WorkloadResult;
import org.colsparse.sweep.AccuracySweep;
import org.colsparse.workload.SiteRole;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code colsparse run}: the stages in order, workload by workload — profile, accuracy, estimate,
 * simulate — each through the {@link StageStore} (saved as it finishes, reused on resume), then the
 * results the report is built from. Only the stages' typed results pass from one to the next.
 */
public final class RunPipeline {
    private final RunOptions opt;
    private final StageListener listener;
    private final SampleSource source;
    /** The ONNX workload of {@code --model}, opened once. */
    private final OnnxWorkload onnx;

    /**
     * @param source where the samples come from: sampled whole, a shard's, or merged shards ({@code colsparse merge})
     * @param opened the ONNX workload of {@link RunOptions#model()}, already opened by the caller (checking
     *               a card runs the graph once); null when there is no {@code --model}
     */
    public RunPipeline(RunOptions opt, StageListener listener, SampleSource source, OnnxWorkload opened) {
        if (opt.model() != null && opened == null) {
            throw new IllegalArgumentException("--model " + opt.model().model() + ": the caller opens the ONNX workload");
        }
        this.opt = opt;
        this.listener = listener;
        this.source = source;
        this.onnx = opened;
    }

    /**
     * One shard of the run ({@code run --shard I/N}): this shard's samples of the profile and accuracy
     * stages of every workload, kept as raw state in the source ({@link SampleSource#pending});
     * {@code colsparse merge} runs every stage on the merged state. Each stage loads its model
     * afresh, as the unsharded run does.
     */
    public ShardState runShard() {
        int i = 0;
        for (String id : opt.workloads()) {
            Workload w = workload(id);
            ModelSource stage = models(w);
            listener.stage("profile", id, i, opt.workloads().size());
            try (NDManager manager = stage.manager(); LoadedWorkload model = stage.load(manager)) {
                source.profile(model, profileConfig(w), (step, all, t) -> listener.progress(step, all));
            }
            listener.stage("accuracy", id, i, opt.workloads().size());
            try (NDManager manager = stage.manager(); LoadedWorkload model = stage.load(manager)) {
                source.accuracy(model, accuracyConfig(w), listener::progress);
            }
            i++;
        }
        return source.pending();
    }

    /** Runs every stage (reusing finished ones on resume) into {@code store} and returns the results. */
    public Results run(StageStore store) {
        store.open(opt.fingerprint());
        List<WorkloadResult> workloads = new ArrayList<>();
        int i = 0;
        for (String id : opt.workloads()) {
            Workload w = workload(id);
            listener.stage("profile", id, i, opt.workloads().size());
            // a finished profile stage is only reusable together with the masks file it wrote
            ProfileResult profile = store.stage("profile-" + id, ProfileResult.class, () -> profile(w, store),
                    p -> store.holds(p.masksFile()));
            listener.stage("accuracy", id, i, opt.workloads().size());
            // and a finished accuracy stage only together with the sample pictures it wrote
            AccuracyResult accuracy = store.stage("accuracy-" + id, AccuracyResult.class, () -> accuracy(w, store),
                    a -> a.samplePictures() == null || a.samplePictures().stream().allMatch(p -> store.holds(p.file())));
            RecordedMasks masks = RecordedMasks.read(store.dir().resolve(profile.masksFile()));
            EstimateResult estimate = null;
            SimulateResult simulate = null;
            if (!masks.calls().isEmpty() && !masks.gemms().isEmpty()) {
                Replay replay = new Replay(masks);
                listener.stage("estimate", id, i, opt.workloads().size());
                estimate = store.stage("estimate-" + id, EstimateResult.class, () -> EstimateStage.replay(id, masks, replay.headline(),
                        replay.others(), opt.accel().array(), opt.accel().dataflow(), opt.preset(), profile, primary()));
                listener.stage("simulate", id, i, opt.workloads().size());
                simulate = store.stage("simulate-" + id, SimulateResult.class,
                        () -> SimulateStage.replay(masks, replay, opt.accel(), opt.layouts(), opt.simCalls(), listener));
            }
            workloads.add(new WorkloadResult(id, w.info().group(), w.info().modality(), w.info().geluForm(), w.info().description(),
                    opt.preset().name(), weights(w), siteRoles(w), profile, accuracy, estimate, simulate));
            i++;
        }
        return new Results(config(), workloads);
    }

    /** The built-in workload {@code id}, or the ONNX one ({@link RunOptions#model()}), whose id its card gives. */
    private Workload workload(String id) {
        if (opt.model() == null) {
            return org.colsparse.catalog.Catalog.runtime(id, opt.preset());
        }
        return onnx;
    }

    // tiny models are trained by colsparse's own train command; ddpm-mnist (and vit-mnist) ship real pretrained weights
    private String weights(Workload w) {
        if (w instanceof OnnxWorkload o) {
            return WorkloadResult.ONNX_GRAPH + o.files().model().getFileName();
        }
        return opt.checkpoint() != null ? "user checkpoint " + opt.checkpoint().getFileName()
                : w instanceof TinyWorkload ? WorkloadResult.TINY : WorkloadResult.THIRD_PARTY;
    }

    private static List<WorkloadResult.SiteRoleEntry> siteRoles(Workload w) {
        List<WorkloadResult.SiteRoleEntry> roles = new ArrayList<>();
        for (SiteSpec site : w.info().sites()) {
            roles.add(new WorkloadResult.SiteRoleEntry(site.name(), site.role(), site.role().headline()));
        }
        return roles;
    }

    private ModelSource models(Workload w) {
        return new ModelSource(w, opt.checkpoint(), opt.conditions(), opt.threads());
    }

    private Primary primary() {
        return new Primary(opt.primaryThreshold(), opt.arrayRows());
    }

    private RunConfig config() {
        var a = opt.accel();
        return new RunConfig(a.array().rows() + "x" + a.array().cols(), a.dataflow(), a.dramModel() + " " + a.dramPreset(), a.wordBytes(),
                a.arrayClockMhz(), opt.primaryThreshold(), Arrays.stream(opt.thresholds()).boxed().toList(),
                Arrays.stream(opt.tileRows()).boxed().toList(), opt.arrayRows(), opt.seed(), opt.buckets(), opt.preset().name(),
                opt.maskCalls(), opt.simCalls(), "one sample per denoiser call (its classifier-free-guidance pair together); sample i from seed + i",
                List.copyOf(opt.layouts()), opt.taxonomy().describe(), SiteRole.rule());
    }

    private Profiler.Config profileConfig(Workload w) {
        return ProfileStage.runConfig(w.info(), opt.samples(), opt.steps(), opt.seed(), opt.analysis(), opt.buckets(),
                opt.primaryThreshold(), opt.maskCalls());
    }

    private AccuracySweep.Config accuracyConfig(Workload w) {
        return AccuracyStage.config(w.info(), opt.samples(), opt.steps(), opt.seed(), opt.thresholds(), opt.arrayRows());
    }

    private ProfileResult profile(Workload w, StageStore store) {
        Profiler.Config config = profileConfig(w);
        ModelSource stage = models(w);
        try (NDManager manager = stage.manager(); LoadedWorkload model = stage.load(manager)) {
            Profiler.Result r = source.profile(model, config, (step, all, t) -> listener.progress(step, all));
            long total = config.samples() * (long) config.steps();
            listener.progress(total, total);
            String id = w.info().id();
            Path dir = store.dir();
            Path png = ProfileStage.writePicture(model, r, store.out(), dir.resolve("samples").resolve(id));
            Path masks = ProfileStage.writeMasks(model, r, store.out(), dir.resolve("masks").resolve(id + ".npz"));
            return ProfileStage.result(r, config, opt.taxonomy(), primary(), dir.relativize(png).toString(), dir.relativize(masks).toString());
        }
    }

    private AccuracyResult accuracy(Workload w, StageStore store) {
        AccuracySweep.Config c = accuracyConfig(w);
        ModelSource loader = models(w);
        try (NDManager manager = loader.manager(); LoadedWorkload model = loader.load(manager)) {
            long t0 = System.nanoTime();
            AccuracySweep.Result r = source.accuracy(model, c, listener::progress);
            double seconds = (System.nanoTime() - t0) / 1e9;
            AccuracyResult result = AccuracyStage.result(List.of(r), List.of(seconds), id -> w.info().sampler());
            Path previews = store.dir().resolve("samples").resolve("accuracy");
            List<AccuracyResult.SamplePicture> pictures = new ArrayList<>();
            Map<String, Path> written = store.out().writing(previews, () -> AccuracyStage.writePreviews(model, r, previews));
            written.forEach((label, png) -> pictures.add(new AccuracyResult.SamplePicture(label, store.dir().relativize(png).toString())));
            return result.withPictures(pictures);
        }
    }
}
