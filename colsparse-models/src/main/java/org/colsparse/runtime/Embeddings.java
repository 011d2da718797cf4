package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Sinusoidal embeddings of diffusion timesteps and of token positions. */
public final class Embeddings {
    private Embeddings() {
    }

    /**
     * DDPM/diffusers timestep embedding: frequencies {@code exp(-ln(maxPeriod) * i / (half - shift))},
     * {@code [sin, cos]} (or {@code [cos, sin]} with {@code flipSinToCos}, as SD's UNet uses).
     *
     * @param t (B) timesteps
     * @return (B, dim)
     */
    public static NDArray timestep(NDArray t, int dim, boolean flipSinToCos, float shift, double maxPeriod) {
        int half = dim / 2;
        float[] freqs = new float[half];
        for (int i = 0; i < half; i++) {
            freqs[i] = (float) Math.exp(-Math.log(maxPeriod) * i / (half - shift));
        }
        NDArray args = t.reshape(-1, 1).mul(t.getManager().create(freqs).reshape(1, half));
        NDList parts = flipSinToCos ? new NDList(args.cos(), args.sin()) : new NDList(args.sin(), args.cos());
        NDArray emb = NDArrays.concat(parts, 1);
        return dim % 2 == 0 ? emb : NDArrays.concat(new NDList(emb, t.getManager().zeros(new Shape(emb.getShape().get(0), 1))), 1);
    }

    /** The Transformer's positional encoding (Vaswani et al.): pe[p, 2i] = sin(p w_i), pe[p, 2i+1] = cos(p w_i). */
    public static NDArray positional(NDManager manager, int length, int dim) {
        float[] pe = new float[length * dim];
        for (int p = 0; p < length; p++) {
            for (int i = 0; i < dim; i += 2) {
                double w = Math.exp(-Math.log(10000.0) * i / dim);
                pe[p * dim + i] = (float) Math.sin(p * w);
                if (i + 1 < dim) {
                    pe[p * dim + i + 1] = (float) Math.cos(p * w);
                }
            }
        }
        return manager.create(pe, new Shape(length, dim));
    }
}
