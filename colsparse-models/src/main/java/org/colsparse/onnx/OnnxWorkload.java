package org.colsparse.onnx;

import ai.djl.ndarray.NDManager;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.denoiser.ImageGrid;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.Workload;
import org.colsparse.onnx.card.ModelCard;
import org.colsparse.onnx.card.ModelCard.Conditioning;
import org.colsparse.onnx.card.ModelCard.SamplerSpec;
import org.colsparse.onnx.card.ModelCard.TensorSpec;
import org.colsparse.onnx.card.ModelCardLoader;
import org.colsparse.onnx.sampling.CallListener;
import org.colsparse.onnx.sampling.CardSampler;
import org.colsparse.onnx.sampling.InitNoise;
import org.colsparse.runtime.GeluForm;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.GemmRecorder;
import org.colsparse.runtime.SiteLayout;
import org.colsparse.sampler.StepListener;
import org.colsparse.sparsity.NearZeroMask;
import org.colsparse.sweep.Decoders;
import org.colsparse.util.InputException;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.SiteRole;
import org.colsparse.workload.WorkloadIdentity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An exported denoiser graph and its model card (docs/model-card.md) as a workload: the card's sampler
 * calls the graph through ONNX Runtime, every GELU the graph computes is a tapped graph output handed to
 * the same {@link GeluTap} the built-in runtimes use, and the GEMMs of a call are measured by a
 * {@link GemmProbe} into the same {@link GemmRecorder}, so profiling, masks, estimates, simulations and
 * the accuracy sweep treat it as any built-in workload (docs/onnx.md "The CLI side").
 *
 * <p>Opening it reads the card and the graph, finds the sites and runs one call on zero inputs: that
 * call checks the card's inputs and output against the graph and measures each site's channels and the
 * call's GEMMs before any sampling.
 */
public final class OnnxWorkload implements Workload {
    /** What names an ONNX workload on the command line; {@code initNoise} may be null. */
    public record Files(Path model, Path card, Path initNoise) {
    }

    /** Samples per {@code profile} unless {@code --samples} says otherwise: a card names none. */
    public static final int DEFAULT_SAMPLES = 10;
    /** The most flow-time steps: flow time is continuous, and t in thousandths keeps the reported timesteps distinct. */
    static final int FLOW_TRAINED_STEPS = 1000;

    private final Files files;
    private final ModelCard card;
    private final OnnxModel probing;
    private final GemmProbe probe;
    private final List<GraphSite> graphSites;
    private final List<GeluSite> sites;
    private final DenoiserInfo info;
    private final List<GemmRecorder.Op> gemms;
    private final OnnxRunner.Threads threads;
    private final float[] initNoise;

    private OnnxWorkload(Files files, ModelCard card, OnnxModel probing, GemmProbe probe, List<GraphSite> graphSites,
                         List<GeluSite> sites, DenoiserInfo info, List<GemmRecorder.Op> gemms, OnnxRunner.Threads threads,
                         float[] initNoise) {
        this.files = files;
        this.card = card;
        this.probing = probing;
        this.probe = probe;
        this.graphSites = graphSites;
        this.sites = sites;
        this.info = info;
        this.gemms = gemms;
        this.threads = threads;
        this.initNoise = initNoise;
    }

    /** Reads {@code files} and checks them against each other; any mismatch is one {@link InputException} line. */
    public static OnnxWorkload open(Files files, OnnxRunner.Threads threads) {
        ModelCard card = ModelCardLoader.load(files.card());
        OnnxModel model = GraphRewrite.unfuseSplitGelu(OnnxModel.load(files.model()));
        List<GraphSite> graphSites = GeluFinder.find(model, new GeluFinder.RoleHints(card.sample().name(), card.timestep().tensor().name()));
        GemmProbe probe = GemmProbe.of(GraphRewrite.tap(model, graphSites), graphSites);
        OnnxModel probing = probe.model();
        Map<String, HostTensor> out;
        try (OnnxRunner runner = new OnnxRunner(probing, threads)) {
            checkInputs(files, card, runner.inputNames());
            if (!runner.outputNames().contains(card.output().name())) {
                throw new InputException(files.card() + ": output.name: '" + card.output().name() + "' is not an output of " + files.model()
                        + " (its outputs: " + String.join(", ", original(model)) + ")");
            }
            try {
                out = runner.run(zeros(card), wanted(card, graphSites, probe, true));
            } catch (InputException e) {
                throw new InputException(files.card() + ": the graph refused the card's input shapes or dtypes: " + e.getMessage(), e);
            }
        }
        HostTensor y = out.get(card.output().name());
        if (!Arrays.equals(y.shape(), card.output().shape()) || y.floats() == null) {
            throw new InputException(files.card() + ": output.shape: the graph gives " + Arrays.toString(y.shape())
                    + (y.floats() == null ? " int64" : "") + " for the card's inputs, the card says " + Arrays.toString(card.output().shape()) + " float32");
        }
        long batch = card.sample().shape()[0];
        List<GeluSite> sites = new ArrayList<>();
        List<SiteSpec> specs = new ArrayList<>();
        for (GraphSite s : graphSites) {
            long[] shape = out.get(s.output()).shape();
            int channels = Math.toIntExact(s.layout() == SiteLayout.CHANNEL_FIRST ? shape[1] : shape[shape.length - 1]);
            long rows = elements(shape) / channels;
            // QuickGelu (x sigmoid(1.702 x)) has no runtime form of its own; the form is never applied here, the graph computes it
            sites.add(new GeluSite(s.index(), s.name(), channels, s.kind() == GeluKind.TANH ? GeluForm.TANH : GeluForm.EXACT, s.layout(), s.role()));
            specs.add(new SiteSpec(s.name(), channels, Math.max(1, rows / batch), s.role()));
        }
        Map<String, long[]> shapes = new LinkedHashMap<>();
        for (String name : probe.shapeOutputs()) {
            shapes.put(name, out.get(name).longs());
        }
        List<GemmRecorder.Op> gemms = probe.gemms(shapes);
        SamplerSpec sp = card.sampler();
        int trained = sp.trainingSteps() > 0 ? sp.trainingSteps() : FLOW_TRAINED_STEPS;
        WorkloadIdentity who = new WorkloadIdentity(card.workload(), card.group(), card.modality(), variant(graphSites));
        DenoiserInfo info = DenoiserInfo.of(who, "ONNX graph " + files.model().getFileName() + " with model card " + files.card().getFileName()
                        + " (" + graphSites.size() + " GELU sites found in the graph)",
                specs, files.model().toString(), describe(card), DEFAULT_SAMPLES, sp.steps(), trained);
        float[] noise = files.initNoise() == null ? null : InitNoise.read(files.initNoise(), CardSampler.latentShape(card));
        return new OnnxWorkload(files, card, probing, probe, List.copyOf(graphSites), List.copyOf(sites), info, List.copyOf(gemms), threads, noise);
    }

    private static void checkInputs(Files files, ModelCard card, Set<String> graphInputs) {
        Map<String, String> named = new LinkedHashMap<>();
        named.put(card.sample().name(), "inputs.sample.name");
        named.put(card.timestep().tensor().name(), "inputs.timestep.name");
        for (int i = 0; i < card.conditioning().size(); i++) {
            named.put(card.conditioning().get(i).tensor().name(), "inputs.conditioning[" + i + "].name");
        }
        for (Map.Entry<String, String> e : named.entrySet()) {
            if (!graphInputs.contains(e.getKey())) {
                throw new InputException(files.card() + ": " + e.getValue() + ": '" + e.getKey() + "' is not an input of " + files.model()
                        + " (its inputs: " + String.join(", ", new TreeSet<>(graphInputs)) + ")");
            }
        }
        Set<String> missing = new TreeSet<>(graphInputs);
        missing.removeAll(named.keySet());
        if (!missing.isEmpty()) {
            throw new InputException(files.card() + ": inputs: the graph " + files.model() + " also takes " + String.join(", ", missing)
                    + ", which the card does not describe (add it under inputs.conditioning)");
        }
    }

    private static List<String> original(OnnxModel model) {
        return model.graph().getOutputList().stream().map(o -> o.getName()).toList();
    }

    /** Exact unless every site is tanh; GEGLU when the headline sites are GEGLU gates. */
    private static GeluVariant variant(List<GraphSite> sites) {
        if (sites.stream().anyMatch(s -> s.role() == SiteRole.GEGLU_GATE || s.role() == SiteRole.TEMPORAL_GEGLU_GATE)) {
            return GeluVariant.GEGLU;
        }
        return sites.stream().allMatch(s -> s.kind() == GeluKind.TANH) ? GeluVariant.TANH : GeluVariant.EXACT;
    }

    private static String describe(ModelCard card) {
        SamplerSpec s = card.sampler();
        String g = s.guidance() == null ? "no guidance"
                : "CFG " + s.guidance().scale() + " (" + s.guidance().batching().cardName() + ")";
        return s.kind().cardName() + " sampler from the model card (" + s.steps() + " steps by default), " + g + "; the output predicts "
                + card.output().predicts().cardName();
    }

    /** Zero inputs of the card's shapes and dtypes: the call that checks the card and measures the graph. */
    private static Map<String, HostTensor> zeros(ModelCard card) {
        Map<String, HostTensor> in = new LinkedHashMap<>();
        List<TensorSpec> specs = new ArrayList<>();
        specs.add(card.sample());
        specs.add(card.timestep().tensor());
        card.conditioning().forEach(c -> specs.add(c.tensor()));
        for (TensorSpec t : specs) {
            int n = Math.toIntExact(t.elements());
            in.put(t.name(), t.dtype() == ModelCard.Dtype.FLOAT32 ? HostTensor.ofFloats(t.shape(), new float[n]) : HostTensor.ofLongs(t.shape(), new long[n]));
        }
        return in;
    }

    private static List<String> wanted(ModelCard card, List<GraphSite> sites, GemmProbe probe, boolean shapes) {
        List<String> w = new ArrayList<>();
        w.add(card.output().name());
        for (GraphSite s : sites) {
            if (!w.contains(s.output())) {
                w.add(s.output());
            }
        }
        if (shapes) {
            w.addAll(probe.shapeOutputs());
        }
        return w;
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public DenoiserInfo info() {
        return info;
    }

    public ModelCard card() {
        return card;
    }

    public Files files() {
        return files;
    }

    /** The GEMMs of one call as measured when the workload was opened, each with the site it consumes. */
    public List<GemmRecorder.Op> gemms() {
        return gemms;
    }

    /** The graph's weights: every float initializer element. */
    public long parameters() {
        long n = 0;
        for (var t : probing.graph().getInitializerList()) {
            if (t.getDataType() == org.colsparse.onnx.proto.Onnx.TensorProto.DataType.FLOAT_VALUE) {
                long e = 1;
                for (long d : t.getDimsList()) {
                    e *= d;
                }
                n += e;
            }
        }
        return n;
    }

    /** {@code checkpoint} is refused (the graph holds its weights); conditioning comes from the card, not {@code --cond}. */
    @Override
    public LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        if (checkpoint != null) {
            throw new InputException("--checkpoint: an ONNX workload's weights are in its graph " + files.model() + "; drop --checkpoint");
        }
        Workload.refuseConditions(info, conditions);
        return new Loaded(manager);
    }

    private final class Loaded implements LoadedWorkload {
        private final NDManager manager;
        /** The card's sampler, its conditioning files read once for every sample. */
        private final CardSampler sampler;
        private final OnnxRunner plain;
        /** The graph with the sweep's threshold inside, opened on the first zeroing call. */
        private OnnxRunner thresholded;

        Loaded(NDManager manager) {
            this.manager = manager;
            // before the runner, so that a bad conditioning file leaves nothing open
            this.sampler = new CardSampler(card);
            this.plain = new OnnxRunner(probing, threads);
        }

        @Override
        public DenoiserInfo info() {
            return info;
        }

        @Override
        public List<GeluSite> sites() {
            return sites;
        }

        /**
         * Sample {@code first + j} runs the card's sampler on its own from seed {@code seed + j} (one sample
         * per run, as the profiler and the sweep call it); {@code --init-noise} replaces sample 0's starting noise.
         */
        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            List<Samples> out = new ArrayList<>();
            for (int j = 0; j < samples; j++) {
                int i = first + j;
                out.add(sampler.sample(manager, i, steps, seed + j, i == 0 ? initNoise : null, inputs -> call(inputs, tap), listener, CallListener.NONE));
            }
            return Samples.concat(out);
        }

        private HostTensor call(Map<String, HostTensor> inputs, GeluTap tap) {
            Map<String, HostTensor> feeds = new LinkedHashMap<>(inputs);
            boolean zeroing = tap != null && !Double.isNaN(tap.tau());
            float tau = zeroing ? NearZeroMask.largestFloatNotAbove(tap.tau()) : Float.NaN;
            boolean recording = GemmRecorder.recording();
            List<String> wanted = tap == null && !recording ? List.of(card.output().name()) : wanted(card, graphSites, probe, recording);
            OnnxRunner runner = plain;
            if (zeroing) {
                if (thresholded == null) {
                    thresholded = new OnnxRunner(GraphRewrite.threshold(probing, graphSites), threads);
                }
                runner = thresholded;
                feeds.put(GraphRewrite.TAU_INPUT, HostTensor.ofFloats(new long[0], new float[] {tau}));
            }
            Map<String, HostTensor> out = runner.run(feeds, wanted);
            if (tap != null) {
                for (GeluSite site : sites) {
                    HostTensor t = out.get(graphSites.get(site.index()).output());
                    // OnnxRunner.run hands back fresh arrays, so an observer may read this one as it is
                    boolean transposed = site.layout() == SiteLayout.CHANNEL_FIRST;
                    float[] data = transposed ? GeluTap.channelLast(t.floats(), t.floats().length, t.shape()[0], site.channels()) : t.floats();
                    // the thresholded graph's taps are the GELU values before its threshold: zero them as the graph did
                    if (zeroing) {
                        if (!transposed) {
                            // a site's output may also be the graph's output (or another site's): zero a copy
                            data = data.clone();
                        }
                        for (int k = 0; k < data.length; k++) {
                            if (Math.abs(data[k]) <= tau) {
                                data[k] = 0f;
                            }
                        }
                    }
                    tap.observe(site, data, data.length / site.channels());
                }
            }
            if (recording) {
                Map<String, long[]> shapes = new LinkedHashMap<>();
                for (String name : probe.shapeOutputs()) {
                    shapes.put(name, out.get(name).longs());
                }
                GemmRecorder.record(probe.gemms(shapes));
            }
            return out.get(card.output().name());
        }

        @Override
        public Decoders.Choice decoding() {
            double[] clip = card.sampler().clip();
            if (info.modality() == Modality.IMAGE && clip != null && clip[1] > clip[0]) {
                return new Decoders.Choice("picture x in [" + clip[0] + ", " + clip[1] + "] (the card's output_clip)",
                        s -> Decoders.image(s, -clip[0], 1 / (clip[1] - clip[0])));
            }
            return LoadedWorkload.super.decoding();
        }

        /** The first channel of each sample as a grey picture, over the card's clip range or the values' own. */
        @Override
        public Path writePreview(Samples samples, Path dir) {
            long[] s = samples.shape();
            float[] v = samples.values();
            int n = (int) s[0];
            int h = s.length >= 3 ? (int) s[s.length - 2] : 1;
            int w = (int) s[s.length - 1];
            int per = v.length / n;
            float[] first = new float[n * h * w];
            for (int i = 0; i < n; i++) {
                System.arraycopy(v, i * per, first, i * h * w, h * w);
            }
            double[] clip = card.sampler().clip();
            float lo;
            float hi;
            if (clip != null) {
                lo = (float) clip[0];
                hi = (float) clip[1];
            } else {
                lo = Float.POSITIVE_INFINITY;
                hi = Float.NEGATIVE_INFINITY;
                for (float x : first) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
                if (!(hi > lo)) {
                    hi = lo + 1;
                }
            }
            Path file = dir.resolve("samples.png");
            ImageGrid.write(file, first, n, h, w, lo, hi, Math.max(1, 112 / Math.max(h, w)));
            return file;
        }

        @Override
        public void close() {
            plain.close();
            if (thresholded != null) {
                thresholded.close();
            }
        }
    }
}
