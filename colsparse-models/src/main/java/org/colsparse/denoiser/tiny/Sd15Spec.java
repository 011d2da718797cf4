package org.colsparse.denoiser.tiny;

import org.colsparse.catalog.Sd15;
import ai.djl.ndarray.NDManager;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.DenoiserInfo;

import java.util.List;

/** {@code sd15}: tiny class-conditional SD-style UNet (cross-attention to label tokens, GEGLU) on Fashion-MNIST. */
public final class Sd15Spec extends FashionImageSpec {
    static final int[] CH = {16, 32, 32};
    static final int CONTEXT_TOKENS = 4;
    private static final DenoiserInfo INFO;

    static {
        List<SiteSpec> sites = TinyUnet.siteSpecs(CH, FashionData.SIZE, 0);
        INFO = DenoiserInfo.of(Sd15.IDENTITY,
                "tiny trained SD-style UNet: 3 resolutions (16/32/32 channels, 28/14/7 px), 5 spatial transformers with cross-attention to 4 label tokens, GEGLU 32 -> 2x128 exact gelu, Fashion-MNIST",
                sites, "models/sd15/model.safetensors", "DDIM (eta 0), CFG 7.5 (batch x2)", 10, 25, TRAINING_TIMESTEPS);
    }

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public TinyNet build(NDManager manager) {
        return new TinyUnet(manager, 1, CH, FashionData.CLASSES, CONTEXT_TOKENS, 2, 8);
    }

    @Override
    public Recipe recipe() {
        return new Recipe(400, 16, 1e-3, 0.1);
    }

    @Override
    public double guidance() {
        return 7.5;
    }

    @Override
    public String card() {
        return """
                Architecture, in SD 1.5's UNet order (diffusers names): conv_in; down blocks at 28 / 14 / 7 px with 16 / 32 / 32
                channels — a ResnetBlock2D (GroupNorm 8, SiLU, time-embedding injection) in each, a Transformer2DModel after it at
                14 and 7 px, stride-2 conv downsamplers; mid block ResNet, Transformer, ResNet at 7 px; up blocks mirroring them
                with skip concatenation, Transformers at 7 and 14 px and nearest-2x + conv upsamplers; GroupNorm, SiLU, conv_out.
                Each Transformer2DModel: GroupNorm, 1x1 proj_in, BasicTransformerBlock (self-attention, **cross-attention** to the
                context, **GEGLU** feed-forward 32 -> 2 x 128 -> 32 with exact gelu on the gate, expansion 4), 1x1 proj_out. The
                context is SD's text-encoder output replaced by 4 learned tokens (width 32) per class label, with a null label for
                classifier-free guidance. Sites in forward order: down attention (2), mid (1), up attention (2), as SD 1.5's 6 + 1 + 9.

                Differences from SD 1.5: pixel space (28 x 28 x 1) instead of the VAE latent (64 x 64 x 4), three resolutions
                instead of four, one ResNet and one transformer per block instead of two/three, 16-32 channels instead of 320-1280,
                class tokens instead of CLIP text.

                Samples, honestly: after only 400 steps of batch 16 (the UNet is the slowest tiny model on this CPU) the samples are
                blurry class silhouettes — tops, trousers, dresses, coats recognizable; footwear and bags noisy.""";
    }
}
