package org.colsparse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.colsparse.accel.AccelConfig;
import org.colsparse.accel.AcceleratorSim;
import org.colsparse.accel.LayerResult;
import org.colsparse.accel.RequestSink;
import org.colsparse.dram.TraceWriter;
import org.colsparse.layout.LayoutKind;
import org.colsparse.systolic.ActivationMask;
import org.colsparse.systolic.ArrayShape;
import org.colsparse.systolic.CycleModel;
import org.colsparse.systolic.Dataflow;
import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Cycle-level accelerator simulation: systolic array, double-buffered SRAM, GDDR6 DRAM.",
                "Compute-busy and memory-stall cycles, DRAM traffic,",
                "bandwidth and row-hit rate per layer and activation layout, dense and",
                "(for layers with a mask) with column skipping. See docs/simulator.md."})
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    GemmInputs inputs = new GemmInputs();
    @Option(names = "--config", paramLabel = "FILE", description = "accelerator YAML (default: the built-in config, identical to config/accel.yaml)")
    Path config;
    @Option(names = "--array", paramLabel = "ROWSxCOLS", description = "override the config's array")
    String array;
    @Option(names = "--dataflow", paramLabel = "DATAFLOW", description = "override the config's dataflow: os, ws or is")
    String dataflow;
    @Option(names = "--layout", defaultValue = "all", paramLabel = "LAYOUTS",
            completionCandidates = LayoutKind.Names.class,
            description = "${COMPLETION-CANDIDATES}, a comma list, or all (default: ${DEFAULT-VALUE})")
    String layout;
    @Option(names = "--trace-out", paramLabel = "FILE", description = "write the DRAM requests as a Ramulator LoadStoreTrace (LD/ST 0xADDR); "
            + "with several layouts or sparsity settings, one file each, named FILE-<layout>[-skipping]")
    Path traceOut;
    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table, json or csv (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Row(String name, long m, long n, long k, String dataflow, String layout, String sparsity, long cycles,
               long computeCycles, long stallCycles, double stallShare, long bytesRead, long bytesWritten,
               double bandwidthGbps, Double rowHitRate, double timeUs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Setup(String array, String dataflow, int wordBytes, double arrayClockMhz, long ifmapSramKib, long filterSramKib,
                 long ofmapSramKib, String dram, String dramMethod, Double threshold, String skipUnit) {
    }

    record Result(Setup config, List<Row> layers, List<Row> totals) {
    }

    @Override
    public Integer call() {
        AccelConfig cfg = config == null ? AccelConfig.defaults() : AccelConfig.load(OptionRules.inputFile("--config", config));
        if (array != null) {
            cfg = cfg.withArray(ArrayShape.parse(array, "--array"));
        }
        if (dataflow != null) {
            cfg = cfg.withDataflow(Dataflow.parse(dataflow, "--dataflow"));
        }
        List<LayoutKind> layouts = LayoutKind.parse(layout, "--layout");
        GemmInputs.Layers resolved = inputs.resolve();
        List<Gemm> layers = resolved.gemms();
        Map<String, ActivationMask> masks = resolved.activationMasks();
        for (Gemm g : layers) {
            try {
                CycleModel.denseCycles(g.m(), g.n(), g.k(), cfg.array(), cfg.dataflow());
            } catch (ArithmeticException e) {
                throw new InputException("layer " + g.name() + " (m " + g.m() + ", n " + g.n() + ", k " + g.k() + "): too large, its cycle count exceeds 2^63");
            }
        }
        boolean several = layouts.size() > 1 || !masks.isEmpty();
        if (traceOut != null) {
            // checked before the (possibly long) run rather than failing after it
            for (LayoutKind l : layouts) {
                for (boolean masked : masks.isEmpty() ? new boolean[] {false} : new boolean[] {false, true}) {
                    Path p = tracePath(several ? "-" + l.cliName() + (masked ? "-skipping" : "") : "");
                    if (Files.isDirectory(p)) {
                        throw new InputException("--trace-out " + p + ": is a directory, not a file (several runs write FILE-<layout>[-skipping])");
                    }
                }
            }
        }
        AcceleratorSim sim = new AcceleratorSim(cfg);
        Map<String, TraceWriter> writers = new LinkedHashMap<>();
        List<LayerResult> results;
        try {
            int runs = AcceleratorSim.runCount(layers, layouts, masks);
            PrintWriter err = spec.commandLine().getErr();
            int[] count = {0};
            long t0 = System.nanoTime();
            // long runs report each finished (layer, layout, sparsity) run on stderr, stdout stays clean
            results = sim.run(layers, layouts, masks, traceOut == null ? null : key -> sink(writers, key, several), runs < 2 ? null : key -> {
                err.printf(Locale.ROOT, "simulate: %d/%d done (%s, %s, %s) %.1f s%n", ++count[0], runs, key.layer(), key.layout().cliName(),
                        key.masked() ? "skipping" : "dense", (System.nanoTime() - t0) / 1e9);
                err.flush();
            });
            // traces appear under their final names only once every run has succeeded
            for (Map.Entry<String, TraceWriter> e : writers.entrySet()) {
                try {
                    e.getValue().commit();
                } catch (IOException x) {
                    throw new InputException("--trace-out " + tracePath(e.getKey()) + ": cannot write: " + x.getMessage());
                }
            }
        } finally {
            for (TraceWriter w : writers.values()) {
                try {
                    w.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        print(spec.commandLine().getOut(), cfg, sim.dramName(), sim.dramMethod(), results, !masks.isEmpty());
        return 0;
    }

    private RequestSink sink(Map<String, TraceWriter> writers, AcceleratorSim.RunKey key, boolean several) {
        String suffix = several ? "-" + key.layout().cliName() + (key.masked() ? "-skipping" : "") : "";
        TraceWriter w = writers.computeIfAbsent(suffix, s -> {
            Path p = tracePath(s);
            try {
                return TraceWriter.open(p);
            } catch (NoSuchFileException e) {
                throw new InputException("--trace-out " + p + ": cannot write: folder " + p.toAbsolutePath().getParent() + " does not exist");
            } catch (IOException e) {
                throw new InputException("--trace-out " + p + ": cannot write: " + e.getMessage());
            }
        });
        return w::write;
    }

    private Path tracePath(String suffix) {
        return traceOut.resolveSibling(traceOut.getFileName() + suffix);
    }

    private static Row row(LayerResult r) {
        return new Row(r.name(), r.m(), r.n(), r.k(), r.dataflow(), r.layout(), r.masked() ? "skipping" : "dense", r.cycles(),
                r.computeCycles(), r.stallCycles(), r.stallShare(), r.bytesRead(), r.bytesWritten(), r.bandwidthGBps(),
                Double.isNaN(r.rowHitRate()) ? null : r.rowHitRate(), r.timeUs());
    }

    private void print(PrintWriter out, AccelConfig cfg, String dram, String dramMethod, List<LayerResult> results, boolean anyMask) {
        List<Row> rows = new ArrayList<>();
        for (LayerResult r : results) {
            rows.add(row(r));
        }
        // Per layout: the whole call dense, the whole call with only the mask consumers skipping
        // (docs/definitions.md), and the same two over the consumers alone.
        List<Row> totals = new ArrayList<>();
        Map<String, Map<String, LayerResult[]>> byLayout = new LinkedHashMap<>();
        for (LayerResult r : results) {
            byLayout.computeIfAbsent(r.layout(), x -> new LinkedHashMap<>())
                    .computeIfAbsent(r.name(), x -> new LayerResult[2])[r.masked() ? 1 : 0] = r;
        }
        for (Map<String, LayerResult[]> layers : byLayout.values()) {
            List<LayerResult> dense = new ArrayList<>();
            List<LayerResult> whole = new ArrayList<>();
            List<LayerResult> consumersDense = new ArrayList<>();
            List<LayerResult> consumersMasked = new ArrayList<>();
            for (LayerResult[] pair : layers.values()) {
                dense.add(pair[0]);
                whole.add(pair[1] != null ? pair[1] : pair[0]);
                if (pair[1] != null) {
                    consumersDense.add(pair[0]);
                    consumersMasked.add(pair[1]);
                }
            }
            totals.add(total("TOTAL", "dense", dense));
            if (anyMask) {
                totals.add(total("TOTAL", "skipping", whole));
                totals.add(total("CONSUMERS", "dense", consumersDense));
                totals.add(total("CONSUMERS", "skipping", consumersMasked));
            }
        }
        if (format == OutputFormat.json) {
            Setup setup = new Setup(cfg.array().toString(), cfg.dataflow().cliName(), cfg.wordBytes(), cfg.arrayClockMhz(),
                    cfg.ifmapSramBytes() >> 10, cfg.filterSramBytes() >> 10, cfg.ofmapSramBytes() >> 10, dram, dramMethod, anyMask ? inputs.threshold : null,
                    anyMask ? CycleModel.skipUnit(cfg.dataflow(), cfg.array()) : null);
            Json.print(out, new Result(setup, rows, totals));
            return;
        }
        Table t = new Table(List.of("layer", "layout", "sparsity", "cycles", "compute", "stall", "stall_share",
                "MB_read", "MB_written", "GB/s", "row_hit"));
        for (Row r : rows) {
            t.add(cells(r));
        }
        if (format == OutputFormat.table) {
            for (Row r : totals) {
                t.add(cells(r));
            }
        }
        t.print(out, format);
        if (format == OutputFormat.table) {
            out.printf("array %s %s, %d-byte words, %.0f MHz; SRAM KiB ifmap/filter/ofmap %d/%d/%d; DRAM %s; %s%s%n",
                    cfg.array(), cfg.dataflow().cliName(), cfg.wordBytes(), cfg.arrayClockMhz(), cfg.ifmapSramBytes() >> 10,
                    cfg.filterSramBytes() >> 10, cfg.ofmapSramBytes() >> 10, dram, dramMethod, anyMask ? "; masked: |a| <= " + inputs.threshold + " skipped per " + CycleModel.skipUnit(cfg.dataflow(), cfg.array()) : "");
            String slower = slowerWithSkipping(byLayout);
            if (!slower.isEmpty()) {
                out.println(slower);
            }
            out.flush();
        }
    }

    /**
     * Says why, where a layer runs slower with skipping than dense: a negative gain with nothing
     * beside it reads like a simulator bug (issue 22).
     */
    static String slowerWithSkipping(Map<String, Map<String, LayerResult[]>> byLayout) {
        Map<String, List<String>> byLayer = new LinkedHashMap<>();
        byLayout.forEach((layout, layers) -> layers.forEach((name, pair) -> {
            if (pair[0] != null && pair[1] != null && pair[1].cycles() > pair[0].cycles()) {
                byLayer.computeIfAbsent(name, x -> new ArrayList<>()).add(String.format(Locale.ROOT, "%s %+d cycles (compute %+d, "
                        + "DRAM reads %+d B)", layout, pair[1].cycles() - pair[0].cycles(), pair[1].computeCycles() - pair[0].computeCycles(),
                        pair[1].bytesRead() - pair[0].bytesRead()));
            }
        }));
        if (byLayer.isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        byLayer.forEach((name, where) -> parts.add(name + ": " + String.join(", ", where)));
        return "slower with skipping than dense: " + String.join("; ", parts) + ". Skipping also reads each row tile's skip bitmap "
                + "(ceil(K/8) bytes, in a DRAM row of its own); with few zero columns that costs more than they save (row-major and tiled "
                + "drop a burst only where all its channels are zero columns). docs/simulator.md, 'When skipping is slower than dense'.";
    }

    private List<Object> cells(Row r) {
        boolean csv = format == OutputFormat.csv;
        return List.of(r.name(), r.layout(), r.sparsity(), r.cycles(), r.computeCycles(), r.stallCycles(),
                csv ? fmt("%.6f", r.stallShare()) : fmt("%.1f%%", 100 * r.stallShare()),
                fmt(csv ? "%.6f" : "%.2f", r.bytesRead() / 1e6), fmt(csv ? "%.6f" : "%.2f", r.bytesWritten() / 1e6),
                fmt("%.2f", r.bandwidthGbps()),
                r.rowHitRate() == null ? "" : csv ? fmt("%.6f", r.rowHitRate()) : fmt("%.1f%%", 100 * r.rowHitRate()));
    }

    private static String fmt(String f, double v) {
        return String.format(Locale.ROOT, f, v);
    }

    private static Row total(String name, String sparsity, List<LayerResult> g) {
        long cycles = 0, compute = 0, stall = 0, rd = 0, wr = 0, hits = 0, rowReqs = 0;
        double us = 0;
        boolean rowStats = true;
        for (LayerResult r : g) {
            cycles += r.cycles();
            compute += r.computeCycles();
            stall += r.stallCycles();
            rd += r.bytesRead();
            wr += r.bytesWritten();
            us += r.timeUs();
            if (r.rowHits() < 0) {
                rowStats = false;
            } else {
                hits += r.rowHits();
                rowReqs += r.rowHits() + r.rowMisses() + r.rowConflicts();
            }
        }
        LayerResult f = g.get(0);
        double seconds = us * 1e-6;
        return new Row(name, 0, 0, 0, f.dataflow(), f.layout(), sparsity, cycles, compute, stall,
                cycles == 0 ? 0 : (double) stall / cycles, rd, wr, seconds == 0 ? 0 : (rd + wr) / seconds / 1e9,
                rowStats && rowReqs > 0 ? (double) hits / rowReqs : null, us);
    }
}
