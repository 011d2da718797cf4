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
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.EpsModel;
import org.colsparse.sampler.StepListener;
import org.colsparse.sweep.DecodesOutput;
import org.colsparse.sweep.ModalOutput;
import org.colsparse.sweep.OutputDecoder;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPresets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code mld --preset full}: the MLD-1 HumanML3D text-to-motion denoiser with the official Lightning
 * checkpoint, sampled as {@code MLD._diffusion_reverse} (mld/models/modeltype/mld.py) does: latents
 * (N, 1, 256) from N(0, I), DDIM 50 steps ({@link FullMldSampler}), classifier-free guidance 7.5 with
 * the batch {@code [unconditional; conditional]} (the empty prompt's CLIP feature first, as
 * {@code forward} builds {@code [""] * n + texts}) in ONE call, {@code uncond + 7.5 (cond - uncond)}.
 * The result is the motion latent: the motion VAE's decoder (a skip-connected transformer decoder to
 * HumanML3D's 263 features, which then need the dataset's mean/std and forward kinematics) is not run,
 * so the preview plots the latent vectors and the accuracy sweep compares latents.
 */
public final class FullMldWorkload implements Workload {
    static final double CFG_SCALE = 7.5;
    static final String CHECKPOINT = "1222_mld_humanml3d_FID041.ckpt (ChenFengYe/motion-latent-diffusion, MLD-1 HumanML3D,"
            + " prepare/download_pretrained_models.sh)";
    static final String TEXT = "text";
    static final String NULL_TEXT = "null_text";

    private static final DenoiserInfo INFO;

    static {
        List<SiteSpec> sites = new ArrayList<>();
        for (org.colsparse.workload.GeluSite s : FullPresets.of("mld").sites()) {
            sites.add(new SiteSpec(s.name(), Math.toIntExact(s.k()), s.tokensPerSample(), "ffn"));
        }
        INFO = new DenoiserInfo("mld", "motion", "motion", "exact",
                "MLD-1 (ChenFengYe/motion-latent-diffusion), HumanML3D text-to-motion denoiser: skip-connected encoder of 9 post-norm layers,"
                        + " FFN 256 -> 1024 exact GELU, 3 tokens (motion latent, time, CLIP text); outputs the 1 x 256 motion latent (no VAE decode)",
                sites, CHECKPOINT, "DDIM (diffusers, eta 0, scaled-linear betas, steps_offset 1), CFG 7.5 (batch x2, unconditional first)",
                1, 50, FullMldSampler.TRAINING_STEPS);
    }

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public List<ConditionInput> conditions() {
        String how = "CLIP ViT-L/14 (openai/clip-vit-large-patch14, MLD's deps/clip-vit-large-patch14) get_text_features of the"
                + " tokenized prompt (padding max_length 77), as mld/models/architectures/mld_clip.py computes it";
        return List.of(
                new ConditionInput(TEXT, "(N, 768) or (N, 1, 768) float32", true,
                        "one text feature per sample (used in order, repeated when --samples exceeds N): " + how),
                new ConditionInput(NULL_TEXT, "(768,), (1, 768) or (1, 1, 768) float32", true,
                        "the unconditional input of classifier-free guidance: the same feature of the empty prompt \"\""));
    }

    @Override
    public LoadedWorkload load(NDManager manager, Path checkpoint) {
        return load(manager, checkpoint, Map.of());
    }

    @Override
    public LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        return load(manager, checkpoint, conditions, FullMld.Config.humanml3d());
    }

    /** Loads a checkpoint of {@code config}'s architecture; tests pass a reduced config. */
    static Loaded load(NDManager manager, Path checkpoint, Map<String, Path> conditions, FullMld.Config config) {
        if (checkpoint == null) {
            throw new InputException("--checkpoint: the full-size mld needs the official weights, " + CHECKPOINT);
        }
        for (String name : conditions.keySet()) {
            if (!TEXT.equals(name) && !NULL_TEXT.equals(name)) {
                throw new InputException("--cond " + name + ": mld takes only --cond " + TEXT + "=FILE and --cond " + NULL_TEXT + "=FILE");
            }
        }
        for (String name : List.of(TEXT, NULL_TEXT)) {
            if (!conditions.containsKey(name)) {
                throw new InputException("--cond " + name + ": required by the full-size mld (see 'colsparse workloads --preset full')");
            }
        }
        float[][] text = readFeatures(TEXT, conditions.get(TEXT), config.textDim(), false);
        float[] nullText = readFeatures(NULL_TEXT, conditions.get(NULL_TEXT), config.textDim(), true)[0];
        FullMld net = new FullMld(manager, config);
        try (TensorSource source = FullMldCheckpoint.open(checkpoint)) {
            net.params().load(source, "MLD denoiser");
        } catch (RuntimeException e) {
            net.close();
            throw e;
        }
        return new Loaded(net, text, nullText, manager);
    }

    /** A float feature file: (N, dim) or (N, 1, dim); with {@code single}, exactly one row, also as (dim). */
    static float[][] readFeatures(String name, Path file, int dim, boolean single) {
        try (TensorSource src = TensorSources.open(file)) {
            List<TensorInfo> all = src.tensors();
            if (all.size() != 1) {
                throw new InputException("--cond " + name + ": " + file + " holds " + all.size() + " tensors, expected one");
            }
            TensorInfo t = all.get(0);
            long[] s = t.shape();
            boolean ok = s.length >= 1 && s.length <= 3 && s[s.length - 1] == dim
                    && (s.length != 3 || s[1] == 1) && (single ? t.elementCount() == dim : s.length >= 2 && s[0] >= 1);
            if (!ok) {
                throw new InputException("--cond " + name + ": " + file + " has shape " + t.shapeString() + ", expected "
                        + (single ? "(" + dim + "), (1, " + dim + ") or (1, 1, " + dim + ")" : "(N, " + dim + ") or (N, 1, " + dim + ")"));
            }
            if (!t.dtype().isFloating()) {
                throw new InputException("--cond " + name + ": " + file + " is " + t.dtype() + ", expected float features");
            }
            int rows = Math.toIntExact(t.elementCount() / dim);
            TensorData d = src.data(t.name());
            float[][] out = new float[rows][dim];
            for (int r = 0; r < rows; r++) {
                d.readFloats((long) r * dim, out[r], 0, dim);
                for (int i = 0; i < dim; i++) {
                    if (!Float.isFinite(out[r][i])) {
                        throw new InputException("--cond " + name + ": " + file + " holds NaN or Inf (row " + r + ")");
                    }
                }
            }
            return out;
        }
    }

    /**
     * The guided noise estimate for n samples: ONE denoiser call on 2n rows, the unconditional half
     * first as mld.py orders it, then {@code uncond + scale * (cond - uncond)}.
     *
     * @param text (n, textDim) conditional features; nullText (1, textDim)
     */
    static NDArray guided(FullMld net, NDArray x, int t, NDArray text, NDArray nullText, double scale, GeluTap tap) {
        long n = x.getShape().get(0);
        NDArray features = NDArrays.concat(new NDList(nullText.repeat(0, n), text), 0);
        NDArray out = net.forward(NDArrays.concat(new NDList(x, x), 0), x.getManager().full(new Shape(2 * n), (float) t), features, tap);
        NDArray uncond = out.get("0:" + n);
        NDArray cond = out.get(n + ":");
        return uncond.add(cond.sub(uncond).mul((float) scale));
    }

    static final class Loaded implements LoadedWorkload, DecodesOutput {
        private final FullMld net;
        private final float[][] text;
        private final float[] nullText;
        private final NDManager manager;

        Loaded(FullMld net, float[][] text, float[] nullText, NDManager manager) {
            this.net = net;
            this.text = text;
            this.nullText = nullText;
            this.manager = manager;
        }

        FullMld net() {
            return net;
        }

        @Override
        public DenoiserInfo info() {
            return INFO;
        }

        @Override
        public List<GeluSite> sites() {
            return net.sites();
        }

        /** (n, textDim): the text features in order, repeated. */
        float[] textRows(int n) {
            int dim = net.config().textDim();
            float[] out = new float[n * dim];
            for (int i = 0; i < n; i++) {
                System.arraycopy(text[i % text.length], 0, out, i * dim, dim);
            }
            return out;
        }

        @Override
        public Samples sample(int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            if ((long) (steps - 1) * (FullMldSampler.TRAINING_STEPS / steps) + 1 >= FullMldSampler.TRAINING_STEPS) {
                throw new InputException("--steps: MLD's DDIM (steps_offset 1) reaches past timestep 999 with " + steps + " steps; at most 999");
            }
            FullMldSampler sampler = FullMldSampler.of(steps);
            int dim = net.config().textDim();
            try (NDManager run = manager.newSubManager()) {
                NDArray cond = run.create(textRows(samples), new Shape(samples, dim));
                NDArray uncond = run.create(nullText, new Shape(1, dim));
                EpsModel model = (x, t) -> guided(net, x, t, cond, uncond, CFG_SCALE, tap);
                NDArray x = sampler.sample(run, new Shape(samples, 1, net.config().latent()), model, seed, listener);
                return new Samples(x.toFloatArray(), x.getShape().getShape());
            }
        }

        @Override
        public Path writePreview(Samples samples, Path dir) {
            return FullMldPreview.write(samples, dir);
        }

        /** Latents only (no VAE decode, no HumanML3D statistics): the sweep compares them by relative L2. */
        @Override
        public OutputDecoder outputDecoder() {
            return s -> new ModalOutput.Raw();
        }

        @Override
        public void close() {
            net.close();
        }
    }
}
