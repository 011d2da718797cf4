package org.colsparse.denoiser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.FlowSdeSampler;
import org.colsparse.sampler.StepListener;
import org.colsparse.sweep.Decoders;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.SiteRole;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code vit-mnist}: the shipped third-party MNIST diffusion transformer, sampled as its author's
 * {@code python generate.py --dataset MNIST --model vit} samples: the Euler–Maruyama flow-matching
 * solver with the command line's defaults, 50 steps, diffusion 0 (so a deterministic Euler ODE:
 * the noise term and the score correction vanish), guidance weight 2 inside 0.3 < t < 0.7 (not
 * {@code diffusion_generation}'s own defaults, 25 steps and diffusion 1, which the command line
 * overrides). Sample {@code i} asks for digit {@code i mod 10}, as the author's grid does.
 */
public final class VitMnistWorkload implements Workload {
    public static final String ID = "vit-mnist";
    static final String CHECKPOINT = "models/vit-mnist/DiffusionViT.pth";
    public static final int STEPS = 50;
    public static final double GUIDANCE = 2.0;
    public static final double CFG_START = 0.3;
    public static final double CFG_END = 0.7;
    public static final double DIFFUSION = 0.0;

    /** A shipped workload outside docs/workloads.md's table: no full-size runtime, no full-size shapes. */
    public static final WorkloadIdentity IDENTITY = new WorkloadIdentity(ID, WorkloadGroup.PURE_TRANSFORMER, Modality.IMAGE, GeluVariant.EXACT);

    private static final DenoiserInfo INFO;

    static {
        List<SiteSpec> sites = new ArrayList<>();
        for (int i = 0; i < VitMnist.LAYERS; i++) {
            sites.add(new SiteSpec("transformer." + i + ".gelu", VitMnist.FFN, VitMnist.TOKENS, SiteRole.FFN));
        }
        // flow time is continuous: any step count works; 1000 keeps the reported timesteps (t in thousandths) distinct
        INFO = DenoiserInfo.of(IDENTITY,
                "third-party pretrained MNIST diffusion transformer (MIT): 7x7 patches + 2 time + 2 class tokens, 4 post-LN encoder layers",
                sites, CHECKPOINT, "Euler flow-matching ODE (the author's solver at diffusion 0), CFG 2.0 for 0.3 < t < 0.7; cond and uncond calls per sample; timestep = 1000 t",
                10, STEPS, 1000);
    }

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        Workload.refuseConditions(info(), conditions);
        Path file = Workload.weightsFile(checkpoint, CHECKPOINT, "shipped with the repository; is colsparse.home set to the repository root?");
        VitMnist model = new VitMnist(manager);
        Workload.loadWeights(model.params(), file, ID, model::close);
        return new Loaded(model);
    }

    /** The digit sample {@code i} of a run asks for. */
    public static int label(int sample) {
        return sample % VitMnist.CLASSES;
    }

    static final class Loaded extends LoadedNetwork<VitMnist> {
        Loaded(VitMnist model) {
            super(INFO, model);
        }

        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            return sample(first, samples, steps, FlowSdeSampler.Noise.seeded(seed), tap, listener);
        }

        /** The same run with the noise drawn from {@code noise} (a reference implementation's, in tests). */
        Samples sample(int first, int samples, int steps, FlowSdeSampler.Noise noise, GeluTap tap, StepListener listener) {
            FlowSdeSampler sampler = new FlowSdeSampler(steps, GUIDANCE, CFG_START, CFG_END, DIFFUSION);
            Shape shape = new Shape(samples, 1, VitMnist.SIZE, VitMnist.SIZE);
            try (NDManager run = runManager()) {
                NDArray x = sampler.sample(run, shape, (z, t, conditional) -> predictEach(first, z, t, conditional, tap), noise, listener);
                // generate.py clips the integrated images to [0, 1]: that picture is the model's output
                return new Samples(x.clip(0f, 1f).toFloatArray(), shape.getShape());
            }
        }

        /**
         * One denoiser call per image (docs/definitions.md: a call holds one sample), the conditional and the
         * unconditional branch being separate calls as in the author's solver: each GELU site sees
         * 20 token rows per call. Row {@code i} of {@code x} is sample {@code first + i} of the run.
         */
        private NDArray predictEach(int first, NDArray x, float t, boolean conditional, GeluTap tap) {
            long n = x.getShape().get(0);
            NDList out = new NDList();
            for (int i = 0; i < n; i++) {
                int[] label = {conditional ? label(first + i) : VitMnist.NULL_LABEL};
                out.add(net().predict(x.get(i + ":" + (i + 1)), t, label, tap));
            }
            return NDArrays.concat(out, 0);
        }

        @Override
        public Decoders.Choice decoding() {
            return new Decoders.Choice("picture x in [0, 1] (the author's sampler clips its output there)", s -> Decoders.image(s, 0.0, 1.0));
        }

        @Override
        public Path writePreview(Samples samples, Path dir) {
            long[] s = samples.shape();
            Path file = dir.resolve("samples.png");
            ImageGrid.write(file, samples.values(), (int) s[0], (int) s[2], (int) s[3], 0f, 1f, 4);
            return file;
        }
    }
}
