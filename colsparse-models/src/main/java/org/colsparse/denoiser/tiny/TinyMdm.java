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

/**
 * A tiny MDM (Tevet et al. 2023) in its action-conditioned form: poseEmbedding of every frame, one
 * extra token = timestep embedding + action embedding prepended, sinusoidal positions, a post-norm
 * transformer encoder with exact-GELU FFNs (ratio 2, as MDM's 512 -> 1024), poseFinal on the frame
 * tokens. Parameter names follow GuyTevet/motion-diffusion-model.
 */
public final class TinyMdm extends Network implements TinyNet {
    private final int dim;
    private final int features;
    private final EncoderLayer[] layers;

    public TinyMdm(NDManager manager, int features, int dim, int layersCount, int heads, int classes) {
        super(manager);
        this.dim = dim;
        this.features = features;
        p.declare("input_process.poseEmbedding.weight", dim, features);
        p.declare("input_process.poseEmbedding.bias", dim);
        p.declare("embed_timestep.time_embed.0.weight", dim, dim);
        p.declare("embed_timestep.time_embed.0.bias", dim);
        p.declare("embed_timestep.time_embed.2.weight", dim, dim);
        p.declare("embed_timestep.time_embed.2.bias", dim);
        p.declare("embed_action.action_embedding", classes + 1, dim);
        layers = new EncoderLayer[layersCount];
        for (int i = 0; i < layersCount; i++) {
            layers[i] = new EncoderLayer(p, "seqTransEncoder.layers." + i, dim, heads, 2 * dim, false, s,
                    "seqTransEncoder.layers." + i + ".gelu");
        }
        p.declare("output_process.poseFinal.weight", features, dim);
        p.declare("output_process.poseFinal.bias", features);
    }

    /** @param x (B, frames, features); cond (B, classes + 1) one-hot action */
    @Override
    public NDArray predict(NDArray x, NDArray t, NDArray cond, GeluTap tap) {
        long frames = x.getShape().get(1);
        // MDM reads its interleaved [sin, cos] positional table at t; this tiny model was trained with the
        // concatenated [sin | cos] layout instead, equivalent up to a fixed permutation of the first layer's inputs
        NDArray temb = Embeddings.timestep(t, dim, false, 0, 10000);
        temb = Nn.linear(Nn.silu(Nn.linear(temb, p, "embed_timestep.time_embed.0")), p, "embed_timestep.time_embed.2");
        NDArray emb = temb.add(cond.matMul(p.get("embed_action.action_embedding"))).expandDims(1);
        NDArray h = Nn.linear(x, p, "input_process.poseEmbedding");
        h = NDArrays.concat(new NDList(emb, h), 1);
        h = h.add(Embeddings.positional(x.getManager(), (int) frames + 1, dim).expandDims(0));
        for (EncoderLayer l : layers) {
            h = l.forward(h, tap);
        }
        return Nn.linear(h.get(":, 1:, :"), p, "output_process.poseFinal");
    }

    @Override
    public NDArray nullCond(NDArray cond) {
        return Labels.nullLike(cond);
    }
}
