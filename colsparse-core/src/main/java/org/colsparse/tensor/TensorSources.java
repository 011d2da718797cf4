package org.colsparse.tensor;

import org.colsparse.util.InputException;

import java.nio.file.Path;
import java.util.Locale;

/** Opens a tensor file by its extension: .npy, .npz, .safetensors, .pt/.pth/.ckpt. */
public final class TensorSources {
    private TensorSources() {
    }

    /**
     * Opens and validates the file's metadata; tensor data is read lazily through
     * {@link TensorSource#data(String)}. Bad, truncated or unsupported files throw
     * {@link InputException} naming the file and the problem.
     */
    public static TensorSource open(Path path) {
        return open(path, RestrictedUnpickler.Mode.STRICT);
    }

    /**
     * Opens a file to read model weights from, as {@link #open} does, except that a PyTorch
     * checkpoint may pickle Python objects beside its tensors (a training script's arguments,
     * hyper-parameters, a data normalizer): each is kept as the name of its class only, never
     * imported, built or called, and is not listed. Tools that report what a file holds use
     * {@link #open}, which refuses such a file.
     */
    public static TensorSource openWeights(Path path) {
        return open(path, RestrictedUnpickler.Mode.WEIGHTS);
    }

    private static TensorSource open(Path path, RestrictedUnpickler.Mode pickles) {
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return NpySource.open(path);
        }
        if (name.endsWith(".npz")) {
            return NpzSource.open(path);
        }
        if (name.endsWith(".safetensors")) {
            return SafetensorsSource.open(path);
        }
        if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".ckpt")) {
            return TorchZipSource.open(path, pickles);
        }
        throw new InputException(path + ": unknown tensor file type (expected .npy, .npz, .safetensors, .pt, .pth or .ckpt)");
    }
}
