package org.colsparse.denoiser.full;

import org.colsparse.catalog.Edge;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.ConditionInput;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.denoiser.LoadedNetwork;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.Workload;
import org.colsparse.runtime.GaussianPair;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.EpsModel;
import org.colsparse.sampler.Guidance;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.StepListener;
import org.colsparse.sampler.X0Sampler;
import org.colsparse.util.InputException;
import org.colsparse.workload.SiteRole;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleFunction;
import java.util.function.Supplier;

import static org.colsparse.denoiser.full.FullConditions.ROWS;

/**
 * {@code edge --preset full}: EDGE's DanceDecoder with the official weights, sampled as {@code EDGE.py
 * render_sample(mode="long")} runs it, {@code model/diffusion.py long_ddim_sample} ({@link #longDdim}): the
 * samples are consecutive 5 s slices of one song, whose first halves are overwritten after each step by the
 * previous slice's second half, and the guidance weight ramps from 0 at t = 999 to 2. One sample is sampled by
 * {@code ddim_sample}, as {@code long_ddim_sample} itself hands it over; {@code COLSPARSE_EDGE_SAMPLER=short} (or
 * {@code -Dcolsparse.edge.sampler=short}) samples every batch so ({@code render_sample(mode="normal")}: independent
 * slices, fixed guidance 2). Both: 1000-step cosine schedule ({@code make_beta_schedule}, stored as float32),
 * 50 DDIM steps at {@code linspace(-1, 999, 51)} truncated to integers, eta 1, the x0 prediction clipped to
 * [-1, 1] ({@code clip_denoised=True}), the last step returning x0, guidance {@code unc + (cond - unc) * w}
 * ({@code guided_forward}). The two guided passes run as one batch (docs/definitions.md); noise comes from the project's
 * seeded generator, not torch's.
 */
public final class FullEdgeWorkload implements Workload {
    static final String CHECKPOINT = "checkpoint.pt (Stanford-TML/EDGE, download_model.sh)";
    static final double GUIDANCE = 2;
    static final String HOW_MUSIC = "Jukebox features of 5 s slices at 30 fps, in song order (the long-form sampler joins sample i to"
            + " sample i - 1); in the EDGE repo, slice the song with data/slice.py slice_audio(wav, 2.5, 5.0, dir), then for each slice "
            + "reps, _ = data.audio_extraction.jukebox_features.extract(slice_wav) (jukemirlib layer 66, 30 fps); np.save('music.npy', np.stack(all_reps))";
    static final String MUSIC = "music";
    static final String SAMPLER_PROPERTY = "colsparse.edge.sampler";
    static final String SAMPLER_ENV = "COLSPARSE_EDGE_SAMPLER";
    private static final DenoiserInfo INFO;

    static {
        List<SiteSpec> sites = SiteSpec.list(Edge.shapes(1), s -> s.name().startsWith("cond.") ? SiteRole.COND_FFN : SiteRole.FFN);
        INFO = DenoiserInfo.of(Edge.IDENTITY,
                "full-size EDGE DanceDecoder: 2 pre-norm music-encoder layers + 8 FiLM decoder layers, width 512, 8 heads, rotary, "
                        + "FFN 512 -> 1024 exact GELU, 150 frames (5 s at 30 fps), Jukebox 4800-d music features",
                sites, CHECKPOINT, "long_ddim_sample: DDIM 50 steps (eta 1, cosine, x0 prediction clipped to [-1, 1]), guidance"
                        + " min(linspace(0, 4, steps), 2) (batch x2), samples = consecutive slices overlapping by half", 1, 50, 1000);
    }

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public List<ConditionInput> conditions() {
        return List.of(new ConditionInput(MUSIC, "(150, 4800) or (B, 150, 4800) float32", true, HOW_MUSIC));
    }

    @Override
    public LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        return load(manager, checkpoint, conditions, FullEdge.OFFICIAL);
    }

    static Loaded load(NDManager manager, Path checkpoint, Map<String, Path> conditions, FullEdge.Config config) {
        FullCheckpoint.required(checkpoint, INFO);
        FullConditions.onlyKnown(conditions, "edge", List.of(MUSIC));
        long frames = config.frames();
        long features = config.condFeatures();
        float[][] music = FullConditions.floats(MUSIC, FullConditions.required(conditions, "edge", MUSIC),
                new long[] {frames, features}, new long[] {ROWS, frames, features});
        try (FullCheckpoint source = FullCheckpoint.open(checkpoint, keys -> FullEdgeWorkload::modelKey)) {
            boolean longForm = longForm(System.getProperty(SAMPLER_PROPERTY, System.getenv(SAMPLER_ENV)));
            FullEdge net = new FullEdge(manager, config);
            source.loadInto(net, "EDGE DanceDecoder");
            return new Loaded(net, music, longForm);
        }
    }

    /** Whether the sampler setting (null: unset) asks for {@code long_ddim_sample}, the default. */
    static boolean longForm(String setting) {
        if (setting == null || setting.isBlank() || setting.equals("long")) {
            return true;
        }
        if (setting.equals("short")) {
            return false;
        }
        throw new InputException(SAMPLER_ENV + " / -D" + SAMPLER_PROPERTY + ": 'long' (long_ddim_sample, the default) or 'short'"
                + " (ddim_sample), got '" + setting + "'");
    }

    /**
     * The file's key as the model names it, or null for a key ignored by rule. The official
     * checkpoint.pt is EDGE.py's training dict {@code {"ema_state_dict", "model_state_dict",
     * "optimizer_state_dict", "normalizer"}}; a plain state dict exported from the model reads the same
     * without the first rule:
     * <ul>
     * <li>{@code ema_state_dict.*} is used (EDGE.py loads the EMA weights by default);
     * {@code model_state_dict.*} (the raw, non-averaged weights) and {@code optimizer_state_dict.*} are
     * ignored; the {@code normalizer} (a pickled {@code dataset.preprocess.Normalizer} whose
     * {@code MinMaxScaler} holds torch tensors) is a foreign object to the reader, which drops its state with
     * it: its tensors are never listed, so their storages are never read;</li>
     * <li>a {@code module.} prefix (a DistributedDataParallel save, EDGE.py {@code maybe_wrap}) is stripped;</li>
     * <li>{@code rotary.freqs} and every layer's {@code *.rotary.freqs}: the fixed rotary frequency buffer
     * ({@code learned_freq=False}), shared by all layers and stored once per layer; recomputed.</li>
     * </ul>
     */
    static String modelKey(String key) {
        String k = key;
        if (k.startsWith("ema_state_dict.")) {
            k = k.substring("ema_state_dict.".length());
        } else if (k.startsWith("model_state_dict.") || k.startsWith("optimizer_state_dict.")) {
            return null;
        }
        if (k.startsWith("module.")) {
            k = k.substring("module.".length());
        }
        if (k.equals("rotary.freqs") || k.endsWith(".rotary.freqs")) {
            return null;
        }
        return k;
    }

    /**
     * EDGE's schedule as its buffers hold it: float64 cosine betas ({@code model/utils.py
     * make_beta_schedule}, clipped to 0.999) stored as float32, {@code alphas_cumprod} of the float32
     * alphas.
     */
    static NoiseSchedule schedule(int timesteps) {
        double s = 8e-3;
        double[] f = new double[timesteps + 1];
        for (int i = 0; i <= timesteps; i++) {
            double c = Math.cos(((double) i / timesteps + s) / (1 + s) * Math.PI / 2);
            f[i] = c * c;
        }
        double[] betas = new double[timesteps];
        double[] alphaBars = new double[timesteps];
        int[] ts = new int[timesteps];
        double acc = 1;
        for (int i = 0; i < timesteps; i++) {
            double beta = Math.min(Math.max(1 - (f[i + 1] / f[0]) / (f[i] / f[0]), 0), 0.999);
            float b = (float) beta;
            betas[i] = b;
            acc *= 1f - b;
            alphaBars[i] = (float) acc;
            ts[i] = i;
        }
        return new NoiseSchedule(betas, alphaBars, ts);
    }

    /** The DDIM steps of {@code ddim_sample}: timesteps {@code int(linspace(-1, T - 1, steps + 1))} without the -1. */
    static NoiseSchedule ddimSteps(NoiseSchedule full, int steps) {
        int total = full.steps();
        if (steps < 1 || steps > total) {
            throw new InputException("--steps: EDGE's DDIM takes 1.." + total + " steps, got " + steps);
        }
        double[] ab = full.alphaBars();
        double[] b = new double[steps];
        double[] a = new double[steps];
        int[] ts = new int[steps];
        double last = 1;
        for (int i = 0; i < steps; i++) {
            // linspace point i + 1 of steps + 1 over [-1, T - 1], truncated toward zero like torch's .int()
            ts[i] = (int) (-1 + (double) total * (i + 1) / steps);
            a[i] = ab[ts[i]];
            b[i] = 1 - a[i] / last;
            last = a[i];
        }
        return new NoiseSchedule(b, a, ts);
    }

    /** The guidance weight of step {@code step} (0 = the step from t = 999) of {@code long_ddim_sample}: {@code clip(linspace(0, 2 w, steps), None, w)}. */
    static double longWeight(int step, int steps, double guidance) {
        return steps == 1 ? 0 : Math.min(2 * guidance * step / (steps - 1), guidance);
    }

    /**
     * {@code long_ddim_sample} from {@code xT} (taken over; rows = consecutive slices, frames even): DDIM eta 1
     * over {@code steps} with guidance {@link #longWeight}; after each step that does not end the run and starts
     * from t > 0, rows 1.. get the previous row's second half of the frames as their first half. A batch of one
     * row is {@code ddim_sample}'s. {@code noise} gives the noise of each step that draws any, in order.
     *
     * @param x0 the guided, clipped x0 prediction at a guidance weight
     */
    static NDArray longDdim(NDArray xT, NoiseSchedule steps, double guidance, DoubleFunction<EpsModel> x0,
                            Supplier<NDArray> noise, StepListener listener) {
        X0Sampler ddim = X0Sampler.ddim(steps, 1);
        NDManager manager = xT.getManager();
        long rows = xT.getShape().get(0);
        long frames = xT.getShape().get(1);
        if (rows > 1 && frames % 2 != 0) {
            throw new IllegalArgumentException("long_ddim_sample needs an even frame count, got " + frames);
        }
        long half = frames / 2;
        int n = steps.steps();
        int[] times = steps.timesteps();
        double[] alphaBars = steps.alphaBars();
        NDArray x = xT;
        for (int i = 0; i < n; i++) {
            int k = n - 1 - i;
            int t = times[k];
            listener.beforeStep(i, n, t);
            try (NDScope scope = new NDScope()) {
                NDArray pred = x0.apply(rows == 1 ? guidance : longWeight(i, n, guidance)).predict(x, t);
                NDArray next = pred;
                if (k > 0) {
                    double[] c = ddim.coefficients(k);
                    double ab = alphaBars[k];
                    NDArray eps = x.sub(pred.mul((float) Math.sqrt(ab))).div((float) Math.sqrt(1 - ab));
                    next = pred.mul((float) c[0]).add(eps.mul((float) c[1])).add(noise.get().mul((float) c[2]));
                    if (t > 0 && rows > 1) {
                        NDArray shifted = NDArrays.concat(new NDList(next.get("0:-1, " + half + ":"), next.get("1:, " + half + ":")), 1);
                        next = NDArrays.concat(new NDList(next.get("0:1"), shifted), 0);
                    }
                }
                NDScope.unregister(next);
                next.attach(manager);
                x.close();
                x = next;
            }
        }
        return x;
    }

    /** A loaded full-size EDGE with its music features. */
    static final class Loaded extends LoadedNetwork<FullEdge> {
        private final float[][] music;
        private final NoiseSchedule schedule;
        private final boolean longForm;

        Loaded(FullEdge net, float[][] music, boolean longForm) {
            super(INFO, net);
            this.music = music;
            this.schedule = FullEdgeWorkload.schedule(1000);
            this.longForm = longForm;
        }

        NoiseSchedule schedule() {
            return schedule;
        }

        /** The guided, clipped x0 prediction at weight {@code guidance}: one call on [x; x] with the music in both halves, kept in the first. */
        EpsModel guidedX0(NDArray musicBoth, GeluTap tap, double guidance) {
            int rows = (int) musicBoth.getShape().get(0);
            boolean[] keep = new boolean[rows];
            Arrays.fill(keep, 0, rows / 2, true);
            EpsModel guided = Guidance.classifierFree((x, t) -> {
                int[] ts = new int[rows];
                Arrays.fill(ts, t);
                return net().predict(x, ts, musicBoth, keep, tap);
            }, guidance);
            return (x, t) -> guided.predict(x, t).clip(-1, 1);
        }

        /** Samples {@code first .. first + samples - 1}'s music rows, twice (both guidance branches). */
        NDArray musicBatch(NDManager m, int first, int samples) {
            FullEdge.Config c = net().config();
            NDArray one = m.create(FullConditions.cycled(music, first, samples), new Shape(samples, c.frames(), c.condFeatures()));
            return NDArrays.concat(new NDList(one, one), 0);
        }

        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            NoiseSchedule ddimSteps = ddimSteps(schedule, steps);
            try (NDManager run = runManager()) {
                FullEdge.Config c = net().config();
                Shape shape = new Shape(samples, c.frames(), c.features());
                NDArray musicBoth = musicBatch(run, first, samples);
                NDArray out;
                if (longForm) {
                    SplittableRandom rng = new SplittableRandom(seed);
                    int size = Math.toIntExact(shape.size());
                    NDArray xT = run.create(GaussianPair.floats(rng, size), shape);
                    out = longDdim(xT, ddimSteps, GUIDANCE, w -> guidedX0(musicBoth, tap, w),
                            () -> run.create(GaussianPair.floats(rng, size), shape), listener);
                } else {
                    out = X0Sampler.ddim(ddimSteps, 1).sample(run, shape, guidedX0(musicBoth, tap, GUIDANCE), seed, listener);
                }
                return new Samples(out.toFloatArray(), out.getShape().getShape());
            }
        }

        /** Curves: EDGE's motion is normalized by a scaler the checkpoint pickles, and its 6-D rotations need the SMPL rig. */
        @Override
        public Path writePreview(Samples samples, Path dir) {
            int feats = (int) samples.shape()[2];
            int[] channels = feats >= 7 ? new int[] {0, 1, 4, 5, 6, 7} : new int[] {0};
            String[] labels = feats >= 7 ? new String[] {"contact L ankle", "contact R ankle", "root x", "root y", "root z", "pelvis rot6d[0]"}
                    : new String[] {"feature 0"};
            return FullPreview.featureCurves(samples, channels, labels,
                    "EDGE samples: normalized features in [-1, 1] (151 = contacts of L/R ankle and L/R toe, root position, 24 SMPL joints x 6-D rotation)", dir);
        }
    }
}
