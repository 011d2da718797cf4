package org.colsparse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.colsparse.systolic.ActivationMask;
import org.colsparse.systolic.ArrayShape;
import org.colsparse.systolic.CycleModel;
import org.colsparse.systolic.Dataflow;
import org.colsparse.systolic.GemmEstimate;
import org.colsparse.systolic.Topology;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = {"Analytic compute cycles of GEMMs on an R x C systolic array, dense and with column skipping.",
                "Dense counts equal SCALE-Sim v2's Total Cycles; with a GELU activation mask,",
                "also the cycles with column skipping (only GEMMs with a mask skip). See docs/simulator.md."})
public final class GemmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--m", description = "Rows of the activation A (tokens).")
    Long m;
    @Option(names = "--n", description = "Columns of the weight W (output channels).")
    Long n;
    @Option(names = "--k", description = "Shared dimension (input channels).")
    Long k;
    @Option(names = "--name", defaultValue = "gemm", description = "Layer name of a single GEMM (default: ${DEFAULT-VALUE}).")
    String name;
    @Option(names = "--topology", description = "SCALE-Sim topology CSV: GEMM (Layer, M, N, K) or conv (Layer name, IFMAP Height, ...).")
    Path topology;
    @Option(names = "--array", defaultValue = "128x128", description = "Array ROWSxCOLS (default: ${DEFAULT-VALUE}).")
    String array;
    @Option(names = "--dataflow", defaultValue = "os", description = "os, ws or is (default: ${DEFAULT-VALUE}).")
    String dataflow;
    @Option(names = "--mask", description = "Activation A of the GEMM (.npy etc., channel-last, M x K after flattening) for column skipping.")
    Path mask;
    @Option(names = "--mask-dir", description = "Folder of masks named <layer>.npy; layers with a mask skip columns, the others run dense.")
    Path maskDir;
    @Option(names = "--threshold", defaultValue = "0.01", description = "Near-zero threshold tau, |a| <= tau (default: ${DEFAULT-VALUE}).")
    double threshold;
    @Option(names = "--format", defaultValue = "table", description = "table, json or csv (default: ${DEFAULT-VALUE}).")
    OutputFormat format;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Layer(String name, long m, long n, long k, long instances, int rows, int cols, String dataflow,
                 long computeCycles, Long skippedComputeCycles, Double cycleReduction, String skipUnit) {
    }

    /**
     * Whole-topology totals. {@code cycleReduction} is over all GEMMs (only those with a mask skip);
     * {@code consumerCycleReduction} is over the GEMMs with a mask alone (DESIGN §2 asks for both).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Total(long layers, long computeCycles, Long skippedComputeCycles, Double cycleReduction,
                 Long consumerLayers, Long consumerComputeCycles, Long consumerSkippedComputeCycles, Double consumerCycleReduction,
                 Double threshold) {
    }

    record Result(List<Layer> layers, Total total) {
    }

    @Override
    public Integer call() {
        ArrayShape shape = ArrayShape.parse(array, "--array");
        Dataflow df = Dataflow.parse(dataflow, "--dataflow");
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new InputException("--threshold: must be a finite number >= 0, got " + threshold);
        }
        if (mask != null && maskDir != null) {
            throw new InputException("--mask and --mask-dir: give one of them");
        }
        List<GemmEstimate> estimates = new ArrayList<>();
        if (topology != null) {
            if (m != null || n != null || k != null) {
                throw new InputException("--topology: give either a topology or --m/--n/--k, not both");
            }
            if (mask != null) {
                throw new InputException("--mask: with --topology, name masks per layer with --mask-dir DIR (DIR/<layer>.npy)");
            }
            for (Gemm g : Topology.read(topology)) {
                Path mf = maskDir == null ? null : layerMask(maskDir, g.name());
                estimates.add(estimate(g, shape, df, mf));
            }
        } else {
            Path mf = mask != null ? mask : maskDir != null ? layerMask(maskDir, name) : null;
            ActivationMask am = mf == null ? null : readMask(mf, threshold);
            long mm = dim(m, am == null ? null : (long) am.m(), "--m");
            long kk = dim(k, am == null ? null : (long) am.k(), "--k");
            if (n == null) {
                throw new InputException("--n: missing (give --m --n --k, or --topology FILE)");
            }
            if (am != null && (am.m() != mm || am.k() != kk)) {
                throw new InputException(mf + ": mask is " + am.m() + " x " + am.k() + " (tokens x channels) but the GEMM's A is --m " + mm + " x --k " + kk);
            }
            Gemm g = new Gemm(name, mm, positive(n, "--n"), kk, 1, am == null ? "" : mf.toString());
            estimates.add(checked(g, () -> am == null ? GemmEstimate.dense(g, shape, df) : GemmEstimate.withMask(g, shape, df, am)));
        }
        print(spec.commandLine().getOut(), estimates);
        return 0;
    }

    /** The estimate, or a bad-input error when its cycle count overflows a long (absurd dimensions). */
    private static GemmEstimate checked(Gemm g, Supplier<GemmEstimate> estimate) {
        try {
            return estimate.get();
        } catch (ArithmeticException e) {
            throw tooLarge(g);
        }
    }

    private static InputException tooLarge(Gemm g) {
        return new InputException("layer " + g.name() + " (m " + g.m() + ", n " + g.n() + ", k " + g.k()
                + (g.instances() > 1 ? ", " + g.instances() + " instances" : "") + "): too large, its cycle count exceeds 2^63");
    }

    private GemmEstimate estimate(Gemm g, ArrayShape shape, Dataflow df, Path maskFile) {
        if (maskFile == null) {
            return checked(g, () -> GemmEstimate.dense(g, shape, df));
        }
        ActivationMask am = readMask(maskFile, threshold);
        if (am.m() != g.m() || am.k() != g.k()) {
            throw new InputException(maskFile + ": mask is " + am.m() + " x " + am.k() + " (tokens x channels) but layer " + g.name() + " has M " + g.m() + " x K " + g.k());
        }
        Gemm consumer = new Gemm(g.name(), g.m(), g.n(), g.k(), g.instances(), maskFile.toString());
        return checked(g, () -> GemmEstimate.withMask(consumer, shape, df, am));
    }

    private static Path layerMask(Path dir, String layer) {
        if (!Files.isDirectory(dir)) {
            throw new InputException("--mask-dir " + dir + ": not a directory");
        }
        Path p = dir.resolve(layer + ".npy");
        return Files.isRegularFile(p) ? p : null;
    }

    /** Reads the one tensor of a mask file into a column mask at threshold tau. */
    static ActivationMask readMask(Path file, double tau) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + ": is a directory, not a mask file");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": mask file not found");
        }
        try (TensorSource src = TensorSources.open(file)) {
            List<TensorInfo> ts = src.tensors();
            if (ts.size() != 1) {
                throw new InputException(file + ": holds " + ts.size() + " tensors; a mask file must hold exactly one activation");
            }
            return ActivationMask.of(src.data(ts.get(0).name()), tau, file.toString());
        }
    }

    private static long dim(Long given, Long fromMask, String opt) {
        if (given != null) {
            return positive(given, opt);
        }
        if (fromMask != null) {
            return fromMask;
        }
        throw new InputException(opt + ": missing (give --m --n --k, or --topology FILE)");
    }

    private static long positive(long v, String opt) {
        if (v <= 0) {
            throw new InputException(opt + ": must be a positive integer, got " + v);
        }
        return v;
    }

    private void print(PrintWriter out, List<GemmEstimate> es) {
        List<Layer> layers = new ArrayList<>();
        long dense = 0;
        long effective = 0;
        long consumers = 0;
        long consumerDense = 0;
        long consumerSkipped = 0;
        for (GemmEstimate e : es) {
            Gemm g = e.gemm();
            layers.add(new Layer(g.name(), g.m(), g.n(), g.k(), g.instances(), e.array().rows(), e.array().cols(), e.dataflow().cliName(),
                    e.denseCycles(), e.skipped() ? e.skippedCycles() : null, e.skipped() ? e.cycleReduction() : null,
                    e.skipped() ? CycleModel.skipUnit(e.dataflow(), e.array()) : null));
            try {
                dense = Math.addExact(dense, e.denseCycles());
                effective = Math.addExact(effective, e.effectiveCycles());
                if (e.skipped()) {
                    consumers++;
                    consumerDense = Math.addExact(consumerDense, e.denseCycles());
                    consumerSkipped = Math.addExact(consumerSkipped, e.skippedCycles());
                }
            } catch (ArithmeticException overflow) {
                throw tooLarge(g);
            }
        }
        boolean any = consumers > 0;
        Total total = new Total(es.size(), dense, any ? effective : null, any ? 1.0 - (double) effective / dense : null,
                any ? consumers : null, any ? consumerDense : null, any ? consumerSkipped : null,
                any ? (consumerDense == 0 ? 0.0 : 1.0 - (double) consumerSkipped / consumerDense) : null, any ? threshold : null);
        if (format == OutputFormat.json) {
            Json.print(out, new Result(layers, total));
            return;
        }
        List<String> header = new ArrayList<>(List.of("layer", "m", "n", "k", "instances", "array", "dataflow", "compute_cycles"));
        if (any) {
            header.addAll(List.of("skipped_compute_cycles", "cycle_reduction"));
        }
        // the table names the skip unit and tau in its footer; CSV rows must carry them (DESIGN §2)
        boolean unitColumns = any && format == OutputFormat.csv;
        if (unitColumns) {
            header.addAll(List.of("skip_unit", "threshold"));
        }
        Table t = new Table(header);
        for (Layer l : layers) {
            List<Object> row = new ArrayList<>(List.of(l.name(), l.m(), l.n(), l.k(), l.instances(), l.rows() + "x" + l.cols(), l.dataflow(), l.computeCycles()));
            if (any) {
                row.add(l.skippedComputeCycles() == null ? "" : l.skippedComputeCycles());
                row.add(l.cycleReduction() == null ? "" : pct(l.cycleReduction()));
            }
            if (unitColumns) {
                row.add(l.skipUnit() == null ? "" : l.skipUnit());
                row.add(l.skipUnit() == null ? "" : threshold);
            }
            t.add(row);
        }
        if (format == OutputFormat.table) {
            List<Object> row = new ArrayList<>(List.of("TOTAL", "", "", "", "", "", "", dense));
            if (any) {
                row.add(effective);
                row.add(pct(total.cycleReduction()));
            }
            t.add(row);
        }
        t.print(out, format);
        if (format == OutputFormat.table && any) {
            out.printf("cycle reduction: %s over the %d mask-consuming GEMM(s), %s over all %d GEMMs (only consumers skip)%n",
                    pct(total.consumerCycleReduction()), consumers, pct(total.cycleReduction()), es.size());
            out.printf("skipped unit: %s; near zero: |a| <= %s%n", CycleModel.skipUnit(es.get(0).dataflow(), es.get(0).array()), threshold);
            out.flush();
        }
    }

    private String pct(double f) {
        return format == OutputFormat.csv ? String.format(Locale.ROOT, "%.6f", f) : String.format(Locale.ROOT, "%.2f%%", 100 * f);
    }
}
