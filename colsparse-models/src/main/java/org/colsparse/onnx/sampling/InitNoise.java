package org.colsparse.onnx.sampling;

import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorInfo;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.util.InputException;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code --init-noise FILE.npy}: the starting noise of sample 0, e.g. the {@code torch.randn} tensor of
 * the user's own PyTorch run, so both runs start from the same bits.
 */
public final class InitNoise {
    private InitNoise() {
    }

    /**
     * Reads the one float tensor of {@code file}; its shape must be {@code latentShape} (one row of the
     * card's sample input), or that shape without its leading 1.
     */
    public static float[] read(Path file, long[] latentShape) {
        try (TensorSource src = TensorSources.open(file)) {
            List<TensorInfo> all = src.tensors();
            if (all.size() != 1) {
                throw new InputException(file + ": init noise must be one tensor, the file holds " + all.size());
            }
            TensorInfo info = all.get(0);
            long[] bare = Arrays.copyOfRange(latentShape, 1, latentShape.length);
            if (!Arrays.equals(info.shape(), latentShape) && !Arrays.equals(info.shape(), bare)) {
                throw new InputException(file + ": init noise of shape " + Arrays.toString(info.shape())
                        + ", the card's sample is " + Arrays.toString(latentShape));
            }
            if (!info.dtype().isFloating()) {
                throw new InputException(file + ": init noise must be floating point, got " + info.dtype());
            }
            TensorData data = src.data(info.name());
            float[] v = new float[Math.toIntExact(info.elementCount())];
            data.readFloats(0, v, 0, v.length);
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new InputException(file + ": init noise element " + i + " is " + v[i]);
                }
            }
            return v;
        }
    }
}
