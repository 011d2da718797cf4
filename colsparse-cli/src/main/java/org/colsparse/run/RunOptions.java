package org.colsparse.run;

import org.colsparse.accel.AccelConfig;
import org.colsparse.denoiser.Preset;
import org.colsparse.layout.LayoutKind;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.taxonomy.TaxonomyRule;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything a characterization run depends on. Two runs with equal options produce the same
 * numbers; {@code --resume} refuses to continue a partial run made with different options.
 *
 * @param samples     samples per workload, or null for each workload's default; each sample is its own denoiser calls
 * @param steps       sampler steps, or null for each workload's default
 * @param tileRows    tile heights analyzed; always includes the array's rows
 * @param preset      tiny (shipped weights) or full (a user's official checkpoint)
 * @param checkpoint  the user's weights, or null for the shipped ones
 * @param conditions  conditioning files of a full-size model, by name
 * @param maskCalls   denoiser calls of the first sample whose masks are recorded and replayed
 * @param simCalls    recorded calls simulated cycle by cycle (spread over the recorded ones)
 */
public record RunOptions(List<String> workloads, Path out, AccelConfig accel, List<LayoutKind> layouts,
                         double primaryThreshold, double[] thresholds, int[] tileRows, Integer samples,
                         Integer steps, long seed, int buckets, int threads, Preset preset, Path checkpoint,
                         Map<String, Path> conditions, TaxonomyRule taxonomy, int maskCalls, int simCalls) {

    public RunOptions {
        conditions = Map.copyOf(conditions);
    }

    public AnalysisConfig analysis() {
        return new AnalysisConfig(thresholds, tileRows);
    }

    public int arrayRows() {
        return accel.array().rows();
    }

    /** The options that decide the numbers, as text (the resume check compares it line by line). */
    public String fingerprint() {
        return String.join("\n", "workloads=" + workloads, "accel=" + accel, "layouts=" + layouts,
                "primary=" + primaryThreshold, "thresholds=" + java.util.Arrays.toString(thresholds),
                "tile_rows=" + java.util.Arrays.toString(tileRows), "samples=" + samples, "steps=" + steps,
                "seed=" + seed, "buckets=" + buckets, "preset=" + preset, "checkpoint=" + checkpoint,
                "conditions=" + new java.util.TreeMap<>(conditions), "taxonomy=" + taxonomy, "mask_calls=" + maskCalls,
                "sim_calls=" + simCalls) + "\n";
    }
}
