package org.colsparse.accel;

import org.colsparse.dram.DramConfig;
import org.colsparse.dram.DramConfigLoader;
import org.colsparse.layout.LayoutKind;
import org.colsparse.systolic.ActivationMask;
import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Simulates a list of GEMMs on one accelerator for each requested layout, dense and — for GEMMs
 * that have a mask — with column skipping. Every (layer, layout, sparsity) run starts from an idle
 * DRAM, so runs are independent and each is reproducible on its own.
 */
public final class AcceleratorSim {
    private final AccelConfig cfg;
    private final DramConfig dramConfig;

    public AcceleratorSim(AccelConfig cfg) {
        this.cfg = cfg;
        this.dramConfig = cfg.dramModel().equals("gddr6") ? loadDram(cfg) : null;
    }

    private static DramConfig loadDram(AccelConfig cfg) {
        DramConfig base;
        try {
            base = DramConfig.preset(cfg.dramPreset());
        } catch (IllegalArgumentException e) {
            throw new InputException("accelerator config dram.preset: " + e.getMessage());
        }
        return cfg.dramConfig() == null ? base : DramConfigLoader.load(cfg.dramConfig(), base);
    }

    /** A fresh, idle memory system as configured. */
    public DramBackend newDram() {
        if (dramConfig != null) {
            return new Gddr6Dram(dramConfig, cfg.dramSampleRepeats());
        }
        return new FixedDram(1e6 / cfg.fixedClockMhz(), 32, cfg.fixedLatencyCycles(), cfg.fixedBytesPerCycle());
    }

    /** Name of the memory model, for reports. */
    public String dramName() {
        if (dramConfig != null) {
            // a DRAM YAML that changes anything already names the configuration after its file
            String file = cfg.dramConfig() == null ? null : cfg.dramConfig().getFileName().toString();
            String name = file == null || file.startsWith(dramConfig.name() + ".") ? dramConfig.name() + (file == null ? "" : " (" + file + ")")
                    : dramConfig.name() + " + " + file;
            return name + ", " + dramConfig.channels() + " channels";
        }
        return "fixed(" + cfg.fixedClockMhz() + " MHz, " + cfg.fixedLatencyCycles()
                + " cycles, " + cfg.fixedBytesPerCycle() + " B/cycle)";
    }

    /** Which run a trace belongs to. */
    public record RunKey(String layer, LayoutKind layout, boolean masked) {
    }

    /**
     * @param masks   per layer name, its activation mask; layers without one run dense only
     * @param traces  gives the request sink of a run (or null for none); may be null
     */
    public List<LayerResult> run(List<Gemm> layers, List<LayoutKind> layouts, Map<String, ActivationMask> masks,
                                 Function<RunKey, RequestSink> traces) {
        return run(layers, layouts, masks, traces, null);
    }

    /** Number of (layer, layout, sparsity) runs {@link #run} will make. */
    public static int runCount(List<Gemm> layers, List<LayoutKind> layouts, Map<String, ActivationMask> masks) {
        int withMask = 0;
        for (Gemm g : layers) {
            if (masks.containsKey(g.name())) {
                withMask++;
            }
        }
        return layouts.size() * (layers.size() + withMask);
    }

    /** As {@link #run(List, List, Map, Function)}, telling {@code done} after each run. */
    public List<LayerResult> run(List<Gemm> layers, List<LayoutKind> layouts, Map<String, ActivationMask> masks,
                                 Function<RunKey, RequestSink> traces, java.util.function.Consumer<RunKey> done) {
        List<LayerResult> out = new ArrayList<>();
        for (LayoutKind layout : layouts) {
            for (boolean masked : new boolean[] {false, true}) {
                for (Gemm g : layers) {
                    ActivationMask mask = masks.get(g.name());
                    if (masked && mask == null) {
                        continue;
                    }
                    RequestSink sink = traces == null ? null : traces.apply(new RunKey(g.name(), layout, masked));
                    LayerResult r = LayerSimulator.run(g, cfg, layout, masked ? mask : null, newDram(), sink);
                    out.add(g.instances() == 1 ? r : times(r, g.instances()));
                    if (done != null) {
                        done.accept(new RunKey(g.name(), layout, masked));
                    }
                }
            }
        }
        return out;
    }

    /** Identical instances run back to back: cycles and bytes scale, rates stay. */
    private static LayerResult times(LayerResult r, long n) {
        return new LayerResult(r.name(), r.m(), r.n(), r.k(), r.dataflow(), r.layout(), r.masked(),
                r.cycles() * n, r.computeCycles() * n, r.stallCycles() * n, r.stallShare(),
                r.bytesRead() * n, r.bytesWritten() * n, r.bandwidthGBps(), r.rowHitRate(),
                r.rowHits() < 0 ? -1 : r.rowHits() * n, r.rowMisses() < 0 ? -1 : r.rowMisses() * n,
                r.rowConflicts() < 0 ? -1 : r.rowConflicts() * n, r.timeUs() * n);
    }
}
