package org.colsparse.results;

import org.colsparse.sparsity.SiteStats;
import org.colsparse.taxonomy.TaxonomyVerdict;

import java.util.List;

/**
 * The profile stage: real activations of the workload's whole sampling loop.
 *
 * @param totals      headline totals (sites that feed skippable GEMMs)
 * @param otherTotals the remaining sites' totals, reported beside the headline
 * @param timesteps   per timestep bucket, at the primary point only (keeps results.json small)
 * @param samplesPng  the picture of the samples, relative to the output folder
 * @param masksFile   the recorded masks and GEMMs, relative to the output folder
 */
public record ProfileResult(String workload, int samples, int steps, long seed, double seconds, List<SiteStats> sites,
                            List<SiteStats> totals, List<SiteStats> otherTotals, List<TaxonomyVerdict> verdicts,
                            List<TaxonomyVerdict> totalVerdicts, List<BucketResult> timesteps, String samplesPng, String masksFile,
                            List<Integer> maskSteps) {

    /** One timestep bucket, at the primary threshold and the array's tile height. */
    public record BucketResult(int bucket, int firstStep, int lastStep, int firstTimestep, int lastTimestep,
                               List<SiteStats> sites, SiteStats total) {
    }

    /** The headline total at the primary point, or null. */
    public SiteStats primaryTotal(Primary p) {
        return totals == null ? null : totals.stream().filter(p::of).findFirst().orElse(null);
    }

    /** The headline total's class at the primary point, or null. */
    public TaxonomyVerdict primaryVerdict(Primary p) {
        return totalVerdicts == null ? null : totalVerdicts.stream().filter(p::of).findFirst().orElse(null);
    }

    /** The headline totals at the primary threshold, every measured tile height. */
    public List<SiteStats> totalsAtThreshold(Primary p) {
        return totals == null ? List.of() : totals.stream().filter(t -> p.atThreshold(t.threshold())).toList();
    }
}
