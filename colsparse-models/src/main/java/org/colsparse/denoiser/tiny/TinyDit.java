package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.DitBlock;
import org.colsparse.runtime.Embeddings;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Network;
import org.colsparse.runtime.Nn;

/**
 * A tiny DiT (Peebles & Xie 2023) for 28 x 28 x 1 images: patchify (4 x 4 patches, 49 tokens), fixed
 * 2-D sin-cos positions, {@code depth} adaLN-Zero blocks with tanh-GELU MLPs (ratio 4), adaLN final
 * layer, unpatchify. Conditioning c = timestep embedding (sinusoidal 256 -> MLP) + class embedding
 * (with a null class for CFG), as in DiT. Parameter names follow facebookresearch/DiT.
 */
public final class TinyDit extends Network implements TinyNet {
    public static final int PATCH = 4;
    private final int dim;
    private final int grid;
    private final int classes;
    private final DitBlock[] blocks;

    public TinyDit(NDManager manager, int size, int dim, int depth, int heads, int classes) {
        super(manager);
        this.dim = dim;
        this.grid = size / PATCH;
        this.classes = classes;
        p.declare("x_embedder.proj.weight", dim, 1, PATCH, PATCH);
        p.declare("x_embedder.proj.bias", dim);
        p.declare("t_embedder.mlp.0.weight", dim, 256);
        p.declare("t_embedder.mlp.0.bias", dim);
        p.declare("t_embedder.mlp.2.weight", dim, dim);
        p.declare("t_embedder.mlp.2.bias", dim);
        p.declare("y_embedder.embedding_table.weight", classes + 1, dim);
        blocks = new DitBlock[depth];
        for (int i = 0; i < depth; i++) {
            blocks[i] = new DitBlock(p, "blocks." + i, dim, heads, 4, s, "blocks." + i + ".mlp.gelu");
        }
        p.declare("final_layer.adaLN_modulation.1.weight", 2L * dim, dim);
        p.declare("final_layer.adaLN_modulation.1.bias", 2L * dim);
        p.declare("final_layer.linear.weight", PATCH * PATCH, dim);
        p.declare("final_layer.linear.bias", PATCH * PATCH);
    }

    @Override
    public void initialize(long seed) {
        p.initRandom(seed);
        // adaLN-Zero: every block starts as the identity and the output layer at zero (DiT §3.2)
        for (String n : p.spec().keySet()) {
            if (n.contains("adaLN_modulation") || n.startsWith("final_layer.linear")) {
                p.set(n, new float[Math.toIntExact(new Shape(p.spec().get(n)).size())]);
            }
        }
    }

    @Override
    public NDArray predict(NDArray x, NDArray t, NDArray cond, GeluTap tap) {
        NDManager m = x.getManager();
        long b = x.getShape().get(0);
        // patchify: a conv with kernel = stride = PATCH is a linear map of each flattened patch
        NDArray patches = x.reshape(b, grid, PATCH, grid, PATCH).transpose(0, 1, 3, 2, 4).reshape(b, (long) grid * grid, PATCH * PATCH);
        NDArray h = Nn.linear(patches, p.get("x_embedder.proj.weight").reshape(dim, PATCH * PATCH), p.get("x_embedder.proj.bias"));
        h = h.add(positions(m));
        NDArray temb = Embeddings.timestep(t, 256, true, 0, 10000);
        temb = Nn.linear(Nn.silu(Nn.linear(temb, p, "t_embedder.mlp.0")), p, "t_embedder.mlp.2");
        NDArray c = temb.add(cond.matMul(p.get("y_embedder.embedding_table.weight")));
        for (DitBlock blk : blocks) {
            h = blk.forward(h, c, tap);
        }
        NDArray mod = Nn.linear(Nn.silu(c), p, "final_layer.adaLN_modulation.1").expandDims(1);
        NDArray shift = mod.get(":, :, 0:" + dim);
        NDArray scale = mod.get(":, :, " + dim + ":");
        h = Nn.layerNorm(h, new Shape(dim), null, null, 1e-6f).mul(scale.add(1f)).add(shift);
        h = Nn.linear(h, p, "final_layer.linear");
        return h.reshape(b, grid, grid, PATCH, PATCH).transpose(0, 1, 3, 2, 4).reshape(b, 1, (long) grid * PATCH, (long) grid * PATCH);
    }

    /** DiT's fixed 2-D sin-cos position embedding: half the channels encode the row, half the column. */
    private NDArray positions(NDManager m) {
        NDArray row = Embeddings.positional(m, grid, dim / 2);
        NDArray rows = row.reshape(grid, 1, dim / 2).repeat(1, grid);
        NDArray cols = row.reshape(1, grid, dim / 2).repeat(0, grid);
        return NDArrays.concat(new NDList(cols, rows), 2).reshape(1, (long) grid * grid, dim);
    }

    @Override
    public NDArray nullCond(NDArray cond) {
        return Labels.nullLike(cond);
    }
}
