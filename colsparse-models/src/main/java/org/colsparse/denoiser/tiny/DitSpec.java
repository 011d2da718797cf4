package org.colsparse.denoiser.tiny;

import org.colsparse.catalog.Dit;
import ai.djl.ndarray.NDManager;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.workload.SiteRole;

import java.util.ArrayList;
import java.util.List;

/** {@code dit}: tiny class-conditional DiT on Fashion-MNIST. */
public final class DitSpec extends FashionImageSpec {
    static final int DIM = 48;
    static final int DEPTH = 4;
    static final int HEADS = 4;
    private static final DenoiserInfo INFO;

    static {
        List<SiteSpec> sites = new ArrayList<>();
        int tokens = (FashionData.SIZE / TinyDit.PATCH) * (FashionData.SIZE / TinyDit.PATCH);
        for (int i = 0; i < DEPTH; i++) {
            sites.add(new SiteSpec("blocks." + i + ".mlp.gelu", 4 * DIM, tokens, SiteRole.MLP));
        }
        INFO = DenoiserInfo.of(Dit.IDENTITY,
                "tiny trained DiT: 4 adaLN-Zero blocks, width 48, MLP 48 -> 192 tanh GELU, 49 patch tokens, class-conditional, Fashion-MNIST",
                sites, "models/dit/model.safetensors", "DDIM (eta 0), CFG 4 (batch x2)", 20, 25, TRAINING_TIMESTEPS);
    }

    @Override
    public DenoiserInfo info() {
        return INFO;
    }

    @Override
    public TinyNet build(NDManager manager) {
        return new TinyDit(manager, FashionData.SIZE, DIM, DEPTH, HEADS, FashionData.CLASSES);
    }

    @Override
    public Recipe recipe() {
        return new Recipe(1500, 32, 1e-3, 0.1);
    }

    @Override
    public double guidance() {
        return 4;
    }

    @Override
    public String card() {
        return """
                Architecture, in DiT's order: patch embedding (4 x 4 patches of the 28 x 28 image, 49 tokens of width 48) +
                fixed 2-D sin-cos positions; conditioning vector c = timestep embedding (256 sinusoidal frequencies -> Linear -> SiLU ->
                Linear) + class embedding (10 Fashion-MNIST classes + 1 null class); 4 DiT blocks with adaLN-Zero (LayerNorm without
                affine, shift/scale/gate from SiLU(c), 4 heads of self-attention, MLP 48 -> 192 -> 48 with **tanh-approximate GELU**,
                expansion 4 as in DiT-XL/2's 1152 -> 4608); adaLN final layer; unpatchify. adaLN modulations and the output layer start
                at zero (DiT §3.2). Parameter names follow facebookresearch/DiT.

                Differences from DiT-XL/2: pixels instead of an SD-VAE latent (28 x 28 x 1 instead of 32 x 32 x 4), patch 4 instead of 2,
                width 48 / depth 4 / 4 heads instead of 1152 / 28 / 16, and only the noise is predicted (DiT also learns the variance;
                the sampler here is DDIM, which does not use it).

                Sample quality, honestly: after 1500 steps of batch 32 the samples show the class silhouettes of tops, trousers,
                pullovers, dresses and coats, with visible 4 x 4 patch artifacts; footwear and bags come out as noisy fragments. The
                model is meant to produce real activations of a trained DiT, not good images.""";
    }
}
