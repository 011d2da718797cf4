package org.colsparse.onnx.card;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.colsparse.onnx.card.ModelCard.BetaKind;
import org.colsparse.onnx.card.ModelCard.BetaSchedule;
import org.colsparse.onnx.card.ModelCard.Batching;
import org.colsparse.onnx.card.ModelCard.ClassOfSample;
import org.colsparse.onnx.card.ModelCard.Conditioning;
import org.colsparse.onnx.card.ModelCard.Constant;
import org.colsparse.onnx.card.ModelCard.Dtype;
import org.colsparse.onnx.card.ModelCard.FromFile;
import org.colsparse.onnx.card.ModelCard.Guidance;
import org.colsparse.onnx.card.ModelCard.Output;
import org.colsparse.onnx.card.ModelCard.PairOrder;
import org.colsparse.onnx.card.ModelCard.Prediction;
import org.colsparse.onnx.card.ModelCard.SamplerKind;
import org.colsparse.onnx.card.ModelCard.SamplerSpec;
import org.colsparse.onnx.card.ModelCard.Spacing;
import org.colsparse.onnx.card.ModelCard.TensorSpec;
import org.colsparse.onnx.card.ModelCard.Timestep;
import org.colsparse.onnx.card.ModelCard.TimestepConvention;
import org.colsparse.onnx.card.ModelCard.Value;
import org.colsparse.onnx.card.ModelCard.Variance;
import org.colsparse.onnx.card.ModelCard.Zeros;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;
import org.colsparse.util.Printable;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads a model card strictly (docs/model-card.md): every key known, every required key present, every
 * value of its type and range, the model and tensor files present, the shapes consistent with the
 * sampler. Any fault is one {@link InputException} line {@code CARD: KEY: what is wrong}.
 */
public final class ModelCardLoader {
    /** A key written twice would otherwise silently keep its last value. */
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** More would only be a typo: the longest official schedules have 1000 training steps. */
    static final int MAX_STEPS = 100_000;
    private static final int MAX_RANK = 8;

    private ModelCardLoader() {
    }

    public static ModelCard load(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + ": is a directory, not a model card");
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": model card not found");
        }
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            throw new InputException(file + ": not valid YAML: " + Printable.excerpt(m, 200));
        }
        try {
            return new Reader(file).card(root);
        } catch (Bad e) {
            throw new InputException(file + ": " + e.getMessage());
        }
    }

    /** A fault in the card; the loader prefixes the file. */
    private static final class Bad extends RuntimeException {
        Bad(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Reader {
        private final Path card;
        private final Path dir;

        Reader(Path card) {
            this.card = card;
            Path parent = card.toAbsolutePath().getParent();
            this.dir = parent == null ? Path.of(".") : parent;
        }

        ModelCard card(JsonNode root) {
            if (root == null || root.isMissingNode() || root.isNull()) {
                throw new Bad("empty card (expected the keys workload, group, modality, model, inputs, output, sampler)");
            }
            mapping(root, "", Set.of("workload", "group", "modality", "model", "inputs", "output", "sampler"),
                    Set.of("workload", "group", "modality", "model", "inputs", "output", "sampler"));
            String workload = text(root, "workload", "workload");
            if (!workload.matches("[a-z0-9][a-z0-9._-]*")) {
                throw new Bad("workload: expected lower-case letters, digits, '.', '_', '-', got '" + Printable.excerpt(workload) + "'");
            }
            WorkloadGroup group = choice(root, "group", "group", WorkloadGroup.values(), WorkloadGroup::cliName);
            Modality modality = choice(root, "modality", "modality", Modality.values(), Modality::cliName);
            Path model = file(root, "model", "model", "model file");

            SamplerSpec sampler = sampler(root.get("sampler"));
            boolean pair = sampler.guidance() != null && sampler.guidance().batching() == Batching.PAIR;
            long rows = pair ? 2 : 1;

            JsonNode in = root.get("inputs");
            mapping(in, "inputs", Set.of("sample", "timestep", "conditioning"), Set.of("sample", "timestep"));
            TensorSpec sample = tensor(in.get("sample"), "inputs.sample", Set.of());
            if (sample.dtype() != Dtype.FLOAT32) {
                throw new Bad("inputs.sample.dtype: the noisy sample must be float32");
            }
            if (sample.shape().length < 2 || sample.shape()[0] != rows) {
                throw new Bad("inputs.sample.shape: the first axis must be " + rows + (pair
                        ? " (the guidance pair, sampler.guidance.batching: pair)" : " (one sample per call)")
                        + ", got " + Arrays.toString(sample.shape()));
            }
            JsonNode tn = in.get("timestep");
            TensorSpec ts = tensor(tn, "inputs.timestep", Set.of("convention"));
            TimestepConvention convention = choice(required(tn, "convention", "inputs.timestep.convention"),
                    "inputs.timestep.convention", TimestepConvention.values(), TimestepConvention::cardName);
            checkConvention(sampler.kind(), convention, ts.dtype());
            if (ts.elements() != 1 && ts.elements() != rows) {
                throw new Bad("inputs.timestep.shape: expected 1 or " + rows + " elements (one timestep per row), got "
                        + Arrays.toString(ts.shape()));
            }

            List<Conditioning> conds = new ArrayList<>();
            Set<String> names = new HashSet<>(List.of(sample.name()));
            if (!names.add(ts.name())) {
                throw new Bad("inputs.timestep.name: '" + Printable.excerpt(ts.name()) + "' is already the sample's name");
            }
            JsonNode cl = in.get("conditioning");
            if (cl != null && !cl.isNull()) {
                if (!cl.isArray()) {
                    throw new Bad("inputs.conditioning: expected a list of inputs");
                }
                for (int i = 0; i < cl.size(); i++) {
                    Conditioning c = conditioning(cl.get(i), "inputs.conditioning[" + i + "]", sampler.guidance() != null, rows);
                    if (!names.add(c.tensor().name())) {
                        throw new Bad("inputs.conditioning[" + i + "].name: '" + Printable.excerpt(c.tensor().name())
                                + "' names another input too");
                    }
                    conds.add(c);
                }
            }

            Output output = output(root.get("output"));
            checkOutput(output, sample, sampler, rows);
            return new ModelCard(card, workload, group, modality, model, sample, new Timestep(ts, convention), conds, output, sampler);
        }

        private static void checkConvention(SamplerKind kind, TimestepConvention c, Dtype dtype) {
            Set<TimestepConvention> ok = switch (kind) {
                case FLOW_EULER -> Set.of(TimestepConvention.FLOW_TIME);
                case EULER -> Set.of(TimestepConvention.DDPM_INDEX, TimestepConvention.SIGMA);
                default -> Set.of(TimestepConvention.DDPM_INDEX);
            };
            if (!ok.contains(c)) {
                throw new Bad("inputs.timestep.convention: sampler " + kind.cardName() + " feeds "
                        + names(ok, TimestepConvention::cardName) + ", not " + c.cardName());
            }
            if (c != TimestepConvention.DDPM_INDEX && dtype != Dtype.FLOAT32) {
                throw new Bad("inputs.timestep.dtype: " + c.cardName() + " is a fraction: float32, not " + dtype.cardName());
            }
        }

        private static void checkOutput(Output output, TensorSpec sample, SamplerSpec sampler, long rows) {
            long[] o = output.shape();
            long[] s = sample.shape();
            long[] want = s.clone();
            if (sampler.variance() == Variance.LEARNED_RANGE) {
                want[1] = 2 * s[1];
            }
            if (!Arrays.equals(o, want)) {
                throw new Bad("output.shape: expected " + Arrays.toString(want) + " (the sample's shape"
                        + (sampler.variance() == Variance.LEARNED_RANGE ? ", twice its channels for the learned variance" : "")
                        + "), got " + Arrays.toString(o));
            }
            Set<Prediction> ok = sampler.kind() == SamplerKind.FLOW_EULER ? Set.of(Prediction.X0, Prediction.FLOW_VELOCITY)
                    : Set.of(Prediction.EPSILON, Prediction.V, Prediction.X0);
            if (!ok.contains(output.predicts())) {
                throw new Bad("output.predicts: sampler " + sampler.kind().cardName() + " takes "
                        + names(ok, Prediction::cardName) + ", not " + output.predicts().cardName());
            }
            if (sampler.variance() == Variance.LEARNED_RANGE && output.predicts() != Prediction.EPSILON) {
                throw new Bad("output.predicts: the learned-range variance goes with epsilon prediction");
            }
            Guidance g = sampler.guidance();
            if (g != null && g.channels() > o[1]) {
                throw new Bad("sampler.guidance.channels: " + g.channels() + " exceeds the output's " + o[1] + " channels");
            }
        }

        private Conditioning conditioning(JsonNode n, String p, boolean guided, long rows) {
            TensorSpec t = tensor(n, p, Set.of("value", "unconditional"));
            if (t.shape().length == 0 || t.shape()[0] != rows) {
                throw new Bad(p + ".shape: the first axis must be " + rows + " (rows of the call, as inputs.sample's), got "
                        + Arrays.toString(t.shape()));
            }
            long rowElements = t.elements() / rows;
            Value value = value(required(n, "value", p + ".value"), p + ".value", t, rowElements);
            Value uncond = null;
            if (guided) {
                uncond = value(required(n, "unconditional", p + ".unconditional"), p + ".unconditional", t, rowElements);
            } else if (n.has("unconditional")) {
                throw new Bad(p + ".unconditional: only with sampler.guidance");
            }
            return new Conditioning(t, value, uncond);
        }

        private Value value(JsonNode v, String p, TensorSpec t, long rowElements) {
            if (v.isTextual() && v.asText().equals("zeros")) {
                return new Zeros();
            }
            if (!v.isObject() || v.size() != (v.has("file") && v.has("row") ? 2 : 1)) {
                throw new Bad(p + ": expected zeros, {file: PATH} (with an optional row: N), {constant: NUMBER} or "
                        + "{class-of-sample: CLASSES}");
            }
            String kind = v.has("file") ? "file" : v.fieldNames().next();
            switch (kind) {
                case "file": {
                    Path f = file(v, "file", p + ".file", "tensor file");
                    int row = v.has("row") ? integer(v, "row", p + ".row", 0, Integer.MAX_VALUE) : 0;
                    try (TensorSource src = TensorSources.open(f)) {
                        List<TensorInfo> all = src.tensors();
                        if (all.size() != 1) {
                            throw new Bad(p + ".file: " + f.getFileName() + " holds " + all.size() + " tensors, expected one");
                        }
                        TensorInfo info = all.get(0);
                        long[] fs = info.shape();
                        boolean oneRow = info.elementCount() == rowElements;
                        boolean rowsOf = fs.length > 0 && fs[0] * rowElements == info.elementCount();
                        if (!oneRow && !rowsOf) {
                            throw new Bad(p + ".file: " + f.getFileName() + " has shape " + Arrays.toString(fs)
                                    + ", expected rows of " + rowElements + " elements (one row of " + Arrays.toString(t.shape()) + ")");
                        }
                        long rows = oneRow ? 1 : fs[0];
                        if (row >= rows) {
                            throw new Bad(p + ".row: " + row + " but " + f.getFileName() + " has " + rows + " row(s)");
                        }
                        if (t.dtype() == Dtype.INT64 ? info.dtype().isFloating() : !info.dtype().isFloating()) {
                            throw new Bad(p + ".file: " + f.getFileName() + " holds " + info.dtype() + ", the input is "
                                    + t.dtype().cardName());
                        }
                    } catch (InputException e) {
                        throw new Bad(p + ".file: " + e.getMessage());
                    }
                    return new FromFile(f, row);
                }
                case "constant": {
                    JsonNode c = v.get("constant");
                    boolean ok = t.dtype() == Dtype.INT64 ? c.isIntegralNumber() && c.canConvertToLong() : c.isNumber();
                    if (!ok || !Double.isFinite(c.asDouble())) {
                        throw new Bad(p + ".constant: expected " + (t.dtype() == Dtype.INT64 ? "an integer" : "a finite number")
                                + ", got '" + Printable.excerpt(c.asText()) + "'");
                    }
                    return new Constant(c.asDouble());
                }
                case "class-of-sample": {
                    if (t.dtype() != Dtype.INT64 || rowElements != 1) {
                        throw new Bad(p + ".class-of-sample: only for an int64 input of one label per row");
                    }
                    return new ClassOfSample(integer(v, "class-of-sample", p + ".class-of-sample", 1, Integer.MAX_VALUE));
                }
                default:
                    throw new Bad("unknown key '" + Printable.excerpt(p + "." + kind)
                            + "' (allowed: [class-of-sample, constant, file (+ row)], or the word zeros)");
            }
        }

        private static Output output(JsonNode n) {
            mapping(n, "output", Set.of("name", "shape", "predicts"), Set.of("name", "shape", "predicts"));
            String name = text(n, "name", "output.name");
            long[] shape = shape(n.get("shape"), "output.shape");
            return new Output(name, shape, choice(n, "predicts", "output.predicts", Prediction.values(), Prediction::cardName));
        }

        private static TensorSpec tensor(JsonNode n, String p, Set<String> extra) {
            Set<String> allowed = new HashSet<>(Set.of("name", "shape", "dtype"));
            allowed.addAll(extra);
            mapping(n, p, allowed, Set.of("name", "shape", "dtype"));
            String name = text(n, "name", p + ".name");
            long[] shape = shape(n.get("shape"), p + ".shape");
            Dtype dtype = choice(n, "dtype", p + ".dtype", Dtype.values(), Dtype::cardName);
            return new TensorSpec(name, shape, dtype);
        }

        private static long[] shape(JsonNode n, String p) {
            if (!n.isArray() || n.size() > MAX_RANK) {
                throw new Bad(p + ": expected a list of at most " + MAX_RANK + " positive integers, e.g. [1, 4, 64, 64]");
            }
            long[] s = new long[n.size()];
            long total = 1;
            for (int i = 0; i < s.length; i++) {
                JsonNode d = n.get(i);
                if (!d.isIntegralNumber() || !d.canConvertToInt() || d.asInt() < 1) {
                    throw new Bad(p + ": expected positive integers (fixed shapes; no symbolic axes), got '"
                            + Printable.excerpt(d.asText()) + "'");
                }
                s[i] = d.asInt();
                total *= s[i];
                if (total > Integer.MAX_VALUE) {
                    throw new Bad(p + ": more than " + Integer.MAX_VALUE + " elements");
                }
            }
            return s;
        }

        private static SamplerSpec sampler(JsonNode n) {
            String p = "sampler";
            if (n == null || !n.isObject()) {
                throw new Bad(p + ": expected a mapping");
            }
            SamplerKind kind = choice(required(n, "kind", p + ".kind"), p + ".kind", SamplerKind.values(), SamplerKind::cardName);
            boolean discrete = kind != SamplerKind.FLOW_EULER;
            Set<String> allowed = new LinkedHashSet<>(List.of("kind", "steps", "guidance", "output_clip"));
            Set<String> req = new LinkedHashSet<>(List.of("kind", "steps"));
            if (discrete) {
                allowed.addAll(List.of("training_steps", "beta_schedule", "spacing", "steps_offset"));
                req.addAll(List.of("training_steps", "beta_schedule", "spacing"));
            }
            if (kind == SamplerKind.DDPM) {
                allowed.add("variance");
                req.add("variance");
            }
            if (kind == SamplerKind.DDIM) {
                allowed.addAll(List.of("eta", "final_alpha"));
            }
            mapping(n, p, allowed, req);
            int steps = integer(n, "steps", p + ".steps", 1, MAX_STEPS);
            int training = 0;
            BetaSchedule betas = null;
            Spacing spacing = null;
            int offset = 0;
            if (discrete) {
                training = integer(n, "training_steps", p + ".training_steps", 1, MAX_STEPS);
                if (steps > training) {
                    throw new Bad(p + ".steps: " + steps + " exceeds training_steps " + training);
                }
                betas = betas(n.get("beta_schedule"));
                spacing = choice(n, "spacing", p + ".spacing", Spacing.values(), Spacing::cardName);
                if (n.has("steps_offset")) {
                    if (spacing != Spacing.LEADING) {
                        throw new Bad(p + ".steps_offset: only with spacing: leading");
                    }
                    offset = integer(n, "steps_offset", p + ".steps_offset", 0, training - 1);
                    if ((steps - 1) * (training / steps) + offset >= training) {
                        throw new Bad(p + ".steps_offset: " + offset + " moves the last kept step past training step "
                                + (training - 1));
                    }
                }
            }
            double eta = 0;
            boolean alphaOne = true;
            if (n.has("eta")) {
                eta = number(n, "eta", p + ".eta");
                if (!(eta >= 0 && eta <= 1)) {
                    throw new Bad(p + ".eta: must be in [0, 1], got " + eta);
                }
            }
            if (n.has("final_alpha")) {
                String fa = text(n, "final_alpha", p + ".final_alpha");
                if (!fa.equals("one") && !fa.equals("first")) {
                    throw new Bad(p + ".final_alpha: expected one (a clean last step) or first (diffusers' set_alpha_to_one: "
                            + "false), got '" + Printable.excerpt(fa) + "'");
                }
                alphaOne = fa.equals("one");
            }
            Variance variance = kind == SamplerKind.DDPM ? choice(n, "variance", p + ".variance", Variance.values(), Variance::cardName)
                    : null;
            Guidance guidance = n.has("guidance") && !n.get("guidance").isNull() ? guidance(n.get("guidance"), kind) : null;
            double[] clip = null;
            if (n.has("output_clip")) {
                clip = pairOfNumbers(n.get("output_clip"), p + ".output_clip");
            }
            return new SamplerSpec(kind, steps, training, betas, spacing, offset, eta, alphaOne, variance, guidance, clip);
        }

        private static BetaSchedule betas(JsonNode n) {
            String p = "sampler.beta_schedule";
            if (n == null || !n.isObject()) {
                throw new Bad(p + ": expected a mapping {kind, beta_start, beta_end}");
            }
            BetaKind kind = choice(required(n, "kind", p + ".kind"), p + ".kind", BetaKind.values(), BetaKind::cardName);
            if (kind == BetaKind.COSINE) {
                mapping(n, p, Set.of("kind"), Set.of("kind"));
                return new BetaSchedule(kind, Double.NaN, Double.NaN);
            }
            mapping(n, p, Set.of("kind", "beta_start", "beta_end"), Set.of("kind", "beta_start", "beta_end"));
            double a = number(n, "beta_start", p + ".beta_start");
            double b = number(n, "beta_end", p + ".beta_end");
            if (!(a > 0 && a < 1)) {
                throw new Bad(p + ".beta_start: must be in (0, 1), got " + a);
            }
            if (!(b > 0 && b < 1)) {
                throw new Bad(p + ".beta_end: must be in (0, 1), got " + b);
            }
            return new BetaSchedule(kind, a, b);
        }

        private static Guidance guidance(JsonNode n, SamplerKind kind) {
            String p = "sampler.guidance";
            if (!n.isObject()) {
                throw new Bad(p + ": expected a mapping {scale, batching, ...}");
            }
            Batching batching = choice(required(n, "batching", p + ".batching"), p + ".batching", Batching.values(), Batching::cardName);
            Set<String> allowed = new HashSet<>(Set.of("scale", "batching"));
            Set<String> req = new HashSet<>(Set.of("scale", "batching"));
            if (batching == Batching.PAIR) {
                allowed.add("order");
                req.add("order");
            }
            // a flow's guidance window is in flow time; DiT's channel rule goes with eps + variance outputs
            allowed.add(kind == SamplerKind.FLOW_EULER ? "window" : "channels");
            mapping(n, p, allowed, req);
            double scale = number(n, "scale", p + ".scale");
            PairOrder order = batching == Batching.PAIR ? choice(n, "order", p + ".order", PairOrder.values(), PairOrder::cardName)
                    : PairOrder.COND_FIRST;
            double lo = Double.NaN;
            double hi = Double.NaN;
            if (n.has("window")) {
                double[] w = pairOfNumbers(n.get("window"), p + ".window");
                if (!(w[0] >= 0 && w[1] <= 1)) {
                    throw new Bad(p + ".window: flow times lie in [0, 1], got " + Arrays.toString(w));
                }
                lo = w[0];
                hi = w[1];
            }
            int channels = n.has("channels") ? integer(n, "channels", p + ".channels", 1, Integer.MAX_VALUE) : 0;
            return new Guidance(scale, batching, order, lo, hi, channels);
        }

        private static double[] pairOfNumbers(JsonNode n, String p) {
            if (!n.isArray() || n.size() != 2 || !n.get(0).isNumber() || !n.get(1).isNumber()
                    || !(n.get(0).asDouble() < n.get(1).asDouble())) {
                throw new Bad(p + ": expected [low, high] with low < high, got '" + Printable.excerpt(n.toString()) + "'");
            }
            return new double[] {n.get(0).asDouble(), n.get(1).asDouble()};
        }

        private Path file(JsonNode n, String key, String p, String what) {
            String s = text(n, key, p);
            Path f;
            try {
                f = dir.resolve(s).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                throw new Bad(p + ": not a path: '" + Printable.excerpt(s) + "'");
            }
            if (!Files.isRegularFile(f)) {
                throw new Bad(p + ": " + what + " " + f + " not found (paths are relative to the card's folder)");
            }
            return f;
        }

        private static JsonNode required(JsonNode n, String key, String p) {
            JsonNode v = n.get(key);
            if (v == null) {
                throw new Bad("missing key '" + p + "'");
            }
            return v;
        }

        private static void mapping(JsonNode n, String p, Set<String> allowed, Set<String> required) {
            if (n == null || !n.isObject()) {
                throw new Bad((p.isEmpty() ? "top level" : p) + ": expected a mapping");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                String k = it.next().getKey();
                if (!allowed.contains(k)) {
                    throw new Bad("unknown key '" + Printable.excerpt(p.isEmpty() ? k : p + "." + k)
                            + "' (allowed: " + new TreeSet<>(allowed) + ")");
                }
            }
            for (String k : new TreeSet<>(required)) {
                if (!n.has(k) || n.get(k).isNull()) {
                    throw new Bad("missing key '" + (p.isEmpty() ? k : p + "." + k) + "'");
                }
            }
        }

        private static String text(JsonNode n, String key, String p) {
            JsonNode v = n.get(key);
            if (v == null || !v.isTextual() || v.asText().isEmpty()) {
                throw new Bad(p + ": expected a non-empty string, got '" + Printable.excerpt(String.valueOf(v)) + "'");
            }
            return v.asText();
        }

        private static int integer(JsonNode n, String key, String p, int min, int max) {
            JsonNode v = n.get(key);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
                throw new Bad(p + ": expected an integer in " + min + ".." + max + ", got '" + Printable.excerpt(v.asText()) + "'");
            }
            return v.asInt();
        }

        private static double number(JsonNode n, String key, String p) {
            JsonNode v = n.get(key);
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw new Bad(p + ": expected a finite number, got '" + Printable.excerpt(v.asText()) + "'");
            }
            return v.asDouble();
        }

        private static <E> E choice(JsonNode n, String key, String p, E[] values, Function<E, String> name) {
            return choice(n.get(key), p, values, name);
        }

        private static <E> E choice(JsonNode v, String p, E[] values, Function<E, String> name) {
            if (v != null && v.isTextual()) {
                for (E e : values) {
                    if (name.apply(e).equals(v.asText())) {
                        return e;
                    }
                }
            }
            throw new Bad(p + ": expected one of " + names(Arrays.asList(values), name) + ", got '"
                    + Printable.excerpt(String.valueOf(v == null ? "" : v.asText())) + "'");
        }

        private static <E> String names(Iterable<E> values, Function<E, String> name) {
            Set<String> s = new TreeSet<>();
            values.forEach(e -> s.add(name.apply(e)));
            return String.join(" / ", s);
        }
    }
}
