package org.colsparse.pipeline;

import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Profiler;
import org.colsparse.report.AtomicOutput;
import org.colsparse.results.Primary;
import org.colsparse.results.ProfileResult;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.taxonomy.Taxonomy;
import org.colsparse.taxonomy.TaxonomyRule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The profile stage, for {@code run} and {@code profile}: the workload's whole sampling loop with a
 * tap on every GELU site, streamed into the analyzer, a picture of the samples and the recorded
 * masks. Each caller loads the model ({@link ModelSource}), samples ({@link #sample}), writes the files
 * ({@link #writePicture}, {@link #writeMasks}) and shapes its own output from the result.
 */
public final class ProfileStage {
    /** Profile samples of {@code run} unless --samples says otherwise (capped by the workload's own default): keeps the default run short. */
    public static final int RUN_SAMPLES = 4;
    /** Profile sampler steps of {@code run} unless --steps says otherwise (capped by the workload's own default; fewer respace the schedule). */
    public static final int RUN_STEPS = 100;

    private ProfileStage() {
    }

    /** {@code run}'s configuration: its own defaults of samples and steps unless given. */
    public static Profiler.Config runConfig(DenoiserInfo info, Integer samples, Integer steps, long seed, AnalysisConfig analysis,
                                            int buckets, double maskThreshold, int maskCalls) {
        int n = samples != null ? samples : Math.min(RUN_SAMPLES, info.defaultSamples());
        int s = steps != null ? steps : Math.min(RUN_STEPS, info.defaultSteps());
        return new Profiler.Config(n, s, seed, analysis, buckets, maskThreshold, maskCalls);
    }

    /** Writes the picture of the samples into {@code dir}, atomically through {@code folder}. */
    public static Path writePicture(LoadedWorkload model, Profiler.Result r, AtomicOutput folder, Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder.writing(dir.resolve("samples.png"), () -> model.writePreview(r.output(), dir));
    }

    /** Writes the recorded masks and GEMMs to {@code file} (docs/masks.md), atomically through {@code folder}. */
    public static Path writeMasks(LoadedWorkload model, Profiler.Result r, AtomicOutput folder, Path file) {
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folder.writing(file, () -> {
            RecordedMasks.of(r, model.sites()).write(file);
            return file;
        });
    }

    /** {@code run}'s typed profile result; its buckets hold the primary point only. */
    public static ProfileResult result(Profiler.Result r, Profiler.Config config, TaxonomyRule rule, Primary primary, String samplesPng,
                                       String masksFile) {
        List<ProfileResult.BucketResult> buckets = new ArrayList<>();
        for (Profiler.Bucket b : r.timesteps()) {
            buckets.add(new ProfileResult.BucketResult(b.bucket(), b.firstStep(), b.lastStep(), b.firstTimestep(), b.lastTimestep(),
                    primary(b.sites(), primary), primary(b.totals(), primary).get(0)));
        }
        return new ProfileResult(r.workload(), r.samples(), r.steps(), r.seed(), r.seconds(), r.sites(), r.totals(), r.otherTotals(),
                Taxonomy.classifyAll(r.sites(), rule), Taxonomy.classifyAll(r.totals(), rule),
                buckets, samplesPng, masksFile, config.maskSteps());
    }

    private static List<SiteStats> primary(List<SiteStats> stats, Primary primary) {
        return stats.stream().filter(primary::of).toList();
    }
}
