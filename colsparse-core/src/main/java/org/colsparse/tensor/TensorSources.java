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
            return TorchZipSource.open(path);
        }
        throw new InputException(path + ": unknown tensor file type (expected .npy, .npz, .safetensors, .pt, .pth or .ckpt)");
    }
}
