package org.colsparse.cli;

import org.colsparse.catalog.Catalog;
import org.colsparse.denoiser.ConditionInput;
import org.colsparse.denoiser.Preset;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.Workload;
import org.colsparse.denoiser.DenoiserInfo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Lists the built-in workloads. */
@Command(name = "workloads", mixinStandardHelpOptions = true,
        description = "List built-in workloads: group, modality, GELU sites per call, default checkpoint and sampler.")
public final class WorkloadsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--preset", defaultValue = "tiny", paramLabel = "PRESET",
            description = "tiny: the shipped models; full: the full-size architectures that run with a user's official checkpoint (default: ${DEFAULT-VALUE})")
    Preset preset;

    @Option(names = "--format", paramLabel = "FORMAT", description = "table, json or csv (default: ${DEFAULT-VALUE})", defaultValue = "table")
    OutputFormat format;

    /** One workload as printed: its description plus whether the checkpoint is on disk. */
    record Entry(DenoiserInfo workload, String checkpointPath, boolean checkpointPresent) {
    }

    /** A full-size runtime: what checkpoint it reads and which conditioning files it takes. */
    record FullEntry(DenoiserInfo workload, List<ConditionInput> conditions) {
    }

    @Override
    public void run() {
        if (preset == Preset.full) {
            printFull();
            return;
        }
        List<Entry> entries = new ArrayList<>();
        for (Workload w : Catalog.shipped()) {
            DenoiserInfo i = w.info();
            var path = Workload.home().resolve(i.checkpoint());
            entries.add(new Entry(i, path.toString(), Files.isRegularFile(path)));
        }
        var out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("workloads", entries);
            Json.print(out, doc);
            return;
        }
        Table t = new Table(List.of("id", "group", "modality", "gelu", "sites", "site_channels", "checkpoint", "present", "sampler"));
        for (Entry e : entries) {
            DenoiserInfo i = e.workload();
            String channels = i.sites().stream().map(s -> Integer.toString(s.channels())).collect(Collectors.joining("/"));
            t.add(List.of(i.id(), i.group().cliName(), i.modality().cliName(), i.geluForm(), i.sites().size(), channels, i.checkpoint(),
                    e.checkpointPresent() ? "yes" : "no", i.sampler() + "; default " + i.defaultSamples() + " samples x "
                            + i.defaultSteps() + " steps"));
        }
        t.print(out, format);
        if (format == OutputFormat.table) {
            for (Entry e : entries) {
                out.println();
                out.println(e.workload().id() + ": " + e.workload().description());
                for (SiteSpec s : e.workload().sites()) {
                    out.printf("  %-16s %-10s %5d channels, %d rows per sample per call%n", s.name(), s.role().cliName(), s.channels(), s.rowsPerSample());
                }
            }
            out.flush();
        }
    }

    private void printFull() {
        var out = spec.commandLine().getOut();
        List<FullEntry> entries = new ArrayList<>();
        for (Workload w : Catalog.full()) {
            entries.add(new FullEntry(w.info(), w.conditions()));
        }
        if (format == OutputFormat.json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("workloads", entries);
            Json.print(out, doc);
            return;
        }
        Table t = new Table(List.of("id", "group", "modality", "gelu", "sites", "checkpoint", "conditioning", "sampler"));
        for (FullEntry e : entries) {
            DenoiserInfo i = e.workload();
            String cond = e.conditions().stream().map(c -> c.name() + " " + c.shape() + (c.required() ? "" : " (optional)"))
                    .collect(Collectors.joining("; "));
            t.add(List.of(i.id(), i.group().cliName(), i.modality().cliName(), i.geluForm(), i.sites().size(), i.checkpoint(), cond.isEmpty() ? "-" : cond,
                    i.sampler() + "; default " + i.defaultSamples() + " samples x " + i.defaultSteps() + " steps"));
        }
        t.print(out, format);
        if (format == OutputFormat.table) {
            for (FullEntry e : entries) {
                out.println();
                out.println(e.workload().id() + " (full): " + e.workload().description());
                for (ConditionInput c : e.conditions()) {
                    out.printf("  --cond %s=FILE  %s%s: %s%n", c.name(), c.shape(), c.required() ? "" : ", optional", c.description());
                }
            }
            out.flush();
        }
    }
}
