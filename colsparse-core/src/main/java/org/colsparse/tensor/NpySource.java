package org.colsparse.tensor;

import org.colsparse.util.InputException;

import java.nio.file.Path;
import java.util.function.Supplier;

/** One {@code .npy} array, memory-mapped; its single tensor is named after the file (stem). */
final class NpySource extends NamedTensors {
    private final OpenedFile file;

    private NpySource(OpenedFile file) {
        super(file.name);
        this.file = file;
    }

    static NpySource open(Path path) {
        OpenedFile f = OpenedFile.open(path);
        try {
            NpySource src = new NpySource(f);
            NpyHeader h = NpyHeader.parse(f.bytes, f.name);
            checkLength(h, f.bytes.length(), f.name);
            ByteSource data = f.bytes.slice(h.dataOffset(), h.dataBytes());
            src.add(tensor(stem(path.getFileName().toString()), h, () -> data));
            return src;
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    static void checkLength(NpyHeader h, long total, String where) {
        long have = total - h.dataOffset();
        if (have < h.dataBytes()) {
            throw new InputException(where + ": truncated: shape " + java.util.Arrays.toString(h.shape()) + " of "
                    + h.dtype() + " needs " + h.dataBytes() + " data bytes, found " + have);
        }
        if (have > h.dataBytes()) {
            throw new InputException(where + ": " + (have - h.dataBytes()) + " unexpected bytes after the array data (shape "
                    + java.util.Arrays.toString(h.shape()) + " of " + h.dtype() + ")");
        }
    }

    /** A tensor over the data bytes (without header) of a .npy array; Fortran order is read as a strided view. */
    static TensorData tensor(String name, NpyHeader h, Supplier<ByteSource> data) {
        TensorInfo info = new TensorInfo(name, h.dtype(), h.shape());
        if (!h.fortranOrder() || h.shape().length < 2) {
            return new DenseTensorData(info, data, h.order());
        }
        long[] shape = h.shape();
        long[] strides = new long[shape.length];
        long s = 1;
        for (int d = 0; d < shape.length; d++) {
            strides[d] = s;
            s *= shape[d];
        }
        TensorInfo flat = new TensorInfo(name, h.dtype(), new long[] {h.elementCount()});
        return new StridedTensorData(info, new DenseTensorData(flat, data, h.order()), 0, strides);
    }

    @Override
    public void close() {
        file.close();
    }
}
