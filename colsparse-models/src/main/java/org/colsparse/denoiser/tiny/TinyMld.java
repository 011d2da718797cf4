package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import org.colsparse.runtime.Embeddings;
import org.colsparse.runtime.EncoderLayer;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Network;
import org.colsparse.runtime.Nn;

import java.util.function.Predicate;

/**
 * A tiny MLD (Chen et al. 2023): a small motion VAE maps a window to one latent token; the denoiser
 * sees three tokens — latent, timestep, condition — through a skip-connected encoder of 9 post-norm
 * layers (4 in, 1 middle, 4 out joined to the matching input layer by concat + Linear, as MLD's
 * SkipTransformerEncoder) with exact-GELU FFNs of ratio 4 (MLD's 256 -> 1024), final LayerNorm, and
 * predicts the latent token's noise. Names follow ChenFengYe/motion-latent-diffusion where they exist.
 */
public final class TinyMld extends Network implements TinyNet {
    public static final int LAYERS = 9;
    private final int dim;
    private final int frames;
    private final int features;
    private final EncoderLayer[] blocks = new EncoderLayer[LAYERS];

    public TinyMld(NDManager manager, int frames, int features, int dim, int vaeHidden, int heads, int classes) {
        super(manager);
        this.dim = dim;
        this.frames = frames;
        this.features = features;
        int in = frames * features;
        p.declare("vae.encoder.0.weight", vaeHidden, in);
        p.declare("vae.encoder.0.bias", vaeHidden);
        p.declare("vae.encoder.2.weight", 2L * dim, vaeHidden);
        p.declare("vae.encoder.2.bias", 2L * dim);
        p.declare("vae.decoder.0.weight", vaeHidden, dim);
        p.declare("vae.decoder.0.bias", vaeHidden);
        p.declare("vae.decoder.2.weight", in, vaeHidden);
        p.declare("vae.decoder.2.bias", in);
        p.declare("denoiser.time_embedding.linear_1.weight", dim, dim);
        p.declare("denoiser.time_embedding.linear_1.bias", dim);
        p.declare("denoiser.time_embedding.linear_2.weight", dim, dim);
        p.declare("denoiser.time_embedding.linear_2.bias", dim);
        p.declare("denoiser.emb_proj.weight", classes + 1, dim);
        int half = (LAYERS - 1) / 2;
        for (int i = 0; i < LAYERS; i++) {
            String name = i < half ? "input_blocks." + i : i == half ? "middle_block" : "output_blocks." + (i - half - 1);
            blocks[i] = new EncoderLayer(p, "denoiser.encoder." + name, dim, heads, 4 * dim, false, s, "encoder." + name + ".gelu");
        }
        for (int i = 0; i < half; i++) {
            p.declare("denoiser.encoder.linear_blocks." + i + ".weight", dim, 2L * dim);
            p.declare("denoiser.encoder.linear_blocks." + i + ".bias", dim);
        }
        p.declare("denoiser.encoder.norm.weight", dim);
        p.declare("denoiser.encoder.norm.bias", dim);
    }

    @Override
    public Predicate<String> denoiserParams() {
        return n -> n.startsWith("denoiser.");
    }

    /** VAE encoder: (B, frames, features) -> mean and log-variance, each (B, 1, dim). */
    public NDArray[] encodeDistribution(NDArray motion) {
        long b = motion.getShape().get(0);
        NDArray h = Nn.silu(Nn.linear(motion.reshape(b, (long) frames * features), p, "vae.encoder.0"));
        NDArray out = Nn.linear(h, p, "vae.encoder.2");
        return new NDArray[] {out.get(":, 0:" + dim).reshape(b, 1, dim), out.get(":, " + dim + ":").reshape(b, 1, dim)};
    }

    /** VAE decoder: (B, 1, dim) latents -> (B, frames, features). */
    public NDArray decodeLatent(NDArray z) {
        long b = z.getShape().get(0);
        NDArray h = Nn.silu(Nn.linear(z.reshape(b, dim), p, "vae.decoder.0"));
        return Nn.linear(h, p, "vae.decoder.2").reshape(b, frames, features);
    }

    @Override
    public NDArray encode(NDArray data) {
        return encodeDistribution(data)[0];
    }

    @Override
    public NDArray decode(NDArray sampled) {
        return decodeLatent(sampled);
    }

    /** @param x (B, 1, dim) noisy latent; cond (B, classes + 1) one-hot action */
    @Override
    public NDArray predict(NDArray x, NDArray t, NDArray cond, GeluTap tap) {
        NDArray temb = Embeddings.timestep(t, dim, true, 0, 10000);
        temb = Nn.linear(Nn.silu(Nn.linear(temb, p, "denoiser.time_embedding.linear_1")), p, "denoiser.time_embedding.linear_2");
        NDArray c = cond.matMul(p.get("denoiser.emb_proj.weight"));
        // MLD's token order: the latent, then the time token, then the condition token
        NDArray h = NDArrays.concat(new NDList(x, temb.expandDims(1), c.expandDims(1)), 1);
        h = h.add(Embeddings.positional(x.getManager(), 3, dim).expandDims(0));
        int half = (LAYERS - 1) / 2;
        NDArray[] skips = new NDArray[half];
        for (int i = 0; i < half; i++) {
            h = blocks[i].forward(h, tap);
            skips[i] = h;
        }
        h = blocks[half].forward(h, tap);
        for (int i = 0; i < half; i++) {
            h = NDArrays.concat(new NDList(h, skips[half - 1 - i]), 2);
            h = Nn.linear(h, p, "denoiser.encoder.linear_blocks." + i);
            h = blocks[half + 1 + i].forward(h, tap);
        }
        h = Nn.layerNorm(h, p, "denoiser.encoder.norm", 1e-5f);
        return h.get(":, 0:1, :");
    }

    @Override
    public NDArray nullCond(NDArray cond) {
        return Labels.nullLike(cond);
    }
}
