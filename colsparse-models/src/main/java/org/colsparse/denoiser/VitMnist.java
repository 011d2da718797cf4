package org.colsparse.denoiser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.runtime.EncoderLayer;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Network;
import org.colsparse.runtime.Nn;

/**
 * The third-party MNIST diffusion transformer shipped in models/vit-mnist ({@code DiffusionViT} of
 * sofia-dominguezc/MNIST-diffusion, MIT; models/vit-mnist/MODEL.md): 7x7 patches of a 28x28 image
 * become 16 tokens of width 64 with learned positions; two time tokens (a 128-wide sinusoidal
 * embedding of t cut in two) and two class tokens (a 128-wide label embedding cut in two) are
 * appended; four post-LN {@code nn.TransformerEncoderLayer}s (4 heads, FFN 64 -> 256 -> 64, exact
 * GELU) run over all 20 tokens; the condition tokens are dropped and each patch token is painted
 * back as a 7x7 patch. The output is the predicted clean image x1.
 */
public final class VitMnist extends Network {
    public static final int SIZE = 28;
    public static final int CLASSES = 10;
    /** The label the author trained as "no label" (generate.py passes -1, the model maps it to 10). */
    public static final int NULL_LABEL = CLASSES;
    static final int PATCH = 7;
    static final int DIM = 64;
    static final int HEADS = 4;
    static final int LAYERS = 4;
    static final int FFN = 256;
    static final int GRID = SIZE / PATCH;
    static final int PATCHES = GRID * GRID;
    /** Patch tokens plus the 2 time and 2 class tokens: the rows of every GELU site per image. */
    public static final int TOKENS = PATCHES + 4;

    private final EncoderLayer[] layers = new EncoderLayer[LAYERS];
    private final NDArray timeFrequencies;

    public VitMnist(NDManager manager) {
        super(manager);
        p.declare("patch_embed.weight", DIM, 1, PATCH, PATCH);
        p.declare("patch_embed.bias", DIM);
        p.declare("pos_embed", 1, PATCHES, DIM);
        for (int i = 0; i < LAYERS; i++) {
            layers[i] = new EncoderLayer(p, "transformer." + i, DIM, HEADS, FFN, false, s, "transformer." + i + ".gelu");
        }
        p.declare("unpatch.weight", DIM, 1, PATCH, PATCH);
        p.declare("unpatch.bias", 1);
        p.declare("y_encoder.weight", CLASSES + 1, 2 * DIM);
        // architecture.py's _sinusoidal_embedding: half = 64 frequencies exp(-ln(10000) i / (half - 1))
        int half = DIM;
        float[] f = new float[half];
        for (int i = 0; i < half; i++) {
            f[i] = (float) Math.exp(-Math.log(10000.0) * i / (half - 1));
        }
        timeFrequencies = manager.create(f, new Shape(1, half));
    }

    /**
     * The predicted clean image for images {@code x} (B, 1, 28, 28) at flow time {@code t} (0 = noise,
     * 1 = data) with class {@code labels} (0..9, or {@link #NULL_LABEL}).
     */
    public NDArray predict(NDArray x, float t, int[] labels, GeluTap tap) {
        NDManager m = x.getManager();
        long b = x.getShape().get(0);
        NDArray tokens = Nn.conv2d(x, p.get("patch_embed.weight"), p.get("patch_embed.bias"), PATCH, 0)
                .reshape(b, DIM, PATCHES).transpose(0, 2, 1).add(p.get("pos_embed"));
        NDArray args = m.full(new Shape(b, 1), t).mul(timeFrequencies);
        NDArray time = NDArrays.concat(new NDList(args.sin(), args.cos()), 1).reshape(b, 2, DIM);
        NDArray label = p.get("y_encoder.weight").get(m.create(labels)).reshape(b, 2, DIM);
        NDArray h = NDArrays.concat(new NDList(tokens, time, label), 1);
        for (EncoderLayer layer : layers) {
            h = layer.forward(h, tap);
        }
        // ConvTranspose2d with kernel = stride = 7: patches do not overlap, each token paints its own
        // 7x7 patch, which is one (64 -> 49) product per token, recorded like every other GEMM
        NDArray unpatch = p.get("unpatch.weight").reshape(DIM, PATCH * PATCH).transpose();
        NDArray patches = Nn.linear("unpatch", h.get(":, 0:" + PATCHES + ", :"), unpatch, null).add(p.get("unpatch.bias"));
        return patches.reshape(b, GRID, GRID, PATCH, PATCH).transpose(0, 1, 3, 2, 4).reshape(b, 1, SIZE, SIZE);
    }

    @Override
    public void close() {
        timeFrequencies.close();
        super.close();
    }
}
