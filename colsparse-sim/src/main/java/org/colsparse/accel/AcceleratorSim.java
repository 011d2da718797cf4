package org.colsparse.accel;

import org.colsparse.dram.DramConfig;
import org.colsparse.dram.DramConfigLoader;
import org.colsparse.dram.Standards;
import org.colsparse.layout.LayoutKind;
import org.colsparse.systolic.ActivationMask;
import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;

import java.util.ArrayList;
import java.util.HashMap;
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
        // dram.model names a standard of the registry (command-level) or is "fixed" (analytic)
        this.dramConfig = Standards.has(cfg.dramModel()) ? loadDram(cfg) : null;
    }

    private static DramConfig loadDram(AccelConfig cfg) {
        DramConfig base;
        try {
            base = DramConfig.preset(cfg.dramPreset());
        } catch (IllegalArgumentException e) {
            throw new InputException("accelerator config dram.preset: " + e.getMessage());
        }
        DramConfig d = cfg.dramConfig() == null ? base : DramConfigLoader.load(cfg.dramConfig(), base);
        if (!d.standardName().equalsIgnoreCase(cfg.dramModel())) {
            throw new InputException("accelerator config dram.model is " + cfg.dramModel() + " but its memory ("
                    + (cfg.dramConfig() == null ? "dram.preset " + cfg.dramPreset() : cfg.dramConfig().toString()) + ") is "
                    + d.standardName() + ": set dram.preset to one of " + Standards.presets());
        }
        return d;
    }

    /** The memory standard simulated ({@code GDDR6}, {@code HBM3}), or {@code fixed} for the analytic model. */
    public String memoryStandard() {
        return dramConfig == null ? AccelConfig.FIXED : dramConfig.standardName();
    }

    /** A fresh, idle memory system as configured. */
    public DramBackend newDram() {
        if (dramConfig != null) {
            return new SampledDram(dramConfig, cfg.dramSampleRepeats());
        }
        return new FixedDram(1e6 / cfg.fixedClockMhz(), 32, cfg.fixedLatencyCycles(), cfg.fixedBytesPerCycle());
    }

    /** Name of the memory model, for reports. */
    /**
     * How exactly the DRAM side was simulated, for the output beside the numbers: sampling repeated
     * transfers is an approximation, and says so with its measured error.
     */
    public String dramMethod() {
        if (dramConfig == null) {
            return "analytic DRAM (fixed latency + peak bandwidth, no banks)";
        }
        if (cfg.dramSampleRepeats() == 0) {
            return "every DRAM request simulated";
        }
        return "repeated DRAM transfers estimated after " + cfg.dramSampleRepeats() + " simulated repeats, refresh by the clock "
                + "(a whole SD 1.5 call within 0.3 % of simulating every request; dram.sample_repeats: 0 for that)";
    }

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

    /**
     * As {@link #run(List, List, Map, Function)}, telling {@code done} after each run (from the
     * thread that finished it, one call at a time).
     *
     * <p>Without traces, dense runs of layers with the same {@code m x n x k} are made once per
     * layout (a whole UNet call has 346 GEMMs but 65 shapes): every run starts from an idle DRAM
     * and is deterministic, so the copies would give identical results. The distinct runs are
     * spread over the available processors; results come back in the order of a sequential run.
     */
    public List<LayerResult> run(List<Gemm> layers, List<LayoutKind> layouts, Map<String, ActivationMask> masks,
                                 Function<RunKey, RequestSink> traces, java.util.function.Consumer<RunKey> done) {
        List<Job> jobs = new ArrayList<>();
        Map<List<Object>, Job> firstDense = new HashMap<>();
        for (LayoutKind layout : layouts) {
            for (boolean masked : new boolean[] {false, true}) {
                for (Gemm g : layers) {
                    ActivationMask mask = masks.get(g.name());
                    if (masked && mask == null) {
                        continue;
                    }
                    Job j = new Job(g, layout, masked ? mask : null);
                    if (traces == null && !masked) {
                        Job first = firstDense.putIfAbsent(List.of(layout, g.m(), g.n(), g.k()), j);
                        if (first != null) {
                            first.copies.add(j);
                            j.sameAs = first;
                        }
                    }
                    jobs.add(j);
                }
            }
        }
        List<Job> distinct = jobs.stream().filter(j -> j.sameAs == null).toList();
        Object lock = new Object();
        java.util.function.Consumer<Job> finished = j -> {
            if (done == null) {
                return;
            }
            synchronized (lock) {
                done.accept(j.key());
                for (Job c : j.copies) {
                    done.accept(c.key());
                }
            }
        };
        int threads = traces != null ? 1 : Math.min(distinct.size(), Runtime.getRuntime().availableProcessors());
        if (threads <= 1) {
            for (Job j : distinct) {
                RequestSink sink = traces == null ? null : traces.apply(j.key());
                j.result = LayerSimulator.run(j.gemm, cfg, j.layout, j.mask, newDram(), sink);
                finished.accept(j);
            }
        } else {
            runParallel(distinct, threads, finished);
        }
        List<LayerResult> out = new ArrayList<>();
        for (Job j : jobs) {
            LayerResult r = j.sameAs == null ? j.result : renamed(j.sameAs.result, j.gemm.name());
            out.add(j.gemm.instances() == 1 ? r : times(r, j.gemm.instances()));
        }
        return out;
    }

    private void runParallel(List<Job> distinct, int threads, java.util.function.Consumer<Job> finished) {
        // largest first, so that one long run does not start last and leave the other cores idle
        List<Job> order = new ArrayList<>(distinct);
        order.sort(java.util.Comparator.comparingLong((Job j) -> -j.gemm.m() * j.gemm.n() * j.gemm.k()));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "simulate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (Job j : order) {
                futures.add(pool.submit(() -> {
                    j.result = LayerSimulator.run(j.gemm, cfg, j.layout, j.mask, newDram(), null);
                    finished.accept(j);
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    if (e.getCause() instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("simulation interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One (layer, layout, sparsity) run; {@code sameAs} points at the identical run that is made instead. */
    private static final class Job {
        final Gemm gemm;
        final LayoutKind layout;
        final ActivationMask mask;
        final List<Job> copies = new ArrayList<>();
        Job sameAs;
        volatile LayerResult result;

        Job(Gemm gemm, LayoutKind layout, ActivationMask mask) {
            this.gemm = gemm;
            this.layout = layout;
            this.mask = mask;
        }

        RunKey key() {
            return new RunKey(gemm.name(), layout, mask != null);
        }
    }

    private static LayerResult renamed(LayerResult r, String name) {
        return new LayerResult(name, r.m(), r.n(), r.k(), r.dataflow(), r.layout(), r.masked(),
                r.cycles(), r.computeCycles(), r.stallCycles(), r.stallShare(),
                r.bytesRead(), r.bytesWritten(), r.bandwidthGBps(), r.rowHitRate(),
                r.rowHits(), r.rowMisses(), r.rowConflicts(), r.timeUs());
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
