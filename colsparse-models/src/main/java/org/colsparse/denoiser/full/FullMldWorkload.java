package org.colsparse.denoiser.full;

import org.colsparse.catalog.Mld;
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
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.EpsModel;
import org.colsparse.sampler.StepListener;
import org.colsparse.sweep.Decoders;
import org.colsparse.sweep.ModalOutput;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.SiteRole;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.colsparse.denoiser.full.FullConditions.ROWS;

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
    private static final String LIGHTNING = "state_dict.";
    private static final String DENOISER = "denoiser.";

    private static final DenoiserInfo INFO;

    static {
        List<SiteSpec> sites = SiteSpec.list(Mld.shapes(FullPresets.CFG_BATCH), s -> SiteRole.FFN);
        INFO = DenoiserInfo.of(Mld.IDENTITY,
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
    public LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        return load(manager, checkpoint, conditions, FullMld.Config.humanml3d());
    }

    /** Loads a checkpoint of {@code config}'s architecture; tests pass a reduced config. */
    static Loaded load(NDManager manager, Path checkpoint, Map<String, Path> conditions, FullMld.Config config) {
        FullCheckpoint.required(checkpoint, INFO);
        FullConditions.onlyKnown(conditions, "mld", List.of(TEXT, NULL_TEXT));
        Path textFile = FullConditions.required(conditions, "mld", TEXT);
        Path nullFile = FullConditions.required(conditions, "mld", NULL_TEXT);
        int dim = config.textDim();
        float[][] text = FullConditions.floats(TEXT, textFile, new long[] {ROWS, dim}, new long[] {ROWS, 1, dim});
        float[] nullText = FullConditions.floats(NULL_TEXT, nullFile, new long[] {dim}, new long[] {1, dim}, new long[] {1, 1, dim})[0];
        try (FullCheckpoint source = FullCheckpoint.open(checkpoint, keys -> FullMldWorkload::modelKey)) {
            FullMld net = new FullMld(manager, config);
            source.loadInto(net, "MLD denoiser");
            return new Loaded(net, text, nullText);
        }
    }

    /**
     * The denoiser's name of an MLD checkpoint key, or null. The official file is a PyTorch Lightning
     * checkpoint whose {@code state_dict} holds the whole {@code MLD} module (demo.py loads
     * {@code torch.load(ckpt)["state_dict"]} with strict=True): {@code denoiser.*} is the denoiser;
     * {@code vae.*} (the motion VAE), {@code text_encoder.*} (frozen CLIP) and {@code t2m_*} (the
     * evaluation encoders) are other modules. Rule: exactly the tensors under {@code state_dict.denoiser.}
     * (or {@code denoiser.} in a bare state dict saved from the module) are read, under their module
     * names; every other tensor (the other modules, and Lightning's own entries outside
     * {@code state_dict}: optimizer_states, lr_schedulers, callbacks) is not part of the denoiser and is
     * ignored; Python objects Lightning pickles beside them (OmegaConf hyper-parameters, numpy
     * arrays) are no tensors to the reader and are skipped unread. A file without them is reported with all its missing keys.
     */
    static String modelKey(String key) {
        if (key.startsWith(LIGHTNING + DENOISER)) {
            return key.substring(LIGHTNING.length());
        }
        return key.startsWith(DENOISER) ? key : null;
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

    static final class Loaded extends LoadedNetwork<FullMld> {
        private final float[][] text;
        private final float[] nullText;

        Loaded(FullMld net, float[][] text, float[] nullText) {
            super(INFO, net);
            this.text = text;
            this.nullText = nullText;
        }

        /** (n, textDim): the text features of samples {@code first .. first + n - 1}, in order, repeated. */
        float[] textRows(int first, int n) {
            return FullConditions.cycled(text, first, n);
        }

        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            if ((long) (steps - 1) * (FullMldSampler.TRAINING_STEPS / steps) + 1 >= FullMldSampler.TRAINING_STEPS) {
                throw new InputException("--steps: MLD's DDIM (steps_offset 1) reaches past timestep 999 with " + steps + " steps; at most 999");
            }
            FullMldSampler sampler = FullMldSampler.of(steps);
            FullMld net = net();
            int dim = net.config().textDim();
            try (NDManager run = runManager()) {
                NDArray cond = run.create(textRows(first, samples), new Shape(samples, dim));
                NDArray uncond = run.create(nullText, new Shape(1, dim));
                EpsModel model = (x, t) -> guided(net, x, t, cond, uncond, CFG_SCALE, tap);
                NDArray x = sampler.sample(run, new Shape(samples, 1, net.config().latent()), model, seed, listener);
                return new Samples(x.toFloatArray(), x.getShape().getShape());
            }
        }

        @Override
        public Path writePreview(Samples samples, Path dir) {
            return FullPreview.latentCurves(samples, "MLD motion latents", dir);
        }

        /** Latents only (no VAE decode, no HumanML3D statistics): the sweep compares them by relative L2. */
        @Override
        public Decoders.Choice decoding() {
            return new Decoders.Choice(Decoders.OWN, s -> new ModalOutput.Raw());
        }
    }
}
