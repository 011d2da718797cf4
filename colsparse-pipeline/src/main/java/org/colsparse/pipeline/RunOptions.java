package org.colsparse.pipeline;

import org.colsparse.accel.AccelConfig;
import org.colsparse.denoiser.Preset;
import org.colsparse.layout.LayoutKind;
import org.colsparse.onnx.OnnxWorkload;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.taxonomy.TaxonomyRule;
import org.colsparse.util.Decimal;

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
 * @param model       an ONNX graph and its model card as the one workload ({@code --model}), or null for built-in workloads
 */
public record RunOptions(List<String> workloads, Path out, AccelConfig accel, List<LayoutKind> layouts,
                         double primaryThreshold, double[] thresholds, int[] tileRows, Integer samples,
                         Integer steps, long seed, int buckets, int threads, Preset preset, Path checkpoint,
                         Map<String, Path> conditions, TaxonomyRule taxonomy, int maskCalls, int simCalls,
                         OnnxWorkload.Files model) {

    public RunOptions {
        conditions = Map.copyOf(conditions);
    }

    public AnalysisConfig analysis() {
        return new AnalysisConfig(thresholds, tileRows);
    }

    public int arrayRows() {
        return accel.array().rows();
    }

    /**
     * The options that decide the numbers, one {@code option=value} line each, named and written as
     * on the command line (the resume check compares it line by line and quotes the lines that differ).
     */
    public Fingerprint fingerprint() {
        AccelConfig a = accel;
        String config = String.format(java.util.Locale.ROOT, "dataflow %s, %d-byte words, %s MHz, SRAM %d/%d/%d B, tiled blocks of %d, "
                        + "DRAM %s %s%s, %d sampled repeats, fixed model %s MHz %d cycles %s B/cycle",
                a.dataflow().name().toLowerCase(java.util.Locale.ROOT), a.wordBytes(), Decimal.plain(a.arrayClockMhz()), a.ifmapSramBytes(),
                a.filterSramBytes(), a.ofmapSramBytes(), a.tiledBlockCols(), a.dramModel(), a.dramPreset(),
                a.dramConfig() == null ? "" : " " + a.dramConfig(), a.dramSampleRepeats(), Decimal.plain(a.fixedClockMhz()), a.fixedLatencyCycles(),
                Decimal.plain(a.fixedBytesPerCycle()));
        Map<String, Object> f = Fingerprint.entries();
        f.put("workload", String.join(",", workloads));
        f.put("array", a.array().rows() + "x" + a.array().cols());
        f.put("config", config);
        f.put("layout", String.join(",", layouts.stream().map(LayoutKind::cliName).toList()));
        f.put("primary", Decimal.plain(primaryThreshold));
        f.put("threshold", String.join(",", java.util.Arrays.stream(thresholds).mapToObj(Decimal::plain).toList()));
        f.put("tile_rows", String.join(",", java.util.Arrays.stream(tileRows).mapToObj(Integer::toString).toList()));
        f.put("samples", samples == null ? "(default)" : samples);
        f.put("steps", steps == null ? "(default)" : steps);
        f.put("seed", seed);
        f.put("buckets", buckets);
        f.put("preset", preset);
        f.put("checkpoint", checkpoint == null ? "(shipped weights)" : checkpoint);
        f.put("cond", new java.util.TreeMap<>(conditions));
        for (TaxonomyRule.Parameter p : taxonomy.parameters()) {
            f.put(p.option(), Decimal.plain(p.value()));
        }
        f.put("mask_calls", maskCalls);
        f.put("sim_calls", simCalls);
        Fingerprint.putModel(f, model);
        return Fingerprint.of(f);
    }
}
