package org.colsparse.pipeline;

import org.colsparse.results.Json;
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
        Set<String> ids = new LinkedHashSet<>(profiles.keySet());
        ids.addAll(accuracies.keySet());
        List<StateIndex.WorkloadParts> parts = new ArrayList<>();
        for (String id : ids) {
            parts.add(new StateIndex.WorkloadParts(id, profiles.containsKey(id) ? describe(profiles.get(id)) : null,
                    accuracies.containsKey(id) ? describe(accuracies.get(id)) : null));
        }
        StateIndex.ShardHeader h = new StateIndex.ShardHeader(FORMAT, header.version(), header.command(), header.shard().index(),
                header.shard().count(), "sample i belongs to shard i mod " + header.shard().count(), header.fingerprint(), header.args(), parts);
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

    private static StateIndex.ProfilePart describe(Profiler.Part p) {
        SiteAccumulator[][] acc = p.accumulators();
        AnalysisConfig c = acc[0][0].config();
        List<StateIndex.CallMasks> calls = new ArrayList<>();
        for (Profiler.RecordedCall call : p.calls()) {
            List<StateIndex.MaskShape> masks = new ArrayList<>();
            call.masks().forEach((site, m) -> masks.add(new StateIndex.MaskShape(site, m.rows(), m.channels())));
            calls.add(new StateIndex.CallMasks(call.step(), call.timestep(), masks));
        }
        return new StateIndex.ProfilePart(p.samples(), p.seconds(), c.thresholds(), c.tileRows(), acc.length, sites(acc[0]), p.ranges(),
                shapes(p.outputs()), calls, p.gemms().stream().map(StateIndex.GemmEntry::of).toList());
    }

    private static StateIndex.AccuracyPart describe(AccuracySweep.Part a) {
        SiteAccumulator[][] acc = a.counts();
        double[] thresholds = new double[acc.length];
        for (int t = 0; t < acc.length; t++) {
            thresholds[t] = acc[t][0].config().thresholds()[0];
        }
        return new StateIndex.AccuracyPart(a.samples(), a.denseSeconds(), a.seconds(), thresholds, acc[0][0].config().tileRows()[0],
                sites(acc[0]), shapes(a.dense()));
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

    private static List<StateIndex.SiteChannels> sites(SiteAccumulator[] sites) {
        List<StateIndex.SiteChannels> out = new ArrayList<>();
        for (SiteAccumulator s : sites) {
            out.add(new StateIndex.SiteChannels(s.site(), s.channels()));
        }
        return out;
    }

    private static List<long[]> shapes(List<Samples> samples) {
        return samples.stream().map(Samples::shape).toList();
    }

    // ---- reading

    /** Reads a state file; anything that is not one is an {@link InputException} naming the file. */
    public static ShardState read(Path file) {
        try (TensorSource src = TensorSources.open(file)) {
            byte[] json;
            StateIndex.Format format;
            try {
                json = RecordedMasks.bytes(src.data("header"));
                format = Json.MAPPER.readValue(json, StateIndex.Format.class);
            } catch (IOException | RuntimeException e) {
                throw new InputException(file + ": not a colsparse shard state file (no readable 'header' array)");
            }
            if (!FORMAT.equals(format.format())) {
                throw new InputException(file + ": format '" + format.format() + "', expected " + FORMAT);
            }
            StateIndex.ShardHeader h;
            try {
                h = Json.MAPPER.readValue(json, StateIndex.ShardHeader.class);
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new InputException(file + ": damaged shard state (" + e.getOriginalMessage() + ")");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Shard shard;
            try {
                shard = new Shard(h.shard(), h.shards());
            } catch (IllegalArgumentException e) {
                throw new InputException(file + ": " + e.getMessage());
            }
            ShardState state = new ShardState(new Header(h.colsparse(), h.command(), shard, h.fingerprint(),
                    h.args() == null ? List.of() : h.args()), file);
            try {
                for (StateIndex.WorkloadParts w : h.workloads() == null ? List.<StateIndex.WorkloadParts>of() : h.workloads()) {
                    if (w.profile() != null) {
                        state.addProfile(w.id(), readProfile(src, w.id() + "/profile/", w.profile()));
                    }
                    if (w.accuracy() != null) {
                        state.addAccuracy(w.id(), readAccuracy(src, w.id() + "/accuracy/", w.accuracy()));
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

    private static Profiler.Part readProfile(TensorSource src, String prefix, StateIndex.ProfilePart n) {
        List<Integer> samples = n.samples();
        AnalysisConfig c = new AnalysisConfig(n.thresholds(), n.tileRows());
        List<StateIndex.SiteChannels> sites = n.sites();
        SiteAccumulator[][] acc = new SiteAccumulator[n.buckets()][sites.size()];
        for (int b = 0; b < n.buckets(); b++) {
            for (int s = 0; s < sites.size(); s++) {
                acc[b][s] = accumulator(src, prefix + "counts/" + b + "/" + s, sites.get(s), c);
            }
        }
        List<Samples> outputs = new ArrayList<>();
        for (int sample : samples) {
            outputs.add(floats(src, prefix + "output/" + sample));
        }
        List<Profiler.RecordedCall> calls = new ArrayList<>();
        for (int ci = 0; ci < n.calls().size(); ci++) {
            StateIndex.CallMasks call = n.calls().get(ci);
            Map<String, NearZeroMask> masks = new LinkedHashMap<>();
            for (int j = 0; j < call.masks().size(); j++) {
                StateIndex.MaskShape m = call.masks().get(j);
                String name = prefix + "masks/" + ci + "/" + j;
                byte[] packed = RecordedMasks.bytes(src.data(name));
                if ((long) m.rows() * NearZeroMask.rowBytes(m.channels()) != packed.length) {
                    throw new IllegalArgumentException("array '" + name + "' has " + packed.length + " bytes, header says " + m.rows()
                            + " x " + m.channels());
                }
                masks.put(m.site(), new NearZeroMask(m.rows(), m.channels(), packed));
            }
            calls.add(new Profiler.RecordedCall(call.step(), call.timestep(), masks));
        }
        List<GemmRecorder.Op> gemms = n.gemms().stream().map(StateIndex.GemmEntry::op).toList();
        return new Profiler.Part(samples, acc, n.ranges(), outputs, calls, gemms, n.seconds());
    }

    private static AccuracySweep.Part readAccuracy(TensorSource src, String prefix, StateIndex.AccuracyPart n) {
        List<Integer> samples = n.samples();
        double[] thresholds = n.thresholds();
        List<StateIndex.SiteChannels> sites = n.sites();
        SiteAccumulator[][] acc = new SiteAccumulator[thresholds.length][sites.size()];
        List<List<Samples>> zeroed = new ArrayList<>();
        for (int t = 0; t < thresholds.length; t++) {
            AnalysisConfig c = new AnalysisConfig(new double[] {thresholds[t]}, new int[] {n.tileRows()});
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
        return new AccuracySweep.Part(samples, dense, zeroed, acc, n.denseSeconds(), n.seconds());
    }

    private static SiteAccumulator accumulator(TensorSource src, String name, StateIndex.SiteChannels site, AnalysisConfig c) {
        SiteAccumulator a = new SiteAccumulator(site.name(), site.channels(), c);
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
