package org.colsparse.denoiser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.GeluForm;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Network;
import org.colsparse.runtime.Nn;
import org.colsparse.runtime.SiteLayout;
import org.colsparse.sampler.NoiseSchedule;
import org.colsparse.workload.SiteRole;

/**
 * The third-party MNIST DDPM shipped in models/ddpm-mnist (network and sampler as its README
 * describes): four conv7x7 -> LayerNorm(C,28,28) -> GELU blocks, a conv3x3 head, and a time MLP
 * whose 16-wide output is added after block 0. Seven exact-GELU sites per call.
 */
public final class DdpmMnist extends Network {
    public static final int T = 1000;
    public static final int SIZE = 28;
    private static final int[] CHANNELS = {1, 16, 32, 32, 16};
    private static final int FREQS = 16;
    private static final int HIDDEN = 128;

    private final GeluSite[] blockSites = new GeluSite[4];
    private final GeluSite[] timeSites = new GeluSite[3];

    public DdpmMnist(NDManager manager) {
        super(manager);
        p.declareRebuildable("beta_t", DdpmMnist::betas, T + 1);
        p.declareRebuildable("alpha_t", () -> alphaBars(betas()), T + 1);
        p.declare("gt.frequencies", FREQS);
        for (int i = 0; i < 4; i++) {
            String b = "gt.blocks." + i + ".net.";
            p.declare(b + "0.weight", CHANNELS[i + 1], CHANNELS[i], 7, 7);
            p.declare(b + "0.bias", CHANNELS[i + 1]);
            p.declare(b + "1.weight", CHANNELS[i + 1], SIZE, SIZE);
            p.declare(b + "1.bias", CHANNELS[i + 1], SIZE, SIZE);
        }
        p.declare("gt.blocks.4.weight", 1, 16, 3, 3);
        p.declare("gt.blocks.4.bias", 1);
        int[][] mlp = {{HIDDEN, 2 * FREQS}, {HIDDEN, HIDDEN}, {HIDDEN, HIDDEN}, {FREQS, HIDDEN}};
        for (int i = 0; i < 4; i++) {
            p.declare("gt.time_embed." + 2 * i + ".weight", mlp[i][0], mlp[i][1]);
            p.declare("gt.time_embed." + 2 * i + ".bias", mlp[i][0]);
        }
        // site order follows the forward pass: block 0, the time MLP, blocks 1..3
        blockSites[0] = s.add("blocks.0.gelu", 16, GeluForm.EXACT, SiteLayout.CHANNEL_FIRST, SiteRole.CONV);
        for (int i = 0; i < 3; i++) {
            timeSites[i] = s.add("time_embed." + (2 * i + 1), HIDDEN, GeluForm.EXACT, SiteLayout.CHANNEL_LAST, SiteRole.TIME_MLP);
        }
        for (int i = 1; i < 4; i++) {
            blockSites[i] = s.add("blocks." + i + ".gelu", CHANNELS[i + 1], GeluForm.EXACT, SiteLayout.CHANNEL_FIRST, SiteRole.CONV);
        }
    }

    /**
     * The schedule buffer {@code beta_t} of the author's module, for checkpoints that leave it out:
     * {@code (0.02 - 1e-4) * arange(0, T + 1) / T + 1e-4} in float32, operation by operation as torch
     * evaluates it (the shipped buffer, bit for bit).
     */
    static float[] betas() {
        float[] beta = new float[T + 1];
        float span = (float) (0.02 - 1e-4);
        for (int i = 0; i <= T; i++) {
            beta[i] = span * i / T + (float) 1e-4;
        }
        return beta;
    }

    /**
     * The buffer {@code alpha_t} from {@code beta}: {@code exp(cumsum(log(1 - beta_t)))}, the sum
     * carried in double as torch's CPU cumsum carries it. The shipped buffer is this to within one
     * float32 ulp (7 of its 1001 entries differ: the author's float32 log and exp, run on Apple's MPS
     * device as the file's storages say, round differently from StrictMath's; torch 1.13 on x86 misses
     * 88); StrictMath keeps the rebuilt values the same on every JVM.
     */
    static float[] alphaBars(float[] beta) {
        float[] alpha = new float[beta.length];
        double sum = 0;
        for (int i = 0; i < beta.length; i++) {
            sum += (float) StrictMath.log(1f - beta[i]);
            alpha[i] = (float) StrictMath.exp((float) sum);
        }
        return alpha;
    }

    /** The checkpoint's own linear schedule (beta_t[1..T], alpha_t[1..T] = cumulative products). */
    public NoiseSchedule schedule() {
        float[] beta = p.floats("beta_t");
        float[] alpha = p.floats("alpha_t");
        double[] b = new double[T];
        double[] ab = new double[T];
        int[] ts = new int[T];
        for (int k = 0; k < T; k++) {
            b[k] = beta[k + 1];
            ab[k] = alpha[k + 1];
            ts[k] = k;
        }
        return new NoiseSchedule(b, ab, ts);
    }

    /**
     * Predicted noise for images {@code x} (B, 1, 28, 28) at schedule index {@code k} (0-based), i.e.
     * the README's step i = k + 1, network time input i / T.
     */
    public NDArray predict(NDArray x, int k, GeluTap tap) {
        long batch = x.getShape().get(0);
        NDArray h = block(x, 0, tap);
        NDArray t = x.getManager().full(new Shape(batch, 1), (float) (k + 1) / T);
        NDArray ft = t.mul(p.get("gt.frequencies").reshape(1, FREQS));
        NDArray e = NDArrays.concat(new NDList(ft.sin(), ft.cos().sub(1f)), 1);
        for (int i = 0; i < 3; i++) {
            e = timeSites[i].apply(Nn.linear(e, p, "gt.time_embed." + 2 * i), tap);
        }
        e = Nn.linear(e, p, "gt.time_embed.6");
        h = h.add(e.reshape(batch, FREQS, 1, 1));
        for (int i = 1; i < 4; i++) {
            h = block(h, i, tap);
        }
        return Nn.conv2d(h, p.get("gt.blocks.4.weight"), p.get("gt.blocks.4.bias"), 1);
    }

    private NDArray block(NDArray x, int i, GeluTap tap) {
        String b = "gt.blocks." + i + ".net.";
        NDArray h = Nn.conv2d(x, p.get(b + "0.weight"), p.get(b + "0.bias"), 3);
        h = Nn.layerNorm(h, new Shape(CHANNELS[i + 1], SIZE, SIZE), p.get(b + "1.weight"), p.get(b + "1.bias"), 1e-5f);
        return blockSites[i].apply(h, tap);
    }
}
