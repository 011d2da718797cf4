package org.colsparse.results;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * The accuracy stage (and the accuracy command's results.json): the sweep at every threshold
 * against the dense run. Timings live in {@code runs} only, so {@code results} of two runs with the
 * same arguments are identical.
 *
 * @param samplePictures the dense and zeroed samples' pictures (run only; absent from the accuracy command's file)
 */
public record AccuracyResult(List<Long> seeds, CliffRuleText cliffRule, List<AccuracyRun> runs, List<AccuracyPoint> results,
                             @JsonInclude(JsonInclude.Include.NON_NULL) List<SamplePicture> samplePictures) {

    /** One workload's sweep: how it ran and where the cliff rule first fired (null: nowhere). */
    public record AccuracyRun(String workload, String modality, String decoding, String sampler, int samples, int steps, long seed,
                              int tileRows, double denseSeconds, double seconds, Double cliffAt) {
    }

    /** The cliff rule as printed. */
    public record CliffRuleText(String metric, double absoluteFloor, double factor, String text) {
    }

    /** A picture of a sweep run's samples ("dense", "tau = 0.01"), relative to the output folder. */
    public record SamplePicture(String label, String file) {
    }

    public AccuracyResult withPictures(List<SamplePicture> pictures) {
        return new AccuracyResult(seeds, cliffRule, runs, results, pictures);
    }

    /** The point at the primary threshold, or null. */
    public AccuracyPoint atPrimary(Primary p) {
        return results == null ? null : results.stream().filter(r -> p.atThreshold(r.threshold())).findFirst().orElse(null);
    }

    /** The first point where the cliff rule fires, or null. */
    public AccuracyPoint firstCliff() {
        return results == null ? null : results.stream().filter(AccuracyPoint::cliff).findFirst().orElse(null);
    }
}
