package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.DitBlock;
import org.colsparse.runtime.Embeddings;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Network;
import org.colsparse.runtime.Nn;

/**
 * DiT (Peebles &amp; Xie 2023) at any size, with the parameter names and shapes of the official
 * state dicts: facebookresearch/DiT {@code models.py}, classes {@code DiT}, {@code DiTBlock}
 * (here {@link DitBlock}: timm {@code Attention} with a fused qkv, timm {@code Mlp} with tanh GELU),
 * {@code FinalLayer}, {@code TimestepEmbedder}, {@code LabelEmbedder} (with the CFG null class) and
 * timm's {@code PatchEmbed} ({@code x_embedder.proj}, a conv with kernel = stride = patch).
 * {@code pos_embed} is a fixed sin-cos table stored in the checkpoint as a (1, T, hidden) parameter;
 * it is loaded like a weight, so the file decides it.
 *
 * <p>The forward follows {@code DiT.forward}: patchify + pos_embed, c = t_embedder(t) + y_embedder(y),
 * the blocks with adaLN-Zero, the final adaLN layer, unpatchify to (N, out, H, W), where
 * out = 2 x in_channels with {@code learn_sigma} (noise, then the variance interpolation).
 */
public final class FullDit extends Network {
    /** Width of the sinusoidal timestep features ({@code TimestepEmbedder.frequency_embedding_size}). */
    static final int FREQUENCY_EMBEDDING = 256;

    /**
     * One DiT configuration ({@code DiT.__init__} arguments).
     *
     * @param inputSize latent height = width ({@code input_size}, image size / 8)
     * @param classes   {@code num_classes}; the label table has one more row, the CFG null class
     */
    public record Config(int inputSize, int patch, int inChannels, int hidden, int depth, int heads, int mlpRatio,
                         int classes, boolean learnSigma) {
        public Config {
            if (inputSize % patch != 0 || hidden % heads != 0 || hidden % 4 != 0) {
                throw new IllegalArgumentException("inconsistent DiT config " + inputSize + "/" + patch + "/" + hidden + "/" + heads);
            }
        }

        /** {@code DiT_XL_2}: depth 28, hidden 1152, patch 2, 16 heads, mlp_ratio 4, 4 latent channels, 1000 classes, learn_sigma. */
        public static Config xl2(int inputSize) {
            return new Config(inputSize, 2, 4, 1152, 28, 16, 4, 1000, true);
        }

        public int grid() {
            return inputSize / patch;
        }

        public int tokens() {
            return grid() * grid();
        }

        public int outChannels() {
            return learnSigma ? 2 * inChannels : inChannels;
        }

        public Config withInputSize(int size) {
            return new Config(size, patch, inChannels, hidden, depth, heads, mlpRatio, classes, learnSigma);
        }
    }

    private final Config config;
    private final DitBlock[] blocks;

    /** Declares every parameter (allocating nothing until they are loaded or initialized). */
    public FullDit(NDManager manager, Config config) {
        super(manager);
        this.config = config;
        int d = config.hidden();
        int k = config.patch();
        p.declare("pos_embed", 1, config.tokens(), d);
        p.declare("x_embedder.proj.weight", d, config.inChannels(), k, k);
        p.declare("x_embedder.proj.bias", d);
        p.declare("t_embedder.mlp.0.weight", d, FREQUENCY_EMBEDDING);
        p.declare("t_embedder.mlp.0.bias", d);
        p.declare("t_embedder.mlp.2.weight", d, d);
        p.declare("t_embedder.mlp.2.bias", d);
        p.declare("y_embedder.embedding_table.weight", config.classes() + 1L, d);
        blocks = new DitBlock[config.depth()];
        for (int i = 0; i < config.depth(); i++) {
            // site names as the full preset (org.colsparse.workload.DiT) names them
            blocks[i] = new DitBlock(p, "blocks." + i, d, config.heads(), config.mlpRatio(), s, "block." + i + ".mlp");
        }
        p.declare("final_layer.adaLN_modulation.1.weight", 2L * d, d);
        p.declare("final_layer.adaLN_modulation.1.bias", 2L * d);
        p.declare("final_layer.linear.weight", (long) k * k * config.outChannels(), d);
        p.declare("final_layer.linear.bias", (long) k * k * config.outChannels());
    }

    public Config config() {
        return config;
    }

    /** The null label, {@code num_classes}: what {@code forward_with_cfg}'s unconditional half gets. */
    public int nullLabel() {
        return config.classes();
    }

    /**
     * {@code DiT.forward(x, t, y)}.
     *
     * @param x      (N, in, H, W) latents
     * @param t      (N) timesteps of the trained schedule, as floats
     * @param labels N class labels in [0, classes] (classes = the null label)
     * @return (N, out, H, W)
     */
    public NDArray forward(NDArray x, NDArray t, int[] labels, GeluTap tap) {
        NDManager m = x.getManager();
        long b = x.getShape().get(0);
        int d = config.hidden();
        int k = config.patch();
        int g = config.grid();
        int c = config.inChannels();
        // PatchEmbed: Conv2d(kernel = stride = patch) is a linear map of each (c, p, p) patch, tokens row-major over the grid
        NDArray patches = x.reshape(b, c, g, k, g, k).transpose(0, 2, 4, 1, 3, 5).reshape(b, (long) g * g, (long) c * k * k);
        NDArray h = Nn.linear(patches, p.get("x_embedder.proj.weight").reshape(d, (long) c * k * k), p.get("x_embedder.proj.bias"));
        h = h.add(p.get("pos_embed"));
        NDArray temb = Embeddings.timestep(t, FREQUENCY_EMBEDDING, true, 0, 10000);
        temb = Nn.linear(Nn.silu(Nn.linear(temb, p, "t_embedder.mlp.0")), p, "t_embedder.mlp.2");
        NDArray cond = temb.add(oneHot(m, labels).matMul(p.get("y_embedder.embedding_table.weight")));
        for (DitBlock blk : blocks) {
            h = blk.forward(h, cond, tap);
        }
        NDArray mod = Nn.linear(Nn.silu(cond), p, "final_layer.adaLN_modulation.1").expandDims(1);
        NDArray shift = mod.get(":, :, 0:" + d);
        NDArray scale = mod.get(":, :, " + d + ":");
        h = Nn.layerNorm(h, new Shape(d), null, null, 1e-6f).mul(scale.add(1f)).add(shift);
        h = Nn.linear(h, p, "final_layer.linear");
        // unpatchify: (N, T, p*p*out) as (n, h, w, p, q, c) -> einsum nhwpqc->nchpwq
        int out = config.outChannels();
        return h.reshape(b, g, g, k, k, out).transpose(0, 5, 1, 3, 2, 4).reshape(b, out, (long) g * k, (long) g * k);
    }

    /** A row-selecting matrix: the embedding lookup as a product, exact in float (one 1, the rest 0). */
    private NDArray oneHot(NDManager m, int[] labels) {
        int rows = config.classes() + 1;
        float[] v = new float[labels.length * rows];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= rows) {
                throw new IllegalArgumentException("label " + labels[i] + " outside [0, " + config.classes() + "]");
            }
            v[i * rows + labels[i]] = 1f;
        }
        return m.create(v, new Shape(labels.length, rows));
    }
}
