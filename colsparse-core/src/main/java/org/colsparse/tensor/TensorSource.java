package org.colsparse.tensor;

import java.util.List;

/**
 * A file of named tensors (.npy, .npz, .safetensors, PyTorch zip). Opening a source reads and
 * validates only the metadata; {@link #data(String)} reads one tensor lazily.
 */
public interface TensorSource extends AutoCloseable {
    /** The file this source reads, as the user named it (used in every error message). */
    String file();

    List<TensorInfo> tensors();

    TensorData data(String name);

    @Override
    void close();
}
