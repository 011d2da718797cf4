package org.colsparse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.colsparse.pipeline.EstimateStage;
import org.colsparse.systolic.ArrayShape;
import org.colsparse.systolic.CycleModel;
import org.colsparse.systolic.Dataflow;
import org.colsparse.systolic.GemmEstimate;
import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
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

    @Mixin
    GemmInputs inputs = new GemmInputs();
    @Option(names = "--array", defaultValue = "128x128", paramLabel = "ROWSxCOLS", description = "the array's rows x columns (default: ${DEFAULT-VALUE})")
    String array;
    @Option(names = "--dataflow", defaultValue = "os", paramLabel = "DATAFLOW", description = "os, ws or is (default: ${DEFAULT-VALUE})")
    String dataflow;
    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table, json or csv (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Layer(String name, long m, long n, long k, long instances, int rows, int cols, String dataflow,
                 long computeCycles, Long cyclesWithSkipping, Long cyclesSaved, Double cycleReduction, String skipUnit) {
    }

    /**
     * Whole-topology totals. {@code cycleReduction} is over all GEMMs (only those with a mask skip);
     * {@code consumerCycleReduction} is over the GEMMs with a mask alone (docs/definitions.md asks for both).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Total(long layers, long computeCycles, Long cyclesWithSkipping, Long cyclesSaved, Double cycleReduction,
                 Long consumerLayers, Long consumerComputeCycles, Long consumerCyclesWithSkipping, Double consumerCycleReduction,
                 Double threshold) {
    }

    record Result(List<Layer> layers, Total total) {
    }

    @Override
    public Integer call() {
        ArrayShape shape = ArrayShape.parse(array, "--array");
        Dataflow df = Dataflow.parse(dataflow, "--dataflow");
        GemmInputs.Layers layers = inputs.resolve();
        List<GemmEstimate> estimates = new ArrayList<>();
        for (Gemm g : layers.gemms()) {
            GemmInputs.LayerMask lm = layers.masks().get(g.name());
            // a masked layer is named by its mask file as the GELU site it consumes
            Gemm consumer = lm == null ? g : new Gemm(g.name(), g.m(), g.n(), g.k(), g.instances(), lm.file().toString());
            estimates.add(checked(g, () -> EstimateStage.of(consumer, shape, df, lm == null ? null : lm.mask())));
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
                    e.denseCycles(), e.skipped() ? e.skippedCycles() : null, e.skipped() ? e.denseCycles() - e.skippedCycles() : null,
                    e.skipped() ? e.cycleReduction() : null,
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
        Total total = new Total(es.size(), dense, any ? effective : null, any ? dense - effective : null, any ? 1.0 - (double) effective / dense : null,
                any ? consumers : null, any ? consumerDense : null, any ? consumerSkipped : null,
                any ? (consumerDense == 0 ? 0.0 : 1.0 - (double) consumerSkipped / consumerDense) : null, any ? inputs.threshold : null);
        if (format == OutputFormat.json) {
            Json.print(out, new Result(layers, total));
            return;
        }
        List<String> header = new ArrayList<>(List.of("layer", "m", "n", "k", "instances", "array", "dataflow", "compute_cycles"));
        if (any) {
            header.addAll(List.of("cycles_with_skipping", "cycles_saved", "cycle_reduction"));
        }
        // the table names the skip unit and tau in its footer; CSV rows must carry them (docs/definitions.md)
        boolean unitColumns = any && format == OutputFormat.csv;
        if (unitColumns) {
            header.addAll(List.of("skip_unit", "threshold"));
        }
        Table t = new Table(header);
        for (Layer l : layers) {
            List<Object> row = new ArrayList<>(List.of(l.name(), l.m(), l.n(), l.k(), l.instances(), l.rows() + "x" + l.cols(), l.dataflow(), l.computeCycles()));
            if (any) {
                row.add(l.cyclesWithSkipping() == null ? "" : l.cyclesWithSkipping());
                row.add(l.cyclesSaved() == null ? "" : l.cyclesSaved());
                row.add(l.cycleReduction() == null ? "" : pct(l.cycleReduction()));
            }
            if (unitColumns) {
                row.add(l.skipUnit() == null ? "" : l.skipUnit());
                row.add(l.skipUnit() == null ? "" : inputs.threshold);
            }
            t.add(row);
        }
        if (format == OutputFormat.table) {
            List<Object> row = new ArrayList<>(List.of("TOTAL", "", "", "", "", "", "", dense));
            if (any) {
                row.add(effective);
                row.add(dense - effective);
                row.add(pct(total.cycleReduction()));
            }
            t.add(row);
        }
        t.print(out, format);
        if (format == OutputFormat.table && any) {
            out.printf("cycle reduction: %s over the %d mask-consuming GEMM(s), %s over all %d GEMMs (only consumers skip)%n",
                    pct(total.consumerCycleReduction()), consumers, pct(total.cycleReduction()), es.size());
            out.printf("skipped unit: %s; near zero: |a| <= %s%n", CycleModel.skipUnit(es.get(0).dataflow(), es.get(0).array()), inputs.threshold);
            out.flush();
        }
    }

    private String pct(double f) {
        return format == OutputFormat.csv ? String.format(Locale.ROOT, "%.6f", f) : String.format(Locale.ROOT, "%.2f%%", 100 * f);
    }
}
