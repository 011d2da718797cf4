package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.ConditionInput;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.Workload;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.EpsModel;
import org.colsparse.sampler.Guidance;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.StepListener;
import org.colsparse.sampler.X0Sampler;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPresets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.colsparse.denoiser.full.FullConditions.ROWS;

/**
 * {@code edge --preset full}: EDGE's DanceDecoder with the official weights, sampled as
 * {@code model/diffusion.py ddim_sample} does: 1000-step cosine schedule ({@code
 * make_beta_schedule}, stored as float32), 50 DDIM steps at {@code linspace(-1, 999, 51)} truncated
 * to integers, eta 1, the x0 prediction clipped to [-1, 1] ({@code clip_denoised=True}), the last
 * step returning x0, guidance {@code unc + (cond - unc) * 2} ({@code guided_forward}). Each sample
 * is one independent 5 s slice: {@code test.py}'s "long" mode, which stitches overlapping slices
 * of one song and ramps the guidance weight, is not reproduced. The two guided passes run as one
 * batch (DESIGN §2); noise comes from the project's seeded generator, not torch's.
 */
public final class FullEdgeWorkload implements Workload {
    static final String CHECKPOINT = "checkpoint.pt (Stanford-TML/EDGE, download_model.sh)";
    static final double GUIDANCE = 2;
    static final String HOW_MUSIC = "Jukebox features of one 5 s slice at 30 fps; in the EDGE repo, "
            + "slice the song with data/slice.py slice_audio(wav, 2.5, 5.0, dir), then for a slice "
            + "reps, _ = data.audio_extraction.jukebox_features.extract(slice_wav) (jukemirlib layer 66, 30 fps); np.save('music.npy', reps)";
    static final String MUSIC = "music";
    private static final DenoiserInfo INFO;

    static {
        List<SiteSpec> sites = new ArrayList<>();
        for (org.colsparse.workload.GeluSite s : FullPresets.of("edge", 1).sites()) {
            sites.add(new SiteSpec(s.name(), (int) s.k(), s.tokensPerSample(), s.name().startsWith("cond.") ? "cond-ffn" : "ffn"));
        }
        INFO = DenoiserInfo.of("edge", "exact",
                "full-size EDGE DanceDecoder: 2 pre-norm music-encoder layers + 8 FiLM decoder layers, width 512, 8 heads, rotary, "
                        + "FFN 512 -> 1024 exact GELU, 150 frames (5 s at 30 fps), Jukebox 4800-d music features",
                sites, CHECKPOINT, "DDIM 50 steps (eta 1, cosine, x0 prediction clipped to [-1, 1]), guidance 2 (batch x2)", 1, 50, 1000);
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
            FullEdge net = new FullEdge(manager, config);
            source.loadInto(net, "EDGE DanceDecoder");
            return new Loaded(net, music);
        }
    }

    /**
     * The file's key as the model names it, or null for a key ignored by rule. The official
     * checkpoint.pt is EDGE.py's training dict {@code {"ema_state_dict", "model_state_dict",
     * "optimizer_state_dict", "normalizer"}}; a plain state dict exported from the model reads the same
     * without the first rule:
     * <ul>
     * <li>{@code ema_state_dict.*} is used (EDGE.py loads the EMA weights by default);
     * {@code model_state_dict.*} (the raw, non-averaged weights) and {@code optimizer_state_dict.*} are
     * ignored; the {@code normalizer} (EDGE's data normalizer, a pickled Python object) holds no
     * tensors the reader lists: it is skipped unread;</li>
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

    /** A loaded full-size EDGE with its music features. */
    static final class Loaded extends FullLoaded<FullEdge> {
        private final float[][] music;
        private final NoiseSchedule schedule;

        Loaded(FullEdge net, float[][] music) {
            super(INFO, net);
            this.music = music;
            this.schedule = FullEdgeWorkload.schedule(1000);
        }

        NoiseSchedule schedule() {
            return schedule;
        }

        /** The guided, clipped x0 prediction: one call on [x; x] with the music in both halves, kept in the first. */
        EpsModel guidedX0(NDArray musicBoth, GeluTap tap) {
            int rows = (int) musicBoth.getShape().get(0);
            boolean[] keep = new boolean[rows];
            Arrays.fill(keep, 0, rows / 2, true);
            EpsModel guided = Guidance.classifierFree((x, t) -> {
                int[] ts = new int[rows];
                Arrays.fill(ts, t);
                return net().predict(x, ts, musicBoth, keep, tap);
            }, GUIDANCE);
            return (x, t) -> guided.predict(x, t).clip(-1, 1);
        }

        NDArray musicBatch(NDManager m, int samples) {
            FullEdge.Config c = net().config();
            NDArray one = m.create(FullConditions.cycled(music, samples), new Shape(samples, c.frames(), c.condFeatures()));
            return NDArrays.concat(new NDList(one, one), 0);
        }

        @Override
        public Samples sample(int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            X0Sampler sampler = X0Sampler.ddim(ddimSteps(schedule, steps), 1);
            try (NDManager run = runManager()) {
                FullEdge.Config c = net().config();
                NDArray out = sampler.sample(run, new Shape(samples, c.frames(), c.features()), guidedX0(musicBatch(run, samples), tap), seed, listener);
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
