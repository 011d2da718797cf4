package org.colsparse.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.colsparse.denoiser.Profiler;
import org.colsparse.denoiser.Samples;
import org.colsparse.runtime.GemmRecorder;
import org.colsparse.sparsity.AnalysisConfig;
import org.colsparse.sparsity.NearZeroMask;
import org.colsparse.sparsity.SiteAccumulator;
import org.colsparse.sweep.AccuracySweep;
import org.colsparse.tensor.NpzWriter;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one shard of a sharded {@code profile}, {@code accuracy} or {@code run} leaves for
 * {@code colsparse merge}: the raw state of its samples, never rounded results — the analyzer's
 * integer counts per site (and timestep bucket, or zeroing threshold), every sample's final output
 * (the accuracy metrics pool all samples, so they are computed only after the merge), and, in the
 * shard that ran sample 0, the recorded masks and GEMMs. One {@code .npz} per shard, format
 * {@value #FORMAT}, laid out in docs/sharding.md; its {@code header} names the colsparse version,
 * the command, the shard {@code I/N} and the options fingerprint the merge checks.
 */
public final class ShardState {
    public static final String FORMAT = "colsparse-shard/1";

    /**
     * @param version     the colsparse that wrote the file ({@code colsparse 0.1.0})
     * @param command     profile, accuracy or run
     * @param fingerprint every option that decides the numbers, one {@code key=value} a line
     * @param args        the command's arguments without {@code --shard}, {@code --out} and {@code --format}: the merge reruns the command's last steps with them
     */
    public record Header(String version, String command, Shard shard, String fingerprint, List<String> args) {
        public Header {
            args = List.copyOf(args);
        }
    }

    private final Header header;
    private final Path file;
    private final Map<String, Profiler.Part> profiles = new LinkedHashMap<>();
    private final Map<String, AccuracySweep.Part> accuracies = new LinkedHashMap<>();

    /** @param header null while a shard is still sampling ({@link #withHeader} names it before it is written) */
    public ShardState(Header header) {
        this(header, null);
    }

    /** The same parts under {@code header}. */
    public ShardState withHeader(Header header) {
        ShardState s = new ShardState(header, file);
        s.profiles.putAll(profiles);
        s.accuracies.putAll(accuracies);
        return s;
    }

    private ShardState(Header header, Path file) {
        this.header = header;
        this.file = file;
    }

    public Header header() {
        return header;
    }

    /** The state file it was read from; null for one built in memory. */
    public Path file() {
        return file;
    }

    public void addProfile(String workload, Profiler.Part part) {
        profiles.put(workload, part);
    }

    public void addAccuracy(String workload, AccuracySweep.Part part) {
        accuracies.put(workload, part);
    }

    public Profiler.Part profile(String workload) {
        Profiler.Part p = profiles.get(workload);
        if (p == null) {
            throw new InputException(where() + ": holds no profile of " + workload);
        }
        return p;
    }

    public AccuracySweep.Part accuracy(String workload) {
        AccuracySweep.Part a = accuracies.get(workload);
        if (a == null) {
            throw new InputException(where() + ": holds no accuracy sweep of " + workload);
        }
        return a;
    }

    private String where() {
        return file == null ? "merged shards" : file.toString();
    }

    // ---- writing

    /** Writes the state as one {@code .npz}, atomically (nothing appears at {@code target} unless all of it was written). */
    public void write(Path target) {
        ObjectNode h = Json.MAPPER.createObjectNode();
        h.put("format", FORMAT);
        h.put("colsparse", header.version());
        h.put("command", header.command());
        h.put("shard", header.shard().index());
        h.put("shards", header.shard().count());
        h.put("samples", "sample i belongs to shard i mod " + header.shard().count());
        h.put("fingerprint", header.fingerprint());
        ArrayNode args = h.putArray("args");
        header.args().forEach(args::add);
        ArrayNode workloads = h.putArray("workloads");
        Set<String> ids = new LinkedHashSet<>(profiles.keySet());
        ids.addAll(accuracies.keySet());
        for (String id : ids) {
            ObjectNode w = workloads.addObject().put("id", id);
            if (profiles.containsKey(id)) {
                describe(w.putObject("profile"), profiles.get(id));
            }
            if (accuracies.containsKey(id)) {
                describe(w.putObject("accuracy"), accuracies.get(id));
            }
        }
        NpzWriter npz = new NpzWriter();
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(h);
            npz.addU8("header", new long[] {json.length}, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String id : ids) {
            if (profiles.containsKey(id)) {
                arrays(npz, id + "/profile/", profiles.get(id));
            }
            if (accuracies.containsKey(id)) {
                arrays(npz, id + "/accuracy/", accuracies.get(id));
            }
        }
        npz.write(target);
    }

    private static void describe(ObjectNode n, Profiler.Part p) {
        SiteAccumulator[][] acc = p.accumulators();
        AnalysisConfig c = acc[0][0].config();
        ints(n.putArray("samples"), p.samples());
        n.put("seconds", p.seconds());
        doubles(n.putArray("thresholds"), c.thresholds());
        ints(n.putArray("tile_rows"), c.tileRows());
        n.put("buckets", acc.length);
        sites(n.putArray("sites"), acc[0]);
        if (p.ranges() == null) {
            n.putNull("ranges");
        } else {
            ArrayNode r = n.putArray("ranges");
            for (int[] b : p.ranges()) {
                ints(r.addArray(), b);
            }
        }
        shapes(n.putArray("output_shapes"), p.outputs());
        ArrayNode calls = n.putArray("calls");
        for (Profiler.RecordedCall call : p.calls()) {
            ObjectNode c2 = calls.addObject().put("step", call.step()).put("timestep", call.timestep());
            ArrayNode masks = c2.putArray("masks");
            for (Map.Entry<String, NearZeroMask> e : call.masks().entrySet()) {
                masks.addObject().put("site", e.getKey()).put("rows", e.getValue().rows()).put("channels", e.getValue().channels());
            }
        }
        ArrayNode gemms = n.putArray("gemms");
        for (GemmRecorder.Op op : p.gemms()) {
            RecordedMasks.writeGemm(gemms.addObject(), op);
        }
    }

    private static void describe(ObjectNode n, AccuracySweep.Part a) {
        SiteAccumulator[][] acc = a.counts();
        ints(n.putArray("samples"), a.samples());
        n.put("dense_seconds", a.denseSeconds());
        n.put("seconds", a.seconds());
        ArrayNode t = n.putArray("thresholds");
        for (SiteAccumulator[] perThreshold : acc) {
            t.add(perThreshold[0].config().thresholds()[0]);
        }
        n.put("tile_rows", acc[0][0].config().tileRows()[0]);
        sites(n.putArray("sites"), acc[0]);
        shapes(n.putArray("output_shapes"), a.dense());
    }

    private static void arrays(NpzWriter npz, String prefix, Profiler.Part p) {
        SiteAccumulator[][] acc = p.accumulators();
        for (int b = 0; b < acc.length; b++) {
            for (int s = 0; s < acc[b].length; s++) {
                long[] c = acc[b][s].counts();
                npz.addI64(prefix + "counts/" + b + "/" + s, new long[] {c.length}, c);
            }
        }
        for (int k = 0; k < p.samples().size(); k++) {
            Samples o = p.outputs().get(k);
            npz.addF32(prefix + "output/" + p.samples().get(k), o.shape(), o.values());
        }
        for (int c = 0; c < p.calls().size(); c++) {
            int j = 0;
            for (NearZeroMask m : p.calls().get(c).masks().values()) {
                npz.addU8(prefix + "masks/" + c + "/" + j++, new long[] {m.rows(), NearZeroMask.rowBytes(m.channels())}, m.packed());
            }
        }
    }

    private static void arrays(NpzWriter npz, String prefix, AccuracySweep.Part a) {
        SiteAccumulator[][] acc = a.counts();
        for (int t = 0; t < acc.length; t++) {
            for (int s = 0; s < acc[t].length; s++) {
                long[] c = acc[t][s].counts();
                npz.addI64(prefix + "counts/" + t + "/" + s, new long[] {c.length}, c);
            }
        }
        for (int k = 0; k < a.samples().size(); k++) {
            int sample = a.samples().get(k);
            Samples d = a.dense().get(k);
            npz.addF32(prefix + "dense/" + sample, d.shape(), d.values());
            for (int t = 0; t < acc.length; t++) {
                Samples z = a.zeroed().get(t).get(k);
                npz.addF32(prefix + "zeroed/" + t + "/" + sample, z.shape(), z.values());
            }
        }
    }

    private static void sites(ArrayNode out, SiteAccumulator[] sites) {
        for (SiteAccumulator s : sites) {
            out.addObject().put("name", s.site()).put("channels", s.channels());
        }
    }

    private static void shapes(ArrayNode out, List<Samples> samples) {
        for (Samples s : samples) {
            ArrayNode a = out.addArray();
            for (long d : s.shape()) {
                a.add(d);
            }
        }
    }

    private static void ints(ArrayNode out, List<Integer> v) {
        v.forEach(out::add);
    }

    private static void ints(ArrayNode out, int[] v) {
        for (int x : v) {
            out.add(x);
        }
    }

    private static void doubles(ArrayNode out, double[] v) {
        for (double x : v) {
            out.add(x);
        }
    }

    // ---- reading

    /** Reads a state file; anything that is not one is an {@link InputException} naming the file. */
    public static ShardState read(Path file) {
        try (TensorSource src = TensorSources.open(file)) {
            JsonNode h;
            try {
                h = Json.MAPPER.readTree(new String(RecordedMasks.bytes(src.data("header")), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                throw new InputException(file + ": not a colsparse shard state file (no readable 'header' array)");
            }
            if (!FORMAT.equals(h.path("format").asText())) {
                throw new InputException(file + ": format '" + h.path("format").asText() + "', expected " + FORMAT);
            }
            List<String> args = new ArrayList<>();
            h.path("args").forEach(a -> args.add(a.asText()));
            Shard shard;
            try {
                shard = new Shard(h.path("shard").asInt(-1), h.path("shards").asInt(-1));
            } catch (IllegalArgumentException e) {
                throw new InputException(file + ": " + e.getMessage());
            }
            ShardState state = new ShardState(new Header(h.path("colsparse").asText(), h.path("command").asText(), shard,
                    h.path("fingerprint").asText(), args), file);
            try {
                for (JsonNode w : h.path("workloads")) {
                    String id = w.path("id").asText();
                    if (w.has("profile")) {
                        state.addProfile(id, readProfile(src, id + "/profile/", w.get("profile")));
                    }
                    if (w.has("accuracy")) {
                        state.addAccuracy(id, readAccuracy(src, id + "/accuracy/", w.get("accuracy")));
                    }
                }
            } catch (InputException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new InputException(file + ": damaged shard state (" + e.getMessage() + ")");
            }
            return state;
        }
    }

    private static Profiler.Part readProfile(TensorSource src, String prefix, JsonNode n) {
        List<Integer> samples = intList(n.path("samples"));
        AnalysisConfig c = new AnalysisConfig(doubleArray(n.path("thresholds")), intArray(n.path("tile_rows")));
        int buckets = n.path("buckets").asInt();
        JsonNode sites = n.path("sites");
        SiteAccumulator[][] acc = new SiteAccumulator[buckets][sites.size()];
        for (int b = 0; b < buckets; b++) {
            for (int s = 0; s < sites.size(); s++) {
                acc[b][s] = accumulator(src, prefix + "counts/" + b + "/" + s, sites.get(s), c);
            }
        }
        int[][] ranges = null;
        if (n.path("ranges").isArray()) {
            ranges = new int[n.path("ranges").size()][];
            for (int b = 0; b < ranges.length; b++) {
                ranges[b] = intArray(n.path("ranges").get(b));
            }
        }
        List<Samples> outputs = new ArrayList<>();
        for (int sample : samples) {
            outputs.add(floats(src, prefix + "output/" + sample));
        }
        List<Profiler.RecordedCall> calls = new ArrayList<>();
        int ci = 0;
        for (JsonNode call : n.path("calls")) {
            Map<String, NearZeroMask> masks = new LinkedHashMap<>();
            int j = 0;
            for (JsonNode m : call.path("masks")) {
                int rows = m.path("rows").asInt();
                int channels = m.path("channels").asInt();
                String name = prefix + "masks/" + ci + "/" + j++;
                byte[] packed = RecordedMasks.bytes(src.data(name));
                if ((long) rows * NearZeroMask.rowBytes(channels) != packed.length) {
                    throw new IllegalArgumentException("array '" + name + "' has " + packed.length + " bytes, header says " + rows + " x " + channels);
                }
                masks.put(m.path("site").asText(), new NearZeroMask(rows, channels, packed));
            }
            calls.add(new Profiler.RecordedCall(call.path("step").asInt(), call.path("timestep").asInt(), masks));
            ci++;
        }
        List<GemmRecorder.Op> gemms = new ArrayList<>();
        n.path("gemms").forEach(g -> gemms.add(RecordedMasks.readGemm(g)));
        return new Profiler.Part(samples, acc, ranges, outputs, calls, gemms, n.path("seconds").asDouble());
    }

    private static AccuracySweep.Part readAccuracy(TensorSource src, String prefix, JsonNode n) {
        List<Integer> samples = intList(n.path("samples"));
        double[] thresholds = doubleArray(n.path("thresholds"));
        int tileRows = n.path("tile_rows").asInt();
        JsonNode sites = n.path("sites");
        SiteAccumulator[][] acc = new SiteAccumulator[thresholds.length][sites.size()];
        List<List<Samples>> zeroed = new ArrayList<>();
        for (int t = 0; t < thresholds.length; t++) {
            AnalysisConfig c = new AnalysisConfig(new double[] {thresholds[t]}, new int[] {tileRows});
            for (int s = 0; s < sites.size(); s++) {
                acc[t][s] = accumulator(src, prefix + "counts/" + t + "/" + s, sites.get(s), c);
            }
            List<Samples> z = new ArrayList<>();
            for (int sample : samples) {
                z.add(floats(src, prefix + "zeroed/" + t + "/" + sample));
            }
            zeroed.add(z);
        }
        List<Samples> dense = new ArrayList<>();
        for (int sample : samples) {
            dense.add(floats(src, prefix + "dense/" + sample));
        }
        return new AccuracySweep.Part(samples, dense, zeroed, acc, n.path("dense_seconds").asDouble(), n.path("seconds").asDouble());
    }

    private static SiteAccumulator accumulator(TensorSource src, String name, JsonNode site, AnalysisConfig c) {
        SiteAccumulator a = new SiteAccumulator(site.path("name").asText(), site.path("channels").asInt(), c);
        TensorData d = src.data(name);
        double[] v = new double[(int) d.info().elementCount()];
        d.readDoubles(0, v, 0, v.length);
        long[] counts = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            counts[i] = (long) v[i];
        }
        a.mergeCounts(counts);
        return a;
    }

    private static Samples floats(TensorSource src, String name) {
        TensorData d = src.data(name);
        float[] v = new float[(int) d.info().elementCount()];
        d.readFloats(0, v, 0, v.length);
        return new Samples(v, d.info().shape());
    }

    private static List<Integer> intList(JsonNode a) {
        List<Integer> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asInt()));
        return out;
    }

    private static int[] intArray(JsonNode a) {
        return intList(a).stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] doubleArray(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asDouble();
        }
        return out;
    }

    // ---- merging

    /**
     * Checks that {@code states} are every shard of one run, each once, written by this
     * {@code version} with the same command and options; the first problem is an
     * {@link InputException} of one line naming the files.
     */
    public static void check(List<ShardState> states, String version) {
        for (ShardState s : states) {
            if (!s.header.version().equals(version)) {
                throw new InputException("merge: " + s.file + " was written by " + s.header.version() + ", this is " + version
                        + "; rerun that shard with this version");
            }
        }
        ShardState first = states.get(0);
        Header f = first.header;
        for (ShardState s : states) {
            Header h = s.header;
            if (!h.command().equals(f.command())) {
                throw new InputException("merge: " + s.file + " is a shard of '" + h.command() + "', " + first.file + " of '" + f.command() + "'");
            }
            if (h.shard().count() != f.shard().count()) {
                throw new InputException("merge: " + s.file + " is shard " + h.shard() + ", " + first.file + " shard " + f.shard()
                        + ": the shards of one run share N");
            }
            if (!h.fingerprint().equals(f.fingerprint())) {
                throw new InputException("merge: " + s.file + " was made with other options than " + first.file + " ("
                        + differences(h.fingerprint(), f.fingerprint()) + ")");
            }
        }
        TreeMap<Integer, ShardState> byIndex = new TreeMap<>();
        for (ShardState s : states) {
            ShardState other = byIndex.put(s.header.shard().index(), s);
            if (other != null) {
                throw new InputException("merge: shard " + s.header.shard() + " given twice: " + other.file + ", " + s.file);
            }
        }
        int n = f.shard().count();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!byIndex.containsKey(i)) {
                missing.add(i + "/" + n);
            }
        }
        if (!missing.isEmpty()) {
            throw new InputException("merge: shard" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + " missing (present: "
                    + present(states) + "); run " + (missing.size() > 1 ? "them" : "it") + " with --shard I/" + n + ", then merge again");
        }
    }

    /**
     * Refuses merged shards whose replayed arguments give other options than the fingerprint the
     * shards were checked by (a header whose args were changed after it was written): the merge
     * runs the command only with options its fingerprint covers.
     */
    public void checkFingerprint(String fingerprint) {
        if (!header.fingerprint().equals(fingerprint)) {
            throw new InputException("merge: the shards' args give other options than their fingerprint (" + differences(fingerprint,
                    header.fingerprint()) + "): a shard file changed after it was written? rerun the shards");
        }
    }

    /** Which shard each file is, in shard order: {@code 0/2 a.npz, 1/2 b.npz}. */
    public static String present(List<ShardState> states) {
        List<String> out = new ArrayList<>();
        states.stream().sorted(java.util.Comparator.comparingInt(s -> s.header.shard().index()))
                .forEach(s -> out.add(s.header.shard() + " " + s.file));
        return String.join(", ", out);
    }

    private static String differences(String mine, String theirs) {
        Map<String, String> a = Fingerprint.lines(mine);
        Map<String, String> b = Fingerprint.lines(theirs);
        List<String> out = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>(b.keySet());
        keys.addAll(a.keySet());
        for (String k : keys) {
            String x = a.getOrDefault(k, "(absent)");
            String y = b.getOrDefault(k, "(absent)");
            if (!x.equals(y)) {
                out.add(k + " " + x + " vs " + y);
            }
        }
        return String.join("; ", out);
    }

    /** The checked shards ({@link #check}) as one state: every workload's parts merged, samples in order. */
    public static ShardState merge(List<ShardState> states) {
        ShardState first = states.get(0);
        Header f = first.header;
        ShardState merged = new ShardState(new Header(f.version(), f.command(), new Shard(0, 1), f.fingerprint(), f.args()));
        for (String id : first.profiles.keySet()) {
            merged.addProfile(id, Profiler.Part.merge(states.stream().map(s -> s.profile(id)).toList()));
        }
        for (String id : first.accuracies.keySet()) {
            merged.addAccuracy(id, AccuracySweep.Part.merge(states.stream().map(s -> s.accuracy(id)).toList()));
        }
        return merged;
    }
}
