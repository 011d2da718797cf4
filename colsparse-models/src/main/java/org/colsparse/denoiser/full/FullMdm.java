package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.Embeddings;
import org.colsparse.runtime.EncoderLayer;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Network;
import org.colsparse.runtime.Nn;

/**
 * MDM's denoiser in its HumanML3D text-to-motion form ({@code GuyTevet/motion-diffusion-model},
 * {@code model/mdm.py}, class {@code MDM} with {@code arch='trans_enc'}, {@code cond_mode='text'},
 * {@code data_rep='hml_vec'}). Parameter names and shapes are the official state dict's:
 * {@code input_process.poseEmbedding} (263 -> 512), {@code embed_timestep.time_embed.0/.2}
 * (Linear, SiLU, Linear on the sinusoid table row of t), {@code embed_text} (CLIP ViT-B/32's 512 ->
 * 512), {@code seqTransEncoder.layers.i} (PyTorch post-norm {@code nn.TransformerEncoderLayer},
 * 4 heads, FFN 1024, exact GELU), {@code output_process.poseFinal}. The condition token
 * {@code embed_text(text) + time} is prepended to the frames and the sinusoid table is added to all
 * {@code frames + 1} tokens; dropout is off at inference. Batch-first here, sequence-first there:
 * the same arithmetic. Unconditional rows carry an all-zero text feature: MDM's
 * {@code mask_cond(force_mask=True)} returns {@code zeros_like(cond)} before {@code embed_text}.
 */
public final class FullMdm extends Network {
    /** The official HumanML3D model: 263 features, width 512, 8 layers, 4 heads, FFN 1024, CLIP 512, T = 1000. */
    public static final Config OFFICIAL = new Config(263, 512, 8, 4, 1024, 512, 1000);

    /** Sizes of one MDM; {@code timesteps} sizes the sinusoid table the timestep embedder reads. */
    public record Config(int features, int dim, int layers, int heads, int ffDim, int clipDim, int timesteps) {
    }

    private final Config c;
    private final EncoderLayer[] layers;
    /** MDM's {@code sequence_pos_encoder.pe}, recomputed (the official loader deletes the stored copy too). */
    private final float[] table;
    private final int tableRows;

    public FullMdm(NDManager manager, Config c) {
        super(manager);
        this.c = c;
        p.declare("input_process.poseEmbedding.weight", c.dim(), c.features());
        p.declare("input_process.poseEmbedding.bias", c.dim());
        p.declare("embed_timestep.time_embed.0.weight", c.dim(), c.dim());
        p.declare("embed_timestep.time_embed.0.bias", c.dim());
        p.declare("embed_timestep.time_embed.2.weight", c.dim(), c.dim());
        p.declare("embed_timestep.time_embed.2.bias", c.dim());
        p.declare("embed_text.weight", c.dim(), c.clipDim());
        p.declare("embed_text.bias", c.dim());
        layers = new EncoderLayer[c.layers()];
        for (int i = 0; i < c.layers(); i++) {
            // site names follow Mdm.shapes: layer.i.ff
            layers[i] = new EncoderLayer(p, "seqTransEncoder.layers." + i, c.dim(), c.heads(), c.ffDim(), false, s, "layer." + i + ".ff");
        }
        p.declare("output_process.poseFinal.weight", c.features(), c.dim());
        p.declare("output_process.poseFinal.bias", c.features());
        // HumanML3D motions have at most 196 frames; the table must also reach the last timestep
        tableRows = Math.max(c.timesteps(), 197);
        table = Embeddings.positionalFloat32(tableRows, c.dim());
    }

    public Config config() {
        return c;
    }

    private NDArray sinusoidRows(NDManager m, int[] rows) {
        int d = c.dim();
        float[] v = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] < 0 || rows[i] >= tableRows) {
                throw new IllegalArgumentException("position/timestep " + rows[i] + " outside MDM's table of " + tableRows);
            }
            System.arraycopy(table, rows[i] * d, v, i * d, d);
        }
        return m.create(v, new Shape(rows.length, d));
    }

    /**
     * The predicted clean motion (MDM predicts x0).
     *
     * @param x    (B, frames, features) noisy normalized HumanML3D features
     * @param t    (B) timesteps (integers)
     * @param text (B, clipDim) CLIP text features; all-zero rows are the unconditional ones
     */
    public NDArray predict(NDArray x, int[] t, NDArray text, GeluTap tap) {
        NDManager m = x.getManager();
        int frames = (int) x.getShape().get(1);
        NDArray temb = Nn.linear(Nn.silu(Nn.linear(sinusoidRows(m, t), p, "embed_timestep.time_embed.0")), p, "embed_timestep.time_embed.2");
        NDArray emb = Nn.linear(text, p, "embed_text").add(temb).expandDims(1);
        NDArray h = NDArrays.concat(new NDList(emb, Nn.linear(x, p, "input_process.poseEmbedding")), 1);
        int[] positions = new int[frames + 1];
        for (int i = 0; i <= frames; i++) {
            positions[i] = i;
        }
        h = h.add(sinusoidRows(m, positions).expandDims(0));
        for (EncoderLayer l : layers) {
            h = l.forward(h, tap);
        }
        return Nn.linear(h.get(":, 1:, :"), p, "output_process.poseFinal");
    }
}
