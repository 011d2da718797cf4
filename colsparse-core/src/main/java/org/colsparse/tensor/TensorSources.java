package org.colsparse.tensor;

import java.nio.file.Path;

/** Opens a tensor file by its extension: .npy, .npz, .safetensors, .pt/.pth/.ckpt. */
public final class TensorSources {
    private TensorSources() {
    }

    public static TensorSource open(Path path) {
        throw new UnsupportedOperationException("readers not written yet");
    }
}
