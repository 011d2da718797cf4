package org.colsparse.denoiser.tiny;

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
 * A tiny EDGE (Tseng et al. 2023) DanceDecoder: per-frame conditioning features -> cond_projection
 * -> 2 post-norm encoder layers (exact GELU) = the condition tokens; time MLP (sinusoidal -> Linear
 * -> Mish) giving a FiLM vector and 2 time tokens; pre-norm FiLM decoder layers (self-attention,
 * cross-attention to condition + time tokens, exact-GELU FFN of ratio 2 as EDGE's 512 -> 1024); final
 * linear. Classifier-free guidance swaps condition tokens and the pooled condition for learned null
 * embeddings, as EDGE does. Names follow Stanford-TML/EDGE.
 *
 * <p>Conditioning tensor: (B, frames, features + 1); the last channel is 1 on rows whose condition is dropped.
 */
public final class TinyEdge extends Network implements TinyNet {
    private final int dim;
    private final int condFeatures;
    private final EncoderLayer[] condEncoder = new EncoderLayer[2];
    private final FilmDecoderLayer[] decoder;

    public TinyEdge(NDManager manager, int frames, int features, int condFeatures, int dim, int layers, int heads) {
        super(manager);
        this.dim = dim;
        this.condFeatures = condFeatures;
        p.declare("input_projection.weight", dim, features);
        p.declare("input_projection.bias", dim);
        p.declare("time_mlp.1.weight", 4L * dim, dim);
        p.declare("time_mlp.1.bias", 4L * dim);
        p.declare("to_time_cond.0.weight", dim, 4L * dim);
        p.declare("to_time_cond.0.bias", dim);
        p.declare("to_time_tokens.0.weight", 2L * dim, 4L * dim);
        p.declare("to_time_tokens.0.bias", 2L * dim);
        p.declare("null_cond_embed", 1, frames, dim);
        p.declare("null_cond_hidden", 1, dim);
        p.declare("cond_projection.weight", dim, condFeatures);
        p.declare("cond_projection.bias", dim);
        for (int i = 0; i < 2; i++) {
            condEncoder[i] = new EncoderLayer(p, "cond_encoder." + i, dim, heads, 2 * dim, false, s, "cond_encoder." + i + ".gelu");
        }
        p.declare("non_attn_cond_projection.0.weight", dim);
        p.declare("non_attn_cond_projection.0.bias", dim);
        p.declare("non_attn_cond_projection.1.weight", dim, dim);
        p.declare("non_attn_cond_projection.1.bias", dim);
        p.declare("non_attn_cond_projection.3.weight", dim, dim);
        p.declare("non_attn_cond_projection.3.bias", dim);
        decoder = new FilmDecoderLayer[layers];
        for (int i = 0; i < layers; i++) {
            decoder[i] = new FilmDecoderLayer(p, "seqTransDecoder.stack." + i, dim, heads, 2 * dim, dim, s, "seqTransDecoder.stack." + i + ".gelu");
        }
        p.declare("final_layer.weight", features, dim);
        p.declare("final_layer.bias", features);
    }

    @Override
    public NDArray predict(NDArray x, NDArray t, NDArray cond, GeluTap tap) {
        NDManager m = x.getManager();
        long b = x.getShape().get(0);
        long frames = x.getShape().get(1);
        NDArray pos = Embeddings.positional(m, (int) frames, dim).expandDims(0);
        NDArray keep = cond.get(":, 0:1, " + condFeatures + ":").neg().add(1f); // (B, 1, 1)
        NDArray h = Nn.linear(x, p, "input_projection").add(pos);
        NDArray c = Nn.linear(cond.get(":, :, 0:" + condFeatures), p, "cond_projection").add(pos);
        for (EncoderLayer l : condEncoder) {
            c = l.forward(c, tap);
        }
        NDArray drop = keep.neg().add(1f);
        c = c.mul(keep).add(p.get("null_cond_embed").mul(drop));
        NDArray pooled = c.mean(new int[] {1});
        NDArray hidden = Nn.layerNorm(pooled, p, "non_attn_cond_projection.0", 1e-5f);
        hidden = Nn.linear(Nn.silu(Nn.linear(hidden, p, "non_attn_cond_projection.1")), p, "non_attn_cond_projection.3");
        NDArray keep2 = keep.reshape(b, 1);
        hidden = hidden.mul(keep2).add(p.get("null_cond_hidden").mul(keep2.neg().add(1f)));
        NDArray tHidden = Nn.mish(Nn.linear(Embeddings.timestep(t, dim, false, 0, 10000), p, "time_mlp.1"));
        NDArray film = Nn.linear(tHidden, p, "to_time_cond.0").add(hidden);
        NDArray tTokens = Nn.linear(tHidden, p, "to_time_tokens.0").reshape(b, 2, dim);
        NDArray memory = NDArrays.concat(new NDList(c, tTokens), 1);
        for (FilmDecoderLayer l : decoder) {
            h = l.forward(h, memory, film, tap);
        }
        return Nn.linear(h, p, "final_layer");
    }

    /** The same features with the drop flag set: EDGE encodes the music, then swaps in the null embeddings. */
    @Override
    public NDArray nullCond(NDArray cond) {
        Shape s = cond.getShape();
        NDArray flag = cond.getManager().ones(new Shape(s.get(0), s.get(1), 1));
        return NDArrays.concat(new NDList(cond.get(":, :, 0:" + condFeatures), flag), 2);
    }
}
