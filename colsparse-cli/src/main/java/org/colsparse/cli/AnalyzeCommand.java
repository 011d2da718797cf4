package org.colsparse.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sparsity.SiteAccumulator;
import org.colsparse.sparsity.SiteStats;
import org.colsparse.sparsity.TensorScan;
import org.colsparse.sparsity.WorkloadTotals;
import org.colsparse.taxonomy.Taxonomy;
import org.colsparse.taxonomy.TaxonomyRule;
import org.colsparse.taxonomy.TaxonomyVerdict;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.Decimal;
import org.colsparse.util.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** Element- vs column-level sparsity of stored activations (docs/definitions.md), one pass for all thresholds and tile heights. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = {"Element- and column-level sparsity of stored GELU activations (.npy, .npz, .safetensors,"
                + " .pt/.pth/.ckpt). Every floating tensor is a site, viewed as an M x K matrix (K = channel axis,"
                + " M = all other axes flattened in C order); integer tensors are skipped. A column is one channel"
                + " within a tile of R consecutive rows; it is zero when every element has |a| <= tau. One pass"
                + " serves every --threshold x --tile-rows pair.",
                "Per site: element and column sparsity, gap (pp), the independence baseline s^R, per-channel"
                + " activity with its Gini coefficient, top-10%% share and dead channels, and the taxonomy verdict"
                + " (token-limited / inconclusive / concentration / dispersion) with its evidence."})
public final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "activation files")
    List<Path> files;

    @Option(names = "--site", paramLabel = "NAME",
            description = "analyze only this site (repeatable); names as printed: the tensor name, or FILE:TENSOR"
                    + " when several files are given (a .npy file's site is its file stem)")
    List<String> sites = new ArrayList<>();

    @Option(names = "--threshold", paramLabel = "TAU", split = ",",
            description = "near-zero thresholds tau, |a| <= tau, repeatable or comma-separated (default: 0.01)")
    List<Double> thresholds = new ArrayList<>();

    @Option(names = "--sweep", description = "add the standard threshold sweep 0.001 0.005 0.01 0.05 0.1")
    boolean sweep;

    @Option(names = "--tile-rows", paramLabel = "R", split = ",",
            description = "row-tile heights R (the systolic array's rows), repeatable or comma-separated (default: 128, the built-in array's rows, as in run)")
    List<Integer> tileRows = new ArrayList<>();

    @Option(names = "--channel-axis", defaultValue = "-1", paramLabel = "AXIS",
            description = "axis holding the channels K (default: ${DEFAULT-VALUE}, the last; 1 for channel-first"
                    + " conv tensors (B,C,H,W), read as (B*H*W, C))")
    int channelAxis;

    @Option(names = "--rows-per-call", paramLabel = "N",
            description = "rows of M per denoiser call: tiles restart every N rows (e.g. a dump that stacks many"
                    + " timesteps; default: the whole tensor is one call)")
    Long rowsPerCall;

    @Option(names = "--no-channel-activity", negatable = false,
            description = "leave the per-channel activity array out of the JSON output")
    boolean noChannelActivity;

    @CommandLine.Mixin
    TaxonomyOptions taxonomy = new TaxonomyOptions();

    @Option(names = "--threads", paramLabel = "N",
            description = "scan threads (default: the number of processors)")
    Integer threads;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table, json or csv (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Spec
    CommandSpec spec;

    /** The name of the workload total over all analyzed sites. */
    static final String TOTAL = "(all sites)";

    @Override
    public Integer call() {
        AnalysisConfig config = config();
        TaxonomyRule rule = taxonomy.rule();
        if (rowsPerCall != null) {
            OptionRules.positive("--rows-per-call", rowsPerCall);
        }
        TensorScan.View view;
        try {
            // 0 is the scanner's "the whole tensor is one call"
            view = new TensorScan.View(channelAxis, rowsPerCall == null ? 0 : rowsPerCall);
        } catch (IllegalArgumentException e) {
            throw new InputException("analyze: " + e.getMessage());
        }
        int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        OptionRules.positive("--threads", nThreads);
        PrintWriter err = spec.commandLine().getErr();
        for (Path f : files) {
            OptionRules.inputFile(null, f);
        }
        Set<String> wanted = new LinkedHashSet<>(sites);
        Set<String> seen = new HashSet<>();
        List<SiteStats> stats = new ArrayList<>();
        for (Path p : files) {
            try (TensorSource src = TensorSources.open(p)) {
                for (TensorInfo t : src.tensors()) {
                    String name = siteName(p, t.name());
                    if (!seen.add(name)) {
                        throw new InputException(p + ": site name '" + name + "' is used twice; rename a file");
                    }
                    if (!wanted.isEmpty() && !wanted.contains(name)) {
                        continue;
                    }
                    if (!TensorScan.analyzable(t.dtype())) {
                        err.println("colsparse: note: skipping " + name + " (" + t.dtype() + "): not floating point");
                        continue;
                    }
                    if (java.util.Arrays.stream(t.shape()).anyMatch(d -> d == 0)) {
                        throw new InputException(p + ": tensor " + t.name() + " is empty (shape " + java.util.Arrays.toString(t.shape())
                                + "): nothing to analyze");
                    }
                    SiteAccumulator acc = TensorScan.scan(name, src.data(t.name()), view, config, nThreads);
                    stats.addAll(acc.results());
                }
            }
        }
        for (String w : wanted) {
            if (!seen.contains(w)) {
                throw new InputException("--site " + w + ": no such site in the given files (sites: " + String.join(", ", seen) + ")");
            }
        }
        if (stats.isEmpty()) {
            throw new InputException("analyze: no floating-point tensor to analyze in " + files);
        }
        boolean several = stats.stream().map(SiteStats::site).distinct().count() > 1;
        List<SiteStats> totals = several ? WorkloadTotals.of(TOTAL, stats) : List.of();
        List<TaxonomyVerdict> verdicts = new ArrayList<>(Taxonomy.classifyAll(stats, rule));
        verdicts.addAll(Taxonomy.classifyAll(totals, rule));
        print(stats, totals, verdicts);
        return 0;
    }

    private AnalysisConfig config() {
        List<Double> t = new ArrayList<>(thresholds);
        if (sweep) {
            for (double d : AnalysisConfig.DEFAULT_SWEEP) {
                t.add(d);
            }
        }
        if (t.isEmpty()) {
            t.add(AnalysisConfig.PRIMARY_THRESHOLD);
        }
        OptionRules.thresholds(t);
        OptionRules.tileRows(tileRows);
        List<Integer> r = tileRows.isEmpty() ? List.of(OptionRules.defaultTileRows()) : tileRows;
        try {
            return new AnalysisConfig(t.stream().mapToDouble(Double::doubleValue).toArray(),
                    r.stream().mapToInt(Integer::intValue).toArray());
        } catch (IllegalArgumentException e) {
            throw new InputException("--threshold/--tile-rows: " + e.getMessage());
        }
    }

    /** The tensor name alone for one file; FILE:TENSOR for several, except a .npy whose only tensor is its stem. */
    private String siteName(Path file, String tensor) {
        if (files.size() == 1 || file.toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            return tensor;
        }
        return file + ":" + tensor;
    }

    private void print(List<SiteStats> stats, List<SiteStats> totals, List<TaxonomyVerdict> verdicts) {
        PrintWriter out = spec.commandLine().getOut();
        if (format == OutputFormat.json) {
            printJson(out, stats, totals, verdicts);
            return;
        }
        boolean csv = format == OutputFormat.csv;
        Table table = new Table(List.of("site", "rows", "cols", "threshold", "tile_rows", "elements", "near_zero_elements",
                "element_sparsity", "columns", "zero_columns", "column_sparsity", "gap_pp", "independence_baseline",
                "excess_over_baseline", "mean_tile_height", "gini", "top10_share", "dead_channels",
                "dead_channel_fraction", "calls", "verdict"));
        List<SiteStats> all = new ArrayList<>(stats);
        all.addAll(totals);
        for (int i = 0; i < all.size(); i++) {
            SiteStats s = all.get(i);
            // a total's rows and cols, summed over sites of different widths, would not multiply to its elements
            boolean total = i >= stats.size();
            table.add(List.of(s.site(), total ? "" : s.rows(), total ? "" : s.cols(), num(s.threshold(), csv, 6), s.tileRows(), s.elements(),
                    s.nearZeroElements(), num(s.elementSparsity(), csv, 4), s.columns(), s.zeroColumns(),
                    num(s.columnSparsity(), csv, 4), num(s.gapPp(), csv, 2), num(s.independenceBaseline(), csv, 4),
                    num(s.excessOverBaseline(), csv, 4), num(s.meanTileHeight(), csv, 2), num(s.gini(), csv, 4),
                    num(s.top10Share(), csv, 4), s.deadChannels(), num(s.deadChannelFraction(), csv, 4), s.calls(),
                    verdicts.get(i).verdict().label()));
        }
        table.print(out, format);
        if (!csv) {
            out.println();
            for (TaxonomyVerdict v : verdicts) {
                out.println(v.site() + " (tau " + num(v.threshold(), false, 6) + ", R " + v.tileRows() + "): " + v.evidence());
            }
            out.flush();
        }
    }

    /**
     * {"sites": [...], "totals": [...] (only with several sites), "taxonomy": [...]}, keys in
     * snake_case like every colsparse JSON. Written with a streaming generator rather than
     * {@link Json#print}: building Jackson's ObjectMapper costs about 0.3 s of CPU, a third of a
     * small file's whole run (see BENCHMARKS.md). Numbers go through Jackson's Schubfach writer:
     * JDK 17's Double.toString, still interpreted at this point, took 0.05-0.1 s for the per-channel
     * activity arrays (20 x 2048 values); both give a decimal that reads back as the same double.
     */
    private void printJson(PrintWriter out, List<SiteStats> stats, List<SiteStats> totals,
                           List<TaxonomyVerdict> verdicts) {
        try {
            JsonGenerator g = JsonFactory.builder().enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER).build()
                    .createGenerator(out);
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            ActivityText activity = new ActivityText();
            g.writeArrayFieldStart("sites");
            for (SiteStats s : stats) {
                writeSite(g, s, activity, 0);
            }
            g.writeEndArray();
            if (!totals.isEmpty()) {
                g.writeArrayFieldStart("totals");
                long sites = stats.stream().map(SiteStats::site).distinct().count();
                for (SiteStats s : totals) {
                    writeSite(g, s, activity, sites);
                }
                g.writeEndArray();
            }
            g.writeArrayFieldStart("taxonomy");
            for (TaxonomyVerdict v : verdicts) {
                writeVerdict(g, v);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
        out.flush();
    }

    /** One site, or with {@code totalOf} > 0 the total of that many sites: its count and channels summed instead of rows x cols. */
    private void writeSite(JsonGenerator g, SiteStats s, ActivityText activity, long totalOf) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", s.site());
        if (totalOf > 0) {
            g.writeNumberField("sites", totalOf);
            g.writeNumberField("channels", s.cols());
        } else {
            g.writeNumberField("rows", s.rows());
            g.writeNumberField("cols", s.cols());
        }
        g.writeNumberField("threshold", s.threshold());
        g.writeNumberField("tile_rows", s.tileRows());
        g.writeNumberField("elements", s.elements());
        g.writeNumberField("near_zero_elements", s.nearZeroElements());
        g.writeNumberField("element_sparsity", s.elementSparsity());
        g.writeNumberField("columns", s.columns());
        g.writeNumberField("zero_columns", s.zeroColumns());
        g.writeNumberField("column_sparsity", s.columnSparsity());
        g.writeNumberField("gap_pp", s.gapPp());
        g.writeNumberField("independence_baseline", s.independenceBaseline());
        g.writeNumberField("excess_over_baseline", s.excessOverBaseline());
        g.writeNumberField("mean_tile_height", s.meanTileHeight());
        g.writeNumberField("gini", s.gini());
        g.writeNumberField("top10_share", s.top10Share());
        g.writeNumberField("dead_channels", s.deadChannels());
        g.writeNumberField("dead_channel_fraction", s.deadChannelFraction());
        g.writeNumberField("calls", s.calls());
        if (!noChannelActivity) {
            g.writeFieldName("channel_activity");
            g.writeRawValue(activity.of(s.channelActivity()));
        }
        g.writeEndObject();
    }

    /**
     * The JSON text of each distinct per-channel activity array, as the pretty printer writes an
     * array ("[ a, b ]"). Activity depends on the threshold only, so the tile heights of one
     * threshold share it: formatting each copy (2048 doubles x 4 heights x 5 thresholds) was
     * 40 ms of a one-shot run.
     */
    private static final class ActivityText {
        private final List<double[]> arrays = new ArrayList<>();
        private final List<String> texts = new ArrayList<>();

        String of(double[] a) {
            for (int i = 0; i < arrays.size(); i++) {
                if (Arrays.equals(arrays.get(i), a)) {
                    return texts.get(i);
                }
            }
            StringBuilder sb = new StringBuilder(a.length * 20).append('[');
            for (int k = 0; k < a.length; k++) {
                sb.append(k == 0 ? " " : ", ").append(NumberOutput.toString(a[k], true));
            }
            String text = sb.append(a.length == 0 ? "]" : " ]").toString();
            arrays.add(a);
            texts.add(text);
            return text;
        }
    }

    private static void writeVerdict(JsonGenerator g, TaxonomyVerdict v) throws IOException {
        g.writeStartObject();
        g.writeStringField("site", v.site());
        g.writeNumberField("threshold", v.threshold());
        g.writeNumberField("tile_rows", v.tileRows());
        g.writeStringField("verdict", v.verdict().label());
        g.writeNumberField("element_sparsity", v.elementSparsity());
        g.writeNumberField("column_sparsity", v.columnSparsity());
        g.writeNumberField("independence_baseline", v.independenceBaseline());
        g.writeNumberField("excess_pp", v.excessPp());
        g.writeNumberField("rows_per_call", v.rowsPerCall());
        g.writeNumberField("effective_tile_height", v.effectiveTileHeight());
        g.writeObjectFieldStart("rule");
        for (TaxonomyRule.Parameter p : v.rule().parameters()) {
            g.writeNumberField(p.field(), p.value());
        }
        g.writeEndObject();
        g.writeStringField("evidence", v.evidence());
        g.writeEndObject();
    }

    /**
     * CSV keeps every digit (Double.toString); the table rounds for reading. Decimal rather than
     * String.format, and no regular expressions: their set-up is tens of ms of a one-shot run.
     */
    private static String num(double v, boolean full, int decimals) {
        if (full) {
            return Double.toString(v);
        }
        String s = Decimal.fixed(v, decimals);
        if (s.startsWith("-") && isZero(s.substring(1))) {
            s = s.substring(1); // -0.0000: a tiny negative excess is not worth a sign
        }
        if (s.indexOf('.') >= 0 && decimals == 6) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') {
                end--;
            }
            s = s.substring(0, s.charAt(end - 1) == '.' ? end - 1 : end);
        }
        return s;
    }

    private static boolean isZero(String digits) {
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) != '0' && digits.charAt(i) != '.') {
                return false;
            }
        }
        return true;
    }
}
