package org.colsparse.run;

import org.colsparse.accel.AccelConfig;
import org.colsparse.layout.LayoutKind;
import org.colsparse.sparsity.AnalysisConfig;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a characterization run depends on. Two runs with equal options produce the same
 * numbers; {@code --resume} refuses to continue a partial run made with different options.
 *
 * @param samples       samples per workload, or null for each workload's default
 * @param steps         sampler steps, or null for each workload's default
 * @param tileRows      tile heights analyzed; always includes the array's rows
 * @param simRows       rows of the full-size consumer GEMM simulated cycle by cycle (a slice of M)
 */
public record RunOptions(List<String> workloads, Path out, AccelConfig accel, List<LayoutKind> layouts,
                         double primaryThreshold, double[] thresholds, int[] tileRows, Integer samples,
                         Integer steps, long seed, int buckets, int simRows, int threads) {

    public AnalysisConfig analysis() {
        return new AnalysisConfig(thresholds, tileRows);
    }

    public int arrayRows() {
        return accel.array().rows();
    }

    /** The options that decide the numbers, as text (the resume check compares it). */
    public String fingerprint() {
        return String.join("|", workloads.toString(), accel.toString(), layouts.toString(),
                Double.toString(primaryThreshold), java.util.Arrays.toString(thresholds),
                java.util.Arrays.toString(tileRows), String.valueOf(samples), String.valueOf(steps),
                Long.toString(seed), Integer.toString(buckets), Integer.toString(simRows));
    }
}
