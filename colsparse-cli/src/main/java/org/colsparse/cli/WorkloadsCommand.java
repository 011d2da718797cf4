package org.colsparse.cli;

import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.Workload;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.denoiser.Denoisers;
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

    @Option(names = "--format", description = "table, json or csv (default: ${DEFAULT-VALUE})", defaultValue = "table")
    OutputFormat format;

    /** One workload as printed: its description plus whether the checkpoint is on disk. */
    record Entry(DenoiserInfo workload, String checkpointPath, boolean checkpointPresent) {
    }

    @Override
    public void run() {
        List<Entry> entries = new ArrayList<>();
        for (Workload w : Denoisers.all()) {
            DenoiserInfo i = w.info();
            var path = Denoisers.home().resolve(i.checkpoint());
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
            t.add(List.of(i.id(), i.group(), i.modality(), i.geluForm(), i.sites().size(), channels, i.checkpoint(),
                    e.checkpointPresent() ? "yes" : "no", i.sampler() + "; default " + i.defaultSamples() + " samples x "
                            + i.defaultSteps() + " steps"));
        }
        t.print(out, format);
        if (format == OutputFormat.table) {
            for (Entry e : entries) {
                out.println();
                out.println(e.workload().id() + ": " + e.workload().description());
                for (SiteSpec s : e.workload().sites()) {
                    out.printf("  %-16s %-10s %5d channels, %d rows per sample per call%n", s.name(), s.role(), s.channels(), s.rowsPerSample());
                }
            }
            out.flush();
        }
    }
}
