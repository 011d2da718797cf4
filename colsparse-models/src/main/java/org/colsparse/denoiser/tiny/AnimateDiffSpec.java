package org.colsparse.denoiser.tiny;

import org.colsparse.catalog.AnimateDiff;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.ImageGrid;
import org.colsparse.denoiser.Samples;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.DenoiserInfo;

import java.nio.file.Path;
import java.util.List;

/** {@code animatediff}: the tiny SD-style UNet with AnimateDiff motion modules, on 8-frame Fashion-MNIST clips. */
public final class AnimateDiffSpec implements TinySpec {
    static final int[] CH = {16, 32, 32};
    static final int CONTEXT_TOKENS = 4;
    private static final DenoiserInfo INFO;

    static {
        List<SiteSpec> sites = TinyUnet.siteSpecs(CH, FashionData.SIZE, VideoData.FRAMES);
        INFO = DenoiserInfo.of(AnimateDiff.IDENTITY,
                "tiny trained AnimateDiff: the tiny SD-style UNet with a motion module (temporal transformer over 8 frames, GEGLU) after each of its 5 spatial transformers, 8-frame moving Fashion-MNIST clips",
                sites, "models/animatediff/model.safetensors", "DDIM (eta 0), CFG 8 (batch x2)", 4, 16, TRAINING_TIMESTEPS);
    }

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public TinyNet build(NDManager manager) {
        return new TinyUnet(manager, 1, CH, FashionData.CLASSES, CONTEXT_TOKENS, 2, 8, VideoData.FRAMES);
    }

    @Override
    public TrainingData data() {
        return new VideoData();
    }

    @Override
    public Recipe recipe() {
        return new Recipe(300, 4, 1e-3, 0.1);
    }

    @Override
    public double guidance() {
        return 8;
    }

    @Override
    public double clipSample() {
        return 1;
    }

    @Override
    public Shape sampleShape(int n) {
        return new Shape(n, VideoData.FRAMES, FashionData.SIZE, FashionData.SIZE);
    }

    @Override
    public NDArray sampleCond(NDManager manager, int first, int n) {
        return Labels.oneHot(manager, Labels.cycle(first, n, FashionData.CLASSES), FashionData.CLASSES);
    }

    @Override
    public Path writePreview(TinyNet net, Samples samples, Path dir) {
        long[] s = samples.shape();
        Path file = dir.resolve("samples.png");
        // one row per clip: the grid is square, so 8 frames x 8 clips fill it row by row; fewer clips leave rows short
        ImageGrid.write(file, samples.values(), (int) (s[0] * s[1]), (int) s[2], (int) s[3], -1f, 1f, 3);
        return file;
    }

    @Override
    public String card() {
        return """
                The tiny sd15 UNet (see models/sd15/MODEL.md: ResNets, spatial transformers with cross-attention to 4 class tokens and
                **GEGLU**, exact gelu, expansion 4) run on the 8 frames of a clip as a batch, with AnimateDiff's **motion module**
                after each of its 5 spatial transformers: GroupNorm, proj_in, two self-attention layers across the 8 frames at every
                spatial position (sinusoidal frame positions), a **GEGLU** feed-forward (expansion 4), proj_out, residual. Sites in
                forward order alternate spatial and temporal, 10 per call (AnimateDiff: spatial + temporal, 36 at full size).

                Differences from AnimateDiff: trained jointly from scratch (AnimateDiff freezes a pretrained SD and trains only the
                motion modules), pixel space 28 x 28 x 8 frames instead of a 64 x 64 x 16 latent, class tokens instead of CLIP text,
                synthetic motion (constant shift and rotation of a real image) instead of WebVid videos.

                Samples, honestly: 300 steps of 4 clips is very short; `samples.png` (8 frames per clip, rows wrap) shows blurry
                blobs that hold their shape across frames for some clips, while one of the four clips is still noise; the point is real activations of a trained spatial + temporal UNet.""";
    }
}
