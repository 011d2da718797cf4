package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.Embeddings;
import org.colsparse.runtime.EncoderLayer;
import org.colsparse.runtime.FilmDecoderLayer;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Network;
import org.colsparse.runtime.Nn;

/**
 * EDGE's {@code DanceDecoder} ({@code Stanford-TML/EDGE}, {@code model/model.py}, built by
 * {@code EDGE.py} with nfeats 151, seq_len 150, latent 512, ff 1024, 8 layers, 8 heads,
 * cond_feature_dim 4800, {@code F.gelu}, {@code use_rotary=True}). Names and shapes are the
 * official state dict's. Forward, as {@code DanceDecoder.forward}: {@code input_projection} of the
 * motion (no absolute positions: rotary replaces them); music {@code cond_projection} -> 2 pre-norm
 * {@code cond_encoder} layers with rotary q/k; dropped rows take {@code null_cond_embed}; the
 * mean-pooled tokens go through {@code non_attn_cond_projection} (LayerNorm, Linear, SiLU, Linear),
 * dropped rows take {@code null_cond_hidden}; time: {@code SinusoidalPosEmb} -> {@code time_mlp.1}
 * -> Mish, {@code to_time_cond} (+ the pooled music = the FiLM vector) and {@code to_time_tokens}
 * (2 tokens); memory = {@code norm_cond}(music tokens ++ time tokens); 8 pre-norm
 * FiLMTransformerDecoderLayers with rotary attention; {@code final_layer}. Dropout is off at
 * inference; Mish is PyTorch's (see {@link FilmDecoderLayer#mish}). EDGE encodes the music for unconditional rows too and then swaps in the null
 * embeddings, so the condition encoder's GELUs see the music in both halves of a guided batch.
 */
public final class FullEdge extends Network {
    /** The official model. */
    public static final Config OFFICIAL = new Config(151, 150, 512, 8, 8, 1024, 4800);

    public record Config(int features, int frames, int dim, int layers, int heads, int ffDim, int condFeatures) {
    }

    private final Config c;
    private final EncoderLayer[] condEncoder = new EncoderLayer[2];
    private final FilmDecoderLayer[] decoder;

    public FullEdge(NDManager manager, Config c) {
        super(manager);
        this.c = c;
        int d = c.dim();
        p.declare("time_mlp.1.weight", 4L * d, d);
        p.declare("time_mlp.1.bias", 4L * d);
        p.declare("to_time_cond.0.weight", d, 4L * d);
        p.declare("to_time_cond.0.bias", d);
        p.declare("to_time_tokens.0.weight", 2L * d, 4L * d);
        p.declare("to_time_tokens.0.bias", 2L * d);
        p.declare("null_cond_embed", 1, c.frames(), d);
        p.declare("null_cond_hidden", 1, d);
        p.declare("norm_cond.weight", d);
        p.declare("norm_cond.bias", d);
        p.declare("input_projection.weight", d, c.features());
        p.declare("input_projection.bias", d);
        for (int i = 0; i < 2; i++) {
            // site names follow Edge.shapes: cond.i.ff, decoder.i.ff
            condEncoder[i] = new EncoderLayer(p, "cond_encoder." + i, d, c.heads(), c.ffDim(), true, true, s, "cond." + i + ".ff");
        }
        p.declare("cond_projection.weight", d, c.condFeatures());
        p.declare("cond_projection.bias", d);
        p.declare("non_attn_cond_projection.0.weight", d);
        p.declare("non_attn_cond_projection.0.bias", d);
        p.declare("non_attn_cond_projection.1.weight", d, d);
        p.declare("non_attn_cond_projection.1.bias", d);
        p.declare("non_attn_cond_projection.3.weight", d, d);
        p.declare("non_attn_cond_projection.3.bias", d);
        decoder = new FilmDecoderLayer[c.layers()];
        for (int i = 0; i < c.layers(); i++) {
            decoder[i] = new FilmDecoderLayer(p, "seqTransDecoder.stack." + i, d, c.heads(), c.ffDim(), d, true, true, s, "decoder." + i + ".ff");
        }
        p.declare("final_layer.weight", c.features(), d);
        p.declare("final_layer.bias", c.features());
    }

    public Config config() {
        return c;
    }

    /**
     * The predicted clean motion (EDGE predicts x0).
     *
     * @param x     (B, frames, features) noisy normalized motion
     * @param t     (B) timesteps
     * @param music (B, frames, condFeatures) Jukebox features
     * @param keep  (B) false on the rows whose music is dropped (unconditional)
     */
    public NDArray predict(NDArray x, int[] t, NDArray music, boolean[] keep, GeluTap tap) {
        NDManager m = x.getManager();
        int b = t.length;
        int d = c.dim();
        NDArray h = Nn.linear(x, p, "input_projection");
        NDArray tokens = Nn.linear(music, p, "cond_projection");
        for (EncoderLayer l : condEncoder) {
            tokens = l.forward(tokens, tap);
        }
        NDArray keepMask = m.create(keep);
        tokens = NDArrays.where(keepMask.reshape(b, 1, 1).broadcast(tokens.getShape()), tokens, p.get("null_cond_embed").broadcast(tokens.getShape()));
        NDArray hidden = Nn.layerNorm(tokens.mean(new int[] {1}), p, "non_attn_cond_projection.0", 1e-5f);
        hidden = Nn.linear(Nn.silu(Nn.linear(hidden, p, "non_attn_cond_projection.1")), p, "non_attn_cond_projection.3");
        hidden = NDArrays.where(keepMask.reshape(b, 1).broadcast(hidden.getShape()), hidden, p.get("null_cond_hidden").broadcast(hidden.getShape()));
        float[] tf = new float[b];
        for (int i = 0; i < b; i++) {
            tf[i] = t[i];
        }
        // SinusoidalPosEmb: frequencies exp(-ln(10000) i / (half - 1)), [sin, cos]
        NDArray tHidden = FilmDecoderLayer.mish(Nn.linear(Embeddings.timestep(m.create(tf), d, false, 1, 10000), p, "time_mlp.1"));
        NDArray film = Nn.linear(tHidden, p, "to_time_cond.0").add(hidden);
        NDArray tTokens = Nn.linear(tHidden, p, "to_time_tokens.0").reshape(new Shape(b, 2, d));
        NDArray memory = Nn.layerNorm(NDArrays.concat(new NDList(tokens, tTokens), 1), p, "norm_cond", 1e-5f);
        for (FilmDecoderLayer l : decoder) {
            h = l.forward(h, memory, film, tap);
        }
        return Nn.linear(h, p, "final_layer");
    }
}
