package org.colsparse.denoiser.full;

import org.colsparse.catalog.Mdm;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.ConditionInput;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.denoiser.LoadedNetwork;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.Workload;
import org.colsparse.denoiser.tiny.StickFigures;
import org.colsparse.motion.MotionClip;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.DdpmSampler;
import org.colsparse.sampler.EpsModel;
import org.colsparse.sampler.Guidance;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.StepListener;
import org.colsparse.sampler.X0Sampler;
import org.colsparse.util.InputException;
import org.colsparse.workload.SiteRole;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.colsparse.denoiser.full.FullConditions.ROWS;

/**
 * {@code mdm --preset full}: the official HumanML3D text-to-motion MDM with its released checkpoint,
 * sampled as {@code sample/generate.py} does: 1000-step DDPM on the cosine schedule
 * ({@code utils/model_util.py create_gaussian_diffusion}: {@code predict_xstart=True}, {@code
 * sigma_small=True} = the posterior variance, no clipping since generate passes
 * {@code clip_denoised=False}), classifier-free guidance 2.5 as {@code model/cfg_sampler.py}
 * ({@code uncond + scale * (cond - uncond)} on the x0 predictions), 120 frames (6 s at 20 fps).
 * The step is the official posterior mean {@code coef1 x0 + coef2 x} ({@link X0Sampler#ddpm}); fewer
 * {@code --steps} respace the schedule as improved DDPM does. The conditional and unconditional rows
 * run as one batch (docs/definitions.md); noise comes from the project's seeded generator, not torch's.
 */
public final class FullMdmWorkload implements Workload {
    static final String CHECKPOINT = "humanml_trans_enc_512/model000475000.pt (GuyTevet/motion-diffusion-model, HumanML3D text-to-motion)";
    static final String TEXT = "text";
    static final String MEAN = "mean";
    static final String STD = "std";
    static final int FRAMES = 120;
    static final double GUIDANCE = 2.5;
    static final String HOW_TEXT = "CLIP ViT-B/32 text feature of the prompt, as MDM's clip_encode_text makes it: "
            + "model, _ = clip.load('ViT-B/32', device='cpu', jit=False); texts = clip.tokenize([prompt], context_length=22, truncate=True) "
            + "zero-padded to 77 tokens; np.save('text.npy', model.encode_text(texts).float().numpy())";
    /** HumanML3D's t2m skeleton (data_loaders/humanml/utils/paramUtil.py t2m_kinematic_chain) as parent indices. */
    static final int[] PARENTS = {-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19};
    static final String[] JOINTS = {"pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2", "left_ankle",
        "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar", "right_collar", "head", "left_shoulder",
        "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist"};
    private static final DenoiserInfo INFO;

    static {
        // one sample's rows: the preset's site rows divided by its CFG batch of 2
        List<SiteSpec> sites = SiteSpec.list(Mdm.shapes(1), s -> SiteRole.FFN);
        INFO = DenoiserInfo.of(Mdm.IDENTITY,
                "full-size MDM (HumanML3D text-to-motion, trans_enc): 8 post-norm encoder layers, width 512, 4 heads, FFN 512 -> 1024 exact GELU, "
                        + FRAMES + " frames + 1 condition token, CLIP ViT-B/32 text feature",
                sites, CHECKPOINT, "DDPM 1000 steps (cosine, x0 prediction, posterior variance), CFG 2.5 (batch x2)", 1, 1000, 1000);
    }

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public List<ConditionInput> conditions() {
        return List.of(
                new ConditionInput(TEXT, "(512,) or (B, 512) float32", true, HOW_TEXT),
                new ConditionInput(MEAN, "(263,) float32", false,
                        "preview only: HumanML3D's dataset/HumanML3D/Mean.npy, to un-normalize samples into joint positions (stick figures); "
                                + "without mean and std the preview plots normalized feature curves"),
                new ConditionInput(STD, "(263,) float32", false, "preview only: HumanML3D's dataset/HumanML3D/Std.npy (see mean)"));
    }

    @Override
    public LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        return load(manager, checkpoint, conditions, FullMdm.OFFICIAL, FRAMES);
    }

    /** Loads a (possibly reduced, for tests) configuration; the public entry points use the official one. */
    static Loaded load(NDManager manager, Path checkpoint, Map<String, Path> conditions, FullMdm.Config config, int frames) {
        FullCheckpoint.required(checkpoint, INFO);
        FullConditions.onlyKnown(conditions, "mdm", List.of(TEXT, MEAN, STD));
        int clip = config.clipDim();
        float[][] text = FullConditions.floats(TEXT, FullConditions.required(conditions, "mdm", TEXT), new long[] {clip}, new long[] {ROWS, clip});
        float[] mean = null;
        float[] std = null;
        if (conditions.containsKey(MEAN) != conditions.containsKey(STD)) {
            throw new InputException("--cond mean and --cond std go together (HumanML3D's Mean.npy and Std.npy)");
        }
        if (conditions.containsKey(MEAN)) {
            long[] one = {config.features()};
            long[] oneRow = {1, config.features()};
            mean = FullConditions.floats(MEAN, conditions.get(MEAN), one, oneRow)[0];
            std = FullConditions.floats(STD, conditions.get(STD), one, oneRow)[0];
        }
        try (FullCheckpoint source = FullCheckpoint.open(checkpoint, keys -> FullMdmWorkload::modelKey)) {
            FullMdm net = new FullMdm(manager, config);
            source.loadInto(net, "MDM (HumanML3D)");
            return new Loaded(net, text, frames, mean, std);
        }
    }

    /**
     * The official file's key as the model names it, or null for a key ignored by rule:
     * <ul>
     * <li>{@code sequence_pos_encoder.pe} and {@code embed_timestep.sequence_pos_encoder.pe}: the fixed
     * sinusoid buffer (stored twice, the timestep embedder shares the module); recomputed, and deleted
     * by the official {@code load_model_wo_clip} too;</li>
     * <li>{@code clip_model.*}: the frozen CLIP text encoder (the official training loop drops it
     * before saving; its output comes in through {@code --cond text});</li>
     * <li>a training-checkpoint dict ({@code model.*}, {@code model_avg.*}, ...): {@code model.*} is used
     * as {@code load_saved_model} does without {@code --use_ema}, every other entry is ignored.</li>
     * </ul>
     */
    static String modelKey(String key) {
        String k = key;
        if (k.startsWith("model.")) {
            k = k.substring("model.".length());
        } else if (k.startsWith("model_avg.") || k.startsWith("opt.") || k.startsWith("optimizer.")) {
            return null;
        }
        if (k.equals("sequence_pos_encoder.pe") || k.equals("embed_timestep.sequence_pos_encoder.pe") || k.startsWith("clip_model.")) {
            return null;
        }
        return k;
    }

    /** HumanML3D 263-d features (un-normalized) to 22 joint positions: the official {@code recover_from_ric}. */
    static double[] recoverFromRic(float[] data, int frames, int features) {
        int joints = JOINTS.length;
        double[] xyz = new double[frames * joints * 3];
        double angle = 0;
        double px = 0;
        double pz = 0;
        for (int f = 0; f < frames; f++) {
            int row = f * features;
            if (f > 0) {
                // root rotation about y accumulates the previous frames' angular velocities
                angle += data[row - features];
                // the previous frame's root velocity, in the body frame, rotated into the world frame
                double[] v = qrotInverse(angle, data[row - features + 1], 0, data[row - features + 2]);
                px += v[0];
                pz += v[2];
            }
            int base = f * joints * 3;
            xyz[base] = px;
            xyz[base + 1] = data[row + 3];
            xyz[base + 2] = pz;
            for (int j = 1; j < joints; j++) {
                int at = row + 4 + (j - 1) * 3;
                double[] p = qrotInverse(angle, data[at], data[at + 1], data[at + 2]);
                xyz[base + j * 3] = p[0] + px;
                xyz[base + j * 3 + 1] = p[1];
                xyz[base + j * 3 + 2] = p[2] + pz;
            }
        }
        return xyz;
    }

    /** qrot(qinv(q), v) for q = (cos a, 0, sin a, 0), as HumanML3D's quaternion.py computes it. */
    private static double[] qrotInverse(double a, double x, double y, double z) {
        double w = Math.cos(a);
        double qx = 0;
        double qy = -Math.sin(a);
        double qz = 0;
        double ux = qy * z - qz * y;
        double uy = qz * x - qx * z;
        double uz = qx * y - qy * x;
        double uux = qy * uz - qz * uy;
        double uuy = qz * ux - qx * uz;
        double uuz = qx * uy - qy * ux;
        return new double[] {x + 2 * (w * ux + uux), y + 2 * (w * uy + uuy), z + 2 * (w * uz + uuz)};
    }

    /** A loaded full-size MDM with its text features. */
    static final class Loaded extends LoadedNetwork<FullMdm> {
        private final float[][] text;
        private final int frames;
        private final float[] mean;
        private final float[] std;
        private final NoiseSchedule schedule;

        Loaded(FullMdm net, float[][] text, int frames, float[] mean, float[] std) {
            super(INFO, net);
            this.text = text;
            this.frames = frames;
            this.mean = mean;
            this.std = std;
            this.schedule = NoiseSchedule.cosine(net.config().timesteps());
        }

        /** The guided x0 prediction at timestep t: one denoiser call on [x; x] with [text; zeros]. */
        EpsModel guidedX0(NDArray both, GeluTap tap) {
            int rows = (int) both.getShape().get(0);
            return Guidance.classifierFree((x, t) -> {
                int[] ts = new int[rows];
                Arrays.fill(ts, t);
                return net().predict(x, ts, both, tap);
            }, GUIDANCE);
        }

        /** Samples {@code first .. first + samples - 1}'s text rows, then as many empty-text (zero) rows. */
        NDArray textBatch(NDManager m, int first, int samples) {
            int clip = net().config().clipDim();
            NDArray cond = m.create(FullConditions.cycled(text, first, samples), new Shape(samples, clip));
            return NDArrays.concat(new NDList(cond, cond.zerosLike()), 0);
        }

        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            if (steps < 1 || steps > schedule.steps()) {
                throw new InputException("--steps: MDM's schedule has " + schedule.steps() + " steps, got " + steps);
            }
            try (NDManager run = runManager()) {
                X0Sampler sampler = X0Sampler.ddpm(schedule.respace(steps), DdpmSampler.Variance.FIXED_SMALL);
                NDArray out = sampler.sample(run, new Shape(samples, frames, net().config().features()), guidedX0(textBatch(run, first, samples), tap),
                        seed, listener);
                return new Samples(out.toFloatArray(), out.getShape().getShape());
            }
        }

        @Override
        public Path writePreview(Samples samples, Path dir) {
            long[] s = samples.shape();
            int n = (int) s[0];
            int f = (int) s[1];
            int feats = (int) s[2];
            float[] v = samples.values();
            if (mean == null || feats != 263) {
                return FullPreview.featureCurves(samples, new int[] {0, 1, 2, 3, 4, 5},
                        new String[] {"root rot vel", "root vel x", "root vel z", "root height", "joint 1 x", "joint 1 y"},
                        "MDM samples: normalized HumanML3D features (give --cond mean=Mean.npy --cond std=Std.npy for stick figures)", dir);
            }
            List<MotionClip> clips = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                float[] d = new float[f * feats];
                for (int j = 0; j < d.length; j++) {
                    d[j] = v[i * f * feats + j] * std[j % feats] + mean[j % feats];
                }
                clips.add(new MotionClip(JOINTS, PARENTS, 20, 1, recoverFromRic(d, f, feats)));
                labels.add("text " + (i % text.length));
            }
            Path file = dir.resolve(FullPreview.SAMPLES);
            StickFigures.write(file, clips, 8, labels);
            return file;
        }
    }
}
