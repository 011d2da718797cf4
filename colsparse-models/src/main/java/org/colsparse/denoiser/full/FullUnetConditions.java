package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.ConditionInput;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The text conditioning of the SD 1.5-based UNets: CLIP ViT-L/14 hidden states as tensor files
 * ({@code --cond text=FILE}, {@code --cond uncond=FILE}). Both are required: colsparse runs no text
 * encoder, so even the empty prompt's embedding, CFG's unconditional half, comes from the user.
 */
public final class FullUnetConditions {
    /** CLIP's context length and ViT-L/14's width. */
    public static final int TOKENS = 77;
    public static final int WIDTH = 768;

    private static final String SHAPE = "(77, 768) or (B, 77, 768), float32 or float16";

    private FullUnetConditions() {
    }

    /** The two inputs as {@code workloads --preset full} lists them. */
    public static List<ConditionInput> inputs() {
        return List.of(
                new ConditionInput("text", SHAPE, true,
                        "CLIP ViT-L/14 last hidden state of the prompt padded to 77 tokens: what StableDiffusionPipeline feeds the UNet"
                                + " as encoder_hidden_states (text_encoder(tokenizer(prompt, padding='max_length', max_length=77,"
                                + " return_tensors='pt').input_ids)[0], saved with numpy.save); with B rows, sample i uses row i mod B"),
                new ConditionInput("uncond", SHAPE, true,
                        "the same encoder's output for the empty prompt \"\" (or a negative prompt): the unconditional half of"
                                + " classifier-free guidance; required because colsparse runs no text encoder"));
    }

    /** The (B, 77, 768) rows of one named file, checked. */
    static float[][] read(String name, Path file, int tokens, int width) {
        if (file == null) {
            throw new InputException("--cond " + name + ": required (" + SHAPE + "), e.g. --cond " + name + "=" + name + ".npy");
        }
        try (TensorSource src = TensorSources.open(file)) {
            List<TensorInfo> all = src.tensors();
            if (all.size() != 1) {
                throw new InputException("--cond " + name + ": " + file + " holds " + all.size() + " tensors, expected exactly one");
            }
            TensorInfo t = all.get(0);
            long[] s = t.shape();
            boolean ok = t.dtype().isFloating() && (s.length == 2 && s[0] == tokens && s[1] == width
                    || s.length == 3 && s[0] >= 1 && s[1] == tokens && s[2] == width);
            if (!ok) {
                throw new InputException("--cond " + name + ": " + file + " is " + t.dtype() + " " + Arrays.toString(s)
                        + ", expected (" + tokens + ", " + width + ") or (B, " + tokens + ", " + width + ") floats");
            }
            int rows = s.length == 2 ? 1 : Math.toIntExact(s[0]);
            TensorData d = src.data(t.name());
            float[][] out = new float[rows][tokens * width];
            for (int r = 0; r < rows; r++) {
                d.readFloats((long) r * tokens * width, out[r], 0, tokens * width);
                for (float v : out[r]) {
                    if (!Float.isFinite(v)) {
                        throw new InputException("--cond " + name + ": " + file + " holds NaN or Inf");
                    }
                }
            }
            return out;
        }
    }

    /**
     * The CFG context of one call: {@code samples} conditional rows ({@code text[i mod B]}) then
     * {@code samples} unconditional ones, as one (2 samples, tokens, width) batch.
     */
    static NDArray cfgContext(NDManager manager, float[][] text, float[][] uncond, int samples, int tokens, int width) {
        int n = tokens * width;
        float[] all = new float[2 * samples * n];
        for (int i = 0; i < samples; i++) {
            System.arraycopy(text[i % text.length], 0, all, i * n, n);
            System.arraycopy(uncond[i % uncond.length], 0, all, (samples + i) * n, n);
        }
        return manager.create(all, new Shape(2L * samples, tokens, width));
    }

    /** Both files of {@code conditions}, read and checked. */
    static float[][][] readBoth(Map<String, Path> conditions, int tokens, int width) {
        return new float[][][] {read("text", conditions.get("text"), tokens, width), read("uncond", conditions.get("uncond"), tokens, width)};
    }
}
