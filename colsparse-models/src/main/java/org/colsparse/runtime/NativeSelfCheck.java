package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;

/**
 * A start-up check (a few milliseconds) that the native library computes the ops colsparse builds
 * its networks from correctly on this CPU: each is compared with a double-precision Java reference
 * on small shapes chosen to hit the kernels' edge cases (channel tails, batch 2). PyTorch picks its
 * kernels by CPU (AVX2, AVX-512, ...), and a wrong kernel produces plausible numbers, not a crash:
 * on AVX-512 CPUs PyTorch 2.7.1's own convolution was 10-60 % off for 17-31 input channels
 * (docs/avx512.md). A failure here stops the program before any measurement is made.
 */
public final class NativeSelfCheck {
    /** Float32 against double on these sizes stays far below this; a wrong kernel is far above. */
    static final double TOLERANCE = 1e-4;

    private NativeSelfCheck() {
    }

    /** Throws {@link Failure} naming the first op whose result is off. */
    public static void verify(NDManager m) {
        Random r = new Random(20261205L);
        check("conv2d 3x3, 24 input channels, batch 2", convolutionError(m, r, 2, 24, 8, 5, 3, 1));
        check("conv2d 3x3 stride 2, 40 input channels", convolutionError(m, r, 2, 40, 16, 6, 3, 2));
        check("conv2d 1x1, 20 input channels", convolutionError(m, r, 2, 20, 8, 4, 1, 1));
        check("group norm, 4 groups of 6 channels", groupNormError(m, r));
        check("linear 24 -> 40, batch 2 x 7", linearError(m, r));
        check("attention, 2 heads, 7 queries x 5 keys", attentionError(m, r));
    }

    /** The native library computes an op wrongly on this CPU: no result of this process can be trusted. */
    public static final class Failure extends IllegalStateException {
        Failure(String message) {
            super(message);
        }
    }

    private static void check(String op, double relError) {
        if (!(relError <= TOLERANCE)) {
            throw new Failure("PyTorch native self-check failed on this CPU: " + op + " is off by " + relError
                    + " (relative) against a double-precision reference; results would be wrong (see docs/avx512.md)");
        }
    }

    /** max |a - e| / max |e|. */
    static double relError(float[] actual, double[] expected) {
        double err = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            err = Math.max(err, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
            if (Float.isNaN(actual[i])) {
                return Double.NaN;
            }
        }
        return err / scale;
    }

    private static float[] gaussian(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    /** {@link Nn#conv2d} on a (batch, in, size, size) input, out channels, square kernel, padding k/2. */
    static double convolutionError(NDManager m, Random r, int batch, int in, int out, int size, int k, int stride) {
        int pad = k / 2;
        float[] x = gaussian(r, batch * in * size * size);
        float[] w = gaussian(r, out * in * k * k);
        float[] b = gaussian(r, out);
        int os = (size + 2 * pad - k) / stride + 1;
        double[] ref = new double[batch * out * os * os];
        for (int n = 0; n < batch; n++) {
            for (int o = 0; o < out; o++) {
                for (int y = 0; y < os; y++) {
                    for (int xx = 0; xx < os; xx++) {
                        double s = b[o];
                        for (int c = 0; c < in; c++) {
                            for (int dy = 0; dy < k; dy++) {
                                for (int dx = 0; dx < k; dx++) {
                                    int iy = y * stride - pad + dy;
                                    int ix = xx * stride - pad + dx;
                                    if (iy >= 0 && ix >= 0 && iy < size && ix < size) {
                                        s += (double) x[((n * in + c) * size + iy) * size + ix] * w[((o * in + c) * k + dy) * k + dx];
                                    }
                                }
                            }
                        }
                        ref[((n * out + o) * os + y) * os + xx] = s;
                    }
                }
            }
        }
        try (NDManager sub = m.newSubManager()) {
            NDArray y = Nn.conv2d(sub.create(x, new Shape(batch, in, size, size)), sub.create(w, new Shape(out, in, k, k)),
                    sub.create(b, new Shape(out)), stride, pad);
            return relError(y.toFloatArray(), ref);
        }
    }

    private static double groupNormError(NDManager m, Random r) {
        int batch = 2;
        int channels = 24;
        int groups = 4;
        int hw = 9;
        float[] x = gaussian(r, batch * channels * hw);
        float[] g = gaussian(r, channels);
        float[] b = gaussian(r, channels);
        double[] ref = new double[x.length];
        int per = channels / groups * hw;
        for (int n = 0; n < batch; n++) {
            for (int gi = 0; gi < groups; gi++) {
                int base = (n * groups + gi) * per;
                double mean = 0;
                for (int i = 0; i < per; i++) {
                    mean += x[base + i];
                }
                mean /= per;
                double var = 0;
                for (int i = 0; i < per; i++) {
                    var += (x[base + i] - mean) * (x[base + i] - mean);
                }
                var /= per;
                for (int i = 0; i < per; i++) {
                    int c = gi * (channels / groups) + i / hw;
                    ref[base + i] = (x[base + i] - mean) / Math.sqrt(var + 1e-5) * g[c] + b[c];
                }
            }
        }
        try (NDManager sub = m.newSubManager()) {
            NDArray y = Nn.groupNorm(sub.create(x, new Shape(batch, channels, 3, 3)), groups, sub.create(g), sub.create(b), 1e-5f);
            return relError(y.toFloatArray(), ref);
        }
    }

    private static double linearError(NDManager m, Random r) {
        int rows = 14;
        int in = 24;
        int out = 40;
        float[] x = gaussian(r, rows * in);
        float[] w = gaussian(r, out * in);
        float[] b = gaussian(r, out);
        double[] ref = new double[rows * out];
        for (int i = 0; i < rows; i++) {
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int c = 0; c < in; c++) {
                    s += (double) x[i * in + c] * w[o * in + c];
                }
                ref[i * out + o] = s;
            }
        }
        try (NDManager sub = m.newSubManager()) {
            NDArray y = Nn.linear(sub.create(x, new Shape(2, 7, in)), sub.create(w, new Shape(out, in)), sub.create(b));
            return relError(y.toFloatArray(), ref);
        }
    }

    private static double attentionError(NDManager m, Random r) {
        int n = 7;
        int l = 5;
        int c = 12;
        int heads = 2;
        int d = c / heads;
        float[] q = gaussian(r, n * c);
        float[] k = gaussian(r, l * c);
        float[] v = gaussian(r, l * c);
        double[] ref = new double[n * c];
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < n; i++) {
                double[] s = new double[l];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < l; j++) {
                    for (int e = 0; e < d; e++) {
                        s[j] += (double) q[i * c + h * d + e] * k[j * c + h * d + e];
                    }
                    s[j] /= Math.sqrt(d);
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j < l; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int e = 0; e < d; e++) {
                    double o = 0;
                    for (int j = 0; j < l; j++) {
                        o += s[j] / sum * v[j * c + h * d + e];
                    }
                    ref[i * c + h * d + e] = o;
                }
            }
        }
        try (NDManager sub = m.newSubManager()) {
            NDArray y = Nn.attention(sub.create(q, new Shape(1, n, c)), sub.create(k, new Shape(1, l, c)), sub.create(v, new Shape(1, l, c)), heads);
            return relError(y.toFloatArray(), ref);
        }
    }
}
