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

    /**
     * The same table computed the way PyTorch builds it in float32 (MDM's {@code PositionalEncoding}):
     * {@code div = exp(float(2i) * float(-ln(10000) / dim))}, {@code arg = float(p) * div}, each
     * product rounded to float32 before sin/cos. A double-precision table differs by up to 9e-5
     * (NumPy, width 512) at the timestep rows near 1000 that MDM's timestep embedder reads.
     */
    public static float[] positionalFloat32(int length, int dim) {
        float c = (float) (-Math.log(10000.0) / dim);
        float[] div = new float[(dim + 1) / 2];
        for (int i = 0; i < div.length; i++) {
            div[i] = (float) Math.exp((float) (2 * i) * c);
        }
        float[] pe = new float[length * dim];
        for (int p = 0; p < length; p++) {
            for (int i = 0; i < div.length; i++) {
                float arg = (float) p * div[i];
                pe[p * dim + 2 * i] = (float) Math.sin(arg);
                if (2 * i + 1 < dim) {
                    pe[p * dim + 2 * i + 1] = (float) Math.cos(arg);
                }
            }
        }
        return pe;
    }

    /**
     * Rotary position embedding over the whole last axis (lucidrains' rotary-embedding-torch as
     * EDGE vendors it, {@code freqs_for="lang"}, theta 10000): position {@code p} of the
     * second-to-last axis rotates each channel pair {@code (2i, 2i+1)} by {@code p / 10000^(2i/dim)}:
     * {@code x * cos + rotate_half(x) * sin} with {@code rotate_half(a, b) = (-b, a)}.
     *
     * @param x (..., S, dim), dim even
     */
    public static NDArray rotary(NDArray x) {
        Shape s = x.getShape();
        int dim = (int) s.get(s.dimension() - 1);
        int len = (int) s.get(s.dimension() - 2);
        float[] cos = new float[len * dim];
        float[] sin = new float[len * dim];
        for (int i = 0; i < dim / 2; i++) {
            float freq = 1f / (float) Math.pow(10000, (float) (2 * i) / dim);
            for (int p = 0; p < len; p++) {
                float angle = (float) p * freq;
                cos[p * dim + 2 * i] = cos[p * dim + 2 * i + 1] = (float) Math.cos(angle);
                sin[p * dim + 2 * i] = sin[p * dim + 2 * i + 1] = (float) Math.sin(angle);
            }
        }
        NDManager m = x.getManager();
        NDArray pairs = x.reshape(new Shape(-1, 2));
        NDArray rotated = NDArrays.stack(new NDList(pairs.get(":, 1").neg(), pairs.get(":, 0")), 1).reshape(s);
        return x.mul(m.create(cos, new Shape(len, dim))).add(rotated.mul(m.create(sin, new Shape(len, dim))));
    }
}
