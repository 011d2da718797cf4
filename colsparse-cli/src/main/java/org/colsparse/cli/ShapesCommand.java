package org.colsparse.cli;

import org.colsparse.util.InputException;
import org.colsparse.catalog.Catalog;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.Gemm;
import org.colsparse.workload.GeluSite;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code colsparse shapes}: every GEMM of one full-size denoiser call of a built-in workload. */
@Command(name = "shapes", mixinStandardHelpOptions = true,
        description = {"Every GEMM of one full-size denoiser call of a workload, with the GELU site it consumes.",
                "GEMMs are A (m x k) times W (k x n); FFN down-projections name the GELU site they consume;",
                "totals count GEMMs, MACs, parameters and GELU sites.",
                "The default batch is the classifier-free-guidance pair (conditional + unconditional) as one GEMM."})
public final class ShapesCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--workload", paramLabel = "ID",
            description = "sd15, audioldm, animatediff, dit, mdm, mld or edge, one per run (or --model with --model-card)")
    String workload;

    @CommandLine.Mixin
    ModelOptions modelOptions = new ModelOptions();

    @Option(names = "--threads", paramLabel = "N", description = "with --model: ONNX Runtime intra-op threads (default: ${DEFAULT-VALUE})", defaultValue = "1")
    int threads;

    @Option(names = "--preset", defaultValue = "full", paramLabel = "PRESET",
            description = "full: the real model's layer shapes, the only preset (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--batch", defaultValue = "2", paramLabel = "N",
            description = "batch entries per denoiser call (default: ${DEFAULT-VALUE}, the CFG pair; 1 = one unguided sample)")
    int batch;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table, json or csv (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    /** One GEMM as printed: dimensions in the m, k, n order a reader of A (m x k) and W (k x n) expects. */
    record GemmRow(String name, long m, long k, long n, long instances, String consumesSite, long macs) {
    }

    record Totals(int gemms, long macs, long consumerMacs, long parameters, int geluSites) {
    }

    record Shapes(String workload, String preset, int batch, String config, List<GemmRow> gemms, List<GeluSite> sites, Totals totals) {
    }

    @Override
    public void run() {
        if (!"full".equals(preset)) {
            throw new InputException("--preset: unknown preset '" + preset + "' for shapes (known: full)");
        }
        org.colsparse.onnx.OnnxWorkload.Files onnx = modelOptions.files(spec);
        if (onnx == null && workload == null) {
            throw new InputException("--workload: name a workload (--workload ID, or --model FILE.onnx --model-card CARD.yaml)");
        }
        FullPreset p = onnx != null ? measured(onnx) : Catalog.shapes(workload, batch);
        List<GemmRow> rows = new ArrayList<>();
        for (Gemm g : p.gemms()) {
            rows.add(new GemmRow(g.name(), g.m(), g.k(), g.n(), g.instances(), g.consumesSite(), g.macs()));
        }
        Totals totals = new Totals(rows.size(), p.macs(), p.consumerMacs(), p.parameters(), p.sites().size());
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case json -> Json.print(out, new Shapes(p.workload(), onnx != null ? "onnx" : preset, batch, p.config(), rows, p.sites(), totals));
            case csv -> gemmTable(rows).print(out, OutputFormat.csv);
            default -> {
                out.println(p.config());
                gemmTable(rows).print(out, OutputFormat.table);
                out.println();
                Table t = new Table(List.of("total", "value"));
                t.add(List.of("gemms", totals.gemms()));
                t.add(List.of("macs", totals.macs()));
                t.add(List.of("consumer_macs", totals.consumerMacs()));
                t.add(List.of("parameters", totals.parameters()));
                t.add(List.of("gelu_sites", totals.geluSites()));
                t.print(out, OutputFormat.table);
            }
        }
        out.flush();
    }

    /**
     * The GEMMs of one call of an ONNX graph, measured on the card's input shapes (its batch is the
     * card's: a classifier-free-guidance pair when the card batches one); sites with the rows of that call.
     */
    private FullPreset measured(org.colsparse.onnx.OnnxWorkload.Files files) {
        // --preset never gets here: ModelOptions.files has refused it beside --model
        if (spec.commandLine().getParseResult().hasMatchedOption("--batch")) {
            throw new InputException("--batch: not for an ONNX workload (--model): one call is the card's inputs.sample.shape");
        }
        org.colsparse.onnx.OnnxWorkload w = ModelOptions.open(files, threads);
        batch = Math.toIntExact(w.card().sample().shape()[0]);
        List<Gemm> gemms = w.gemms().stream().map(org.colsparse.runtime.GemmRecorder.Op::gemm).toList();
        List<GeluSite> sites = new ArrayList<>();
        for (org.colsparse.denoiser.SiteSpec s : w.info().sites()) {
            sites.add(new GeluSite(s.name(), s.rowsPerSample() * batch, s.channels(), s.rowsPerSample()));
        }
        return new FullPreset(w.info().id(), "ONNX graph " + files.model() + " (card " + files.card() + "), one call of batch " + batch
                + " as measured on the card's input shapes", gemms, sites, w.parameters());
    }

    private static Table gemmTable(List<GemmRow> rows) {
        Table t = new Table(List.of("name", "m", "k", "n", "instances", "consumes_site", "macs"));
        for (GemmRow r : rows) {
            t.add(List.of(r.name(), r.m(), r.k(), r.n(), r.instances(), r.consumesSite(), r.macs()));
        }
        return t;
    }
}
