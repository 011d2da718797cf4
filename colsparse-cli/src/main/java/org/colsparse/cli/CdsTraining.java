package org.colsparse.cli;

import org.colsparse.tensor.NpyWriter;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The run the launcher records its class-data-sharing class list from, right after a build.
 *
 * <p>The archive holds the classes one JVM run loaded. Recorded from whatever command happened to
 * run first, it missed the classes of every other one (an archive made by {@code workloads} lacks
 * the readers and the sparsity kernel, which {@code analyze} then loads from the jars on every
 * run). This run loads what the quick commands need: the full command tree, the readers, the
 * sparsity kernel, the DRAM model and the JSON, table and CSV writers. Its output is discarded.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("colsparse-cds");
        try {
            Path npy = dir.resolve("site.npy");
            float[] data = new float[64 * 256];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) Math.sin(i * 0.37) * 0.05f;
            }
            NpyWriter.write(npy, new long[] {64, 256}, data);
            String f = npy.toString();
            Path trace = dir.resolve("t.trace");
            Files.writeString(trace, "LD 0x0\nST 0x1000\nLD 0x20\n");
            List<String[]> runs = List.of(
                    new String[] {"--help"},
                    new String[] {"analyze", f, "--format", "json", "--sweep", "--tile-rows", "8", "--tile-rows", "32"},
                    new String[] {"analyze", f},
                    new String[] {"analyze", f, "--format", "csv"},
                    new String[] {"inspect", f, "--format", "json"},
                    new String[] {"workloads"},
                    new String[] {"shapes", "--workload", "dit", "--format", "json"},
                    new String[] {"gemm", "--m", "64", "--k", "64", "--n", "64"},
                    new String[] {"dram", "--trace", trace.toString(), "--format", "json"},
                    new String[] {"dram", "--trace", trace.toString()});
            for (String[] run : runs) {
                PrintWriter sink = new PrintWriter(Writer.nullWriter());
                Main.commandLine(run[0]).setOut(sink).setErr(sink).execute(run);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }
}
