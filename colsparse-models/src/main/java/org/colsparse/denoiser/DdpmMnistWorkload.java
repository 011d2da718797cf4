package org.colsparse.denoiser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.GeluTap;
import org.colsparse.sampler.DdpmSampler;
import org.colsparse.sampler.StepListener;
import org.colsparse.sweep.Decoders;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.SiteRole;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

import java.nio.file.Path;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

/** {@code ddpm-mnist}: the shipped third-party MNIST DDPM, sampled with its author's ancestral update. */
public final class DdpmMnistWorkload implements Workload {
    public static final String ID = "ddpm-mnist";
    static final String CHECKPOINT = "models/ddpm-mnist/ddpm_mnist.pth";

    /** A shipped workload outside docs/workloads.md's table: no full-size runtime, no full-size shapes. */
    public static final WorkloadIdentity IDENTITY = new WorkloadIdentity(ID, WorkloadGroup.CONV, Modality.IMAGE, GeluVariant.EXACT);

    private static final DenoiserInfo INFO;

    static {
        List<SiteSpec> sites = new ArrayList<>();
        long pixels = DdpmMnist.SIZE * DdpmMnist.SIZE;
        int[] convChannels = {16, 32, 32, 16};
        sites.add(new SiteSpec("blocks.0.gelu", convChannels[0], pixels, SiteRole.CONV));
        for (int i = 0; i < 3; i++) {
            sites.add(new SiteSpec("time_embed." + (2 * i + 1), 128, 1, SiteRole.TIME_MLP));
        }
        for (int i = 1; i < 4; i++) {
            sites.add(new SiteSpec("blocks." + i + ".gelu", convChannels[i], pixels, SiteRole.CONV));
        }
        INFO = DenoiserInfo.of(IDENTITY,
                "third-party pretrained MNIST DDPM (MIT): 4 conv7x7+LayerNorm+GELU blocks, time MLP",
                sites, CHECKPOINT, "DDPM ancestral, sigma^2 = beta, linear schedule T = 1000", 8, 1000, DdpmMnist.T);
    }

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        Workload.refuseConditions(info(), conditions);
        Path file = Workload.weightsFile(checkpoint, CHECKPOINT, "shipped with the repository; is colsparse.home set to the repository root?");
        DdpmMnist model = new DdpmMnist(manager);
        Workload.loadWeights(model.params(), file, ID, model::close);
        return new Loaded(model);
    }

    static final class Loaded extends LoadedNetwork<DdpmMnist> {
        Loaded(DdpmMnist model) {
            super(INFO, model);
        }

        @Override
        public Samples sample(int first, int samples, int steps, long seed, GeluTap tap, StepListener listener) {
            // unconditional: the sample's number does not change what it is conditioned on
            DdpmSampler sampler = new DdpmSampler(net().schedule().respace(steps), DdpmSampler.Variance.FIXED_LARGE);
            Shape shape = new Shape(samples, 1, DdpmMnist.SIZE, DdpmMnist.SIZE);
            try (NDManager run = runManager()) {
                NDArray x = sampler.sample(run, shape, (z, t) -> net().predict(z, t, tap), seed, listener);
                return new Samples(x.toFloatArray(), shape.getShape());
            }
        }

        @Override
        public Decoders.Choice decoding() {
            return new Decoders.Choice("picture x + 0.5 clipped to [0, 1] (trained on [0, 1] - 0.5)", s -> Decoders.image(s, 0.5, 1.0));
        }

        @Override
        public Path writePreview(Samples samples, Path dir) {
            long[] s = samples.shape();
            float[] v = samples.values();
            // the author trained on pixels in [0, 1] shifted by -0.5
            Path file = dir.resolve("samples.png");
            ImageGrid.write(file, v, (int) s[0], (int) s[2], (int) s[3], -0.5f, 0.5f, 4);
            return file;
        }
    }
}
