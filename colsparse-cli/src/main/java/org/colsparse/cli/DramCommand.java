package org.colsparse.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.colsparse.dram.DramConfig;
import org.colsparse.dram.DramConfigLoader;
import org.colsparse.dram.DramStats;
import org.colsparse.dram.MemorySystem;
import org.colsparse.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code colsparse dram}: replays a Ramulator LoadStoreTrace through a command-level DRAM model (GDDR6 by default). */
@Command(name = "dram", mixinStandardHelpOptions = true,
        description = {"Replay a Ramulator 2 LoadStoreTrace through the command-level DRAM model.",
            "GDDR6 by default; --preset ramulator2-hbm3, ramulator2-hbm2 or ramulator2-ddr5 for the others.",
            "The trace has one 32-byte request a line (LD/ST 0xADDR), read as Ramulator 2.1's",
            "LoadStoreTrace frontend does. cycles: memory cycles until the last request",
            "is accepted (Ramulator's count); drain_cycles: until it completes."})
public final class DramCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--trace", required = true, paramLabel = "FILE", description = "the LoadStoreTrace file")
    Path trace;

    @Option(names = "--preset", defaultValue = DramConfig.RAMULATOR2_GDDR6, paramLabel = "PRESET",
            description = "built-in configuration (default: ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--config", paramLabel = "FILE",
            description = "DRAM YAML (config/dram/*.yaml); its keys override the preset")
    Path config;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table, json or csv (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Option(names = "--bench", description = "also print the simulation's wall and CPU seconds to stderr (the trace is parsed beside it, on a second thread)")
    boolean bench;

    @Override
    public Integer call() {
        OptionRules.inputFile("--trace", trace);
        OptionRules.inputFile("--config", config);
        DramConfig cfg;
        try {
            cfg = DramConfig.preset(preset);
        } catch (IllegalArgumentException e) {
            throw new InputException("--preset: " + e.getMessage());
        }
        if (config != null) {
            cfg = DramConfigLoader.load(config, cfg);
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        DramStats s = MemorySystem.replay(cfg, trace);
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        if (s.requests() == 0) {
            // an all-zero result would look like a measurement
            throw new InputException(trace + ": trace holds no requests (expected lines 'LD 0xADDR' or 'ST 0xADDR')");
        }
        if (bench) {
            spec.commandLine().getErr().printf(Locale.ROOT, "wall_seconds: %.4f%ncpu_seconds: %.4f%n", secs, cpu);
            spec.commandLine().getErr().flush();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            writeJson(out, s);
            return 0;
        }
        Table t = new Table(List.of("metric", "value"));
        t.add(List.of("config", s.config()));
        t.add(List.of("channels", s.channels()));
        t.add(List.of("requests", s.requests()));
        t.add(List.of("reads", s.reads()));
        t.add(List.of("writes", s.writes()));
        t.add(List.of("cycles", s.cycles()));
        t.add(List.of("drain_cycles", s.drainCycles()));
        t.add(List.of("row_hits", s.rowHits()));
        t.add(List.of("row_misses", s.rowMisses()));
        t.add(List.of("row_conflicts", s.rowConflicts()));
        t.add(List.of("row_hit_rate", String.format(Locale.ROOT, "%.4f", s.rowHitRate())));
        t.add(List.of("avg_read_latency", String.format(Locale.ROOT, "%.2f", s.avgReadLatency())));
        t.add(List.of("bandwidth_gbps", String.format(Locale.ROOT, "%.3f", s.bandwidthGbps())));
        t.add(List.of("activates", s.activates()));
        t.add(List.of("refreshes", s.refreshes()));
        t.add(List.of("forwarded_reads", s.forwardedReads()));
        t.add(List.of("coalesced_writes", s.coalescedWrites()));
        t.print(out, format);
        return 0;
    }

    /**
     * The JSON {@code Json.print} writes for these records (same keys, order and layout), through
     * the streaming generator: building Jackson's object mapper costs a short replay more than
     * writing (about 50 ms).
     */
    static void writeJson(PrintWriter out, DramStats s) {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("config", s.config());
            g.writeNumberField("channels", s.channels());
            g.writeNumberField("tx_bytes", s.txBytes());
            g.writeNumberField("tck_ps", s.tckPs());
            g.writeNumberField("requests", s.requests());
            g.writeNumberField("reads", s.reads());
            g.writeNumberField("writes", s.writes());
            g.writeNumberField("cycles", s.cycles());
            g.writeNumberField("drain_cycles", s.drainCycles());
            g.writeNumberField("row_hits", s.rowHits());
            g.writeNumberField("row_misses", s.rowMisses());
            g.writeNumberField("row_conflicts", s.rowConflicts());
            g.writeNumberField("row_hit_rate", s.rowHitRate());
            g.writeNumberField("avg_read_latency", s.avgReadLatency());
            g.writeNumberField("bandwidth_gbps", s.bandwidthGbps());
            g.writeNumberField("forwarded_reads", s.forwardedReads());
            g.writeNumberField("coalesced_writes", s.coalescedWrites());
            g.writeNumberField("activates", s.activates());
            g.writeNumberField("precharges", s.precharges());
            g.writeNumberField("refreshes", s.refreshes());
            DramStats.AcceptSnapshot a = s.atLastAccept();
            if (a == null) {
                g.writeNullField("at_last_accept");
            } else {
                g.writeObjectFieldStart("at_last_accept");
                g.writeNumberField("cycles", a.cycles());
                g.writeNumberField("row_hits", a.rowHits());
                g.writeNumberField("row_misses", a.rowMisses());
                g.writeNumberField("row_conflicts", a.rowConflicts());
                g.writeNumberField("reads_served", a.readsServed());
                g.writeNumberField("writes_served", a.writesServed());
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
        out.flush();
    }
}
