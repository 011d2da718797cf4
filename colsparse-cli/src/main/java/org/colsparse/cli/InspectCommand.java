package org.colsparse.cli;

import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.tensor.Tensors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Lists the tensors of checkpoint and array files, with a float64 sum of each to compare against other tools. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List the tensors in .npy, .npz, .safetensors and PyTorch zip (.pt/.pth/.ckpt) files: name,"
                + " dtype, shape, element count and the sum of all elements (float64, added in C order). Nested"
                + " checkpoint dicts appear as dotted names (state_dict.fc.weight). PyTorch files are read by a"
                + " restricted unpickler that refuses anything but tensors and plain containers.")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "tensor files to list")
    List<Path> files;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table, json or csv (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Spec
    CommandSpec spec;

    /** One tensor; {@code sum} is in double precision, elements added one by one in logical C order. */
    public record TensorRow(String name, String dtype, long[] shape, long elements, double sum) {
    }

    public record FileReport(String file, List<TensorRow> tensors) {
    }

    public record Report(List<FileReport> files) {
    }

    @Override
    public Integer call() {
        for (Path f : files) {
            OptionRules.inputFile(null, f);
        }
        List<FileReport> reports = new ArrayList<>();
        for (Path p : files) {
            try (TensorSource src = TensorSources.open(p)) {
                List<TensorRow> rows = new ArrayList<>();
                for (TensorInfo t : src.tensors()) {
                    rows.add(new TensorRow(t.name(), t.dtype().name(), t.shape(), t.elementCount(), Tensors.sum(src.data(t.name()))));
                }
                reports.add(new FileReport(src.file(), rows));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            Json.print(out, new Report(reports));
            return 0;
        }
        Table table = new Table(List.of("file", "name", "dtype", "shape", "elements", "sum"));
        for (FileReport f : reports) {
            for (TensorRow r : f.tensors()) {
                table.add(List.of(f.file(), r.name(), r.dtype(), shape(r.shape()), r.elements(), Double.toString(r.sum())));
            }
        }
        table.print(out, format);
        return 0;
    }

    /** "32x96", or "scalar" for rank 0: no commas, so CSV cells stay unquoted. */
    private static String shape(long[] shape) {
        if (shape.length == 0) {
            return "scalar";
        }
        StringBuilder sb = new StringBuilder();
        for (long d : shape) {
            sb.append(sb.length() == 0 ? "" : "x").append(d);
        }
        return sb.toString();
    }
}
