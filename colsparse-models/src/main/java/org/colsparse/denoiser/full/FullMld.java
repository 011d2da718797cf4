package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import org.colsparse.runtime.EncoderLayer;
import org.colsparse.runtime.Embeddings;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Network;
import org.colsparse.runtime.Nn;
import org.colsparse.runtime.Sites;

/**
 * MLD's text-conditioned denoiser (Chen et al. 2023) with the parameter names of the official
 * Lightning checkpoint's {@code state_dict}: ChenFengYe/motion-latent-diffusion
 * {@code mld/models/architectures/mld_denoiser.py} {@code MldDenoiser} with the HumanML3D config
 * ({@code configs/config_mld_humanml3d.yaml}, {@code configs/modules/denoiser.yaml}: condition text,
 * text_encoded_dim 768, latent_dim [1, 256], ff_size 1024, num_layers 9, num_heads 4, activation gelu,
 * normalize_before False, flip_sin_to_cos True, freq_shift 0, position_embedding learned, arch trans_enc,
 * ABLATION.SKIP_CONNECT True, DIFF_PE_TYPE mld, VAE_TYPE mld):
 * <ul>
 *   <li>{@code time_proj} = {@code Timesteps(768, flip_sin_to_cos=True, 0)} (no weights),
 *       {@code time_embedding} = {@code TimestepEmbedding(768, 256)}: linear_1, SiLU, linear_2;</li>
 *   <li>{@code emb_proj} = {@code Sequential(ReLU, Linear(768, 256))} on the CLIP text feature;</li>
 *   <li>tokens [latent, time, text] + {@code query_pos} ({@code PositionEmbeddingLearned1D}, a (500, 1, 256)
 *       table; {@code mem_pos} exists but only the trans_dec arch reads it);</li>
 *   <li>{@code encoder} = {@code SkipTransformerEncoder} (mld/models/operator/cross_attention.py): input_blocks,
 *       middle_block, output_blocks (each a DETR post-norm {@code TransformerEncoderLayer}, q = k = v since no
 *       pos is passed, exact GELU), linear_blocks joining [x, skip] (the skips popped last-in first-out), norm;</li>
 *   <li>the output is the latent token.</li>
 * </ul>
 * The official code runs sequence-first (3, B, 256); this runtime is batch-first (B, 3, 256), the same
 * arithmetic, so each site's rows are ordered batch, then token (docs/definitions.md).
 */
public final class FullMld extends Network {
    /**
     * @param latent   latent_dim[-1]
     * @param textDim  text_encoded_dim (CLIP ViT-L/14 projection width)
     */
    public record Config(int latent, int ff, int heads, int layers, int textDim) {
        public Config {
            if (layers % 2 != 1 || latent % heads != 0 || textDim == latent || textDim % 2 != 0) {
                throw new IllegalArgumentException("inconsistent MLD config " + this);
            }
        }

        /** The HumanML3D MLD-1 denoiser. */
        public static Config humanml3d() {
            return new Config(256, 1024, 4, 9, 768);
        }
    }

    /** Latent, time, text. */
    public static final int TOKENS = 3;
    /**
     * Rows of the learned position tables: {@code PositionEmbeddingLearned1D}'s default max_len, which
     * {@code build_position_encoding} never changes, so every MLD file holds tables of 500 rows.
     */
    static final int POS_LEN = 500;

    private final Config config;
    private final EncoderLayer[] blocks;

    public FullMld(NDManager manager, Config config) {
        super(manager);
        this.config = config;
        int d = config.latent();
        p.declare("denoiser.time_embedding.linear_1.weight", d, config.textDim());
        p.declare("denoiser.time_embedding.linear_1.bias", d);
        p.declare("denoiser.time_embedding.linear_2.weight", d, d);
        p.declare("denoiser.time_embedding.linear_2.bias", d);
        p.declare("denoiser.emb_proj.1.weight", d, config.textDim());
        p.declare("denoiser.emb_proj.1.bias", d);
        p.declare("denoiser.query_pos.pe", POS_LEN, 1, d);
        p.declare("denoiser.mem_pos.pe", POS_LEN, 1, d);
        int half = (config.layers() - 1) / 2;
        blocks = new EncoderLayer[config.layers()];
        // declaration order = forward order, so site indices follow the call; names as the full preset (org.colsparse.workload.Mld)
        for (int i = 0; i < half; i++) {
            blocks[i] = layer("input_blocks." + i, s, "input." + i + ".ff");
        }
        blocks[half] = layer("middle_block", s, "middle.ff");
        for (int i = 0; i < half; i++) {
            p.declare("denoiser.encoder.linear_blocks." + i + ".weight", d, 2L * d);
            p.declare("denoiser.encoder.linear_blocks." + i + ".bias", d);
            blocks[half + 1 + i] = layer("output_blocks." + i, s, "output." + i + ".ff");
        }
        p.declare("denoiser.encoder.norm.weight", d);
        p.declare("denoiser.encoder.norm.bias", d);
    }

    private EncoderLayer layer(String name, Sites s, String site) {
        return new EncoderLayer(p, "denoiser.encoder." + name, config.latent(), config.heads(), config.ff(), false, s, site);
    }

    public Config config() {
        return config;
    }

    /**
     * {@code MldDenoiser.forward(sample, timestep, encoder_hidden_states)}.
     *
     * @param x    (B, 1, latent) noisy latents
     * @param t    (B) timesteps as floats
     * @param text (B, textDim) CLIP text features (the empty prompt's for unconditional rows)
     * @return (B, 1, latent) predicted noise
     */
    public NDArray forward(NDArray x, NDArray t, NDArray text, GeluTap tap) {
        int d = config.latent();
        NDArray temb = Embeddings.timestep(t, config.textDim(), true, 0, 10000);
        temb = Nn.linear(Nn.silu(Nn.linear(temb, p, "denoiser.time_embedding.linear_1")), p, "denoiser.time_embedding.linear_2");
        NDArray cond = Nn.linear(Activation.relu(text), p, "denoiser.emb_proj.1");
        NDArray h = NDArrays.concat(new NDList(x, temb.expandDims(1), cond.expandDims(1)), 1);
        h = h.add(p.get("denoiser.query_pos.pe").get("0:" + TOKENS).reshape(1, TOKENS, d));
        int half = (config.layers() - 1) / 2;
        NDArray[] skips = new NDArray[half];
        for (int i = 0; i < half; i++) {
            h = blocks[i].forward(h, tap);
            skips[i] = h;
        }
        h = blocks[half].forward(h, tap);
        for (int i = 0; i < half; i++) {
            h = Nn.linear(NDArrays.concat(new NDList(h, skips[half - 1 - i]), 2), p, "denoiser.encoder.linear_blocks." + i);
            h = blocks[half + 1 + i].forward(h, tap);
        }
        h = Nn.layerNorm(h, p, "denoiser.encoder.norm", 1e-5f);
        return h.get(":, 0:1, :");
    }
}
