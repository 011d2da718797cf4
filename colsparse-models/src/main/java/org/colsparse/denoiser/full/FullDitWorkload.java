package org.colsparse.denoiser.full;

import org.colsparse.catalog.Dit;
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
import org.colsparse.sampler.IddpmRespacing;
import org.colsparse.sampler.LearnedRangeDdpmSampler;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.sampler.StepListener;
import org.colsparse.sweep.Decoders;
import org.colsparse.sweep.ModalOutput;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.SiteRole;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code dit --preset full}: DiT-XL/2 with the official class-conditional ImageNet checkpoint
 * ({@code DiT-XL-2-256x256.pt}, 32 x 32 x 4 latents, or {@code DiT-XL-2-512x512.pt}, 64 x 64 x 4;
 * the size is read from the file's {@code pos_embed}), sampled as facebookresearch/DiT
 * {@code sample.py} does by default: {@code create_diffusion("250")} (linear betas over T = 1000,
 * respaced to 250 steps, eps prediction, learned-range variance: {@link LearnedRangeDdpmSampler},
 * no clipping) and {@code forward_with_cfg} at scale 4 (see {@link #guided}). Samples are SD-VAE
 * latents; no VAE ships, so the preview shows latent channels and the accuracy sweep compares latents.
 */
public final class FullDitWorkload implements Workload {
    static final int TRAINING_STEPS = 1000;
    static final double CFG_SCALE = 4.0;
    /** Eps channels that {@code forward_with_cfg} guides ({@code model_out[:, :3]}). */
    static final int GUIDED_CHANNELS = 3;
    /** sample.py's {@code class_labels}. */
    static final int[] DEFAULT_LABELS = {207, 360, 387, 974, 88, 979, 417, 279};
    static final String CHECKPOINT = "DiT-XL-2-256x256.pt or DiT-XL-2-512x512.pt (facebookresearch/DiT, dl.fbaipublicfiles.com/DiT/models/)";
    static final String CLASS = "class";
    private static final String EMA = "ema.";

    private static final DenoiserInfo INFO;

    static {
        List<SiteSpec> sites = SiteSpec.list(Dit.shapes(FullPresets.CFG_BATCH), s -> SiteRole.MLP);
        INFO = DenoiserInfo.of(Dit.IDENTITY,
                "DiT-XL/2 (facebookresearch/DiT), class-conditional ImageNet: 28 adaLN-Zero blocks, width 1152, MLP 1152 -> 4608 tanh GELU,"
                        + " 256 patch tokens at 256^2 (1024 at 512^2), outputs SD-VAE latents (no VAE decode)",
                sites, CHECKPOINT,
                "IDDPM ancestral, linear betas T = 1000 respaced (250 default), learned-range variance, CFG 4 on eps channels 0-2 (batch x2)",
                2, 250, TRAINING_STEPS);
    }

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public List<ConditionInput> conditions() {
        return List.of(new ConditionInput(CLASS, "(N,) int32 or int64", false,
                "ImageNet-1k class ids 0..999, one per sample, used in order and repeated when --samples exceeds N"
                        + " (e.g. python -c \"import numpy as np; np.save('labels.npy', np.array([207, 360]))\");"
                        + " default: sample.py's labels 207, 360, 387, 974, 88, 979, 417, 279"));
    }

    @Override
    public LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        return load(manager, checkpoint, conditions, FullDit.Config.xl2(32));
    }

    /**
     * Loads a checkpoint of {@code base}'s architecture; only the input size comes from the file.
     * Tests pass a reduced config through the same path.
     */
    static Loaded load(NDManager manager, Path checkpoint, Map<String, Path> conditions, FullDit.Config base) {
        FullCheckpoint.required(checkpoint, INFO);
        FullConditions.onlyKnown(conditions, "dit", List.of(CLASS));
        int[] labels = conditions.containsKey(CLASS)
                ? FullConditions.classIds(CLASS, conditions.get(CLASS), base.classes()) : DEFAULT_LABELS.clone();
        try (FullCheckpoint source = FullCheckpoint.open(checkpoint, FullDitWorkload::keyRule)) {
            FullDit net = new FullDit(manager, base.withInputSize(inputSize(source, base)));
            source.loadInto(net, "DiT-XL/2");
            return new Loaded(net, labels);
        }
    }

    /**
     * How {@code DiT.load_state_dict} sees a checkpoint (facebookresearch/DiT {@code download.py}
     * {@code find_model}). The released {@code DiT-XL-2-256x256.pt} / {@code DiT-XL-2-512x512.pt} is a
     * plain state dict, keys used as they are. A {@code train.py} checkpoint {@code {"model", "ema",
     * "opt", "args"}} is recognized by its {@code ema.} keys: like {@code find_model}, the EMA weights
     * are the model ({@code ema.} stripped); {@code model.*} (the raw, non-averaged weights) and
     * {@code opt.*} (Adam state) are ignored by name; {@code args} (an argparse Namespace, a pickled
     * Python object) holds no tensors the reader lists: it is skipped unread. Any other key stays
     * visible, so the loader reports it as unexpected.
     */
    static FullCheckpoint.KeyRule keyRule(List<String> keys) {
        if (keys.stream().noneMatch(k -> k.startsWith(EMA))) {
            return k -> k;
        }
        return k -> k.startsWith(EMA) ? k.substring(EMA.length()) : k.startsWith("model.") || k.startsWith("opt.") ? null : k;
    }

    /** The latent size the checkpoint was trained for: T = (size / patch)^2 tokens in pos_embed (1, T, hidden). */
    private static int inputSize(FullCheckpoint source, FullDit.Config base) {
        TensorInfo pos = source.info("pos_embed");
        if (pos == null) {
            throw new InputException(source.file() + ": not a DiT checkpoint: no pos_embed (keys x_embedder.*, blocks.N.*, final_layer.* expected)");
        }
        long[] s = pos.shape();
        long grid = s.length == 3 ? Math.round(Math.sqrt(s[1])) : -1;
        if (s.length != 3 || s[0] != 1 || grid * grid != s[1] || s[2] != base.hidden()) {
            throw new InputException(source.file() + ": pos_embed is " + pos.shapeString() + ", expected (1, T, " + base.hidden()
                    + ") with T a square number of patches (256 for 256x256, 1024 for 512x512)");
        }
        return Math.toIntExact(grid * base.patch());
    }

    /**
     * {@code DiT.forward_with_cfg} for n samples as ONE denoiser call on 2n rows ({@code [x; x]}, labels
     * {@code [y; null]}). As the official code does "for exact reproducibility reasons", guidance
     * {@code uncond + scale * (cond - uncond)} is applied to the first 3 output channels only; the 4th
     * noise channel and the 4 variance channels are the conditional rows' own. Returns (n, 2C, H, W):
     * the first half of forward_with_cfg's output, the only half sample.py keeps.
     */
    static NDArray guided(FullDit net, NDArray x, int t, int[] labels, double scale, GeluTap tap) {
        int n = labels.length;
        int[] both = Arrays.copyOf(labels, 2 * n);
        Arrays.fill(both, n, 2 * n, net.nullLabel());
        NDArray out = net.forward(NDArrays.concat(new NDList(x, x), 0), x.getManager().full(new Shape(2L * n), (float) t), both, tap);
        NDArray cond = out.get("0:" + n);
        NDArray uncond = out.get(n + ":");
        NDArray condEps = cond.get(":, 0:" + GUIDED_CHANNELS);
        NDArray uncondEps = uncond.get(":, 0:" + GUIDED_CHANNELS);
        NDArray eps = uncondEps.add(condEps.sub(uncondEps).mul((float) scale));
        return NDArrays.concat(new NDList(eps, cond.get(":, " + GUIDED_CHANNELS + ":")), 1);
    }

    /** DiT's schedule at {@code steps} sampler steps: {@code create_diffusion(str(steps))}. */
    static NoiseSchedule schedule(int steps) {
        return IddpmRespacing.respace(IddpmRespacing.linear(TRAINING_STEPS), steps);
    }

    static final class Loaded extends LoadedNetwork<FullDit> {
        private final int[] labels;

        Loaded(FullDit net, int[] labels) {
            super(INFO, net);
            this.labels = labels;
        }

        /** The classes of samples {@code first .. first + n - 1}: sample i takes the i-th given label, the labels repeated. */
        int[] labels(int first, int n) {
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = labels[(first + i) % labels.length];
            }
            return out;
        }

        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            LearnedRangeDdpmSampler sampler = new LearnedRangeDdpmSampler(schedule(steps));
            int[] y = labels(first, samples);
            FullDit.Config c = net().config();
            EpsModel model = (x, t) -> guided(net(), x, t, y, CFG_SCALE, tap);
            try (NDManager run = runManager()) {
                NDArray x = sampler.sample(run, new Shape(samples, c.inChannels(), c.inputSize(), c.inputSize()), model, seed, listener);
                return new Samples(x.toFloatArray(), x.getShape().getShape());
            }
        }

        @Override
        public Path writePreview(Samples samples, Path dir) {
            // DiT works on vae.encode(x) * 0.18215, roughly unit variance: [-3, 3] shows it without clipping much
            String[] rows = Arrays.stream(labels(0, Math.toIntExact(samples.shape()[0]))).mapToObj(l -> "class " + l).toArray(String[]::new);
            return FullPreview.latentChannels(samples, "DiT latents", rows, -3f, 3f, dir);
        }

        /** Latents only (the SD VAE is not part of the denoiser): the sweep compares them by relative L2. */
        @Override
        public Decoders.Choice decoding() {
            return new Decoders.Choice(Decoders.OWN, s -> new ModalOutput.Raw());
        }
    }
}
