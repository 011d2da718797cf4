package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import org.colsparse.tensor.DType;
import org.colsparse.tensor.NpyWriter;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Reads the NumPy reference outputs of the motion fixtures and compares runtime outputs with them. */
final class FullMotionFixtures {
    private FullMotionFixtures() {
    }

    static Map<String, float[]> read(Path npz) {
        Map<String, float[]> out = new HashMap<>();
        try (TensorSource src = TensorSources.open(npz)) {
            for (var t : src.tensors()) {
                TensorData d = src.data(t.name());
                float[] v = new float[Math.toIntExact(t.elementCount())];
                d.readFloats(0, v, 0, v.length);
                out.put(t.name(), v);
            }
        }
        return out;
    }

    static Path npy(Path file, float[] v, long... shape) {
        try (NpyWriter w = NpyWriter.create(file, DType.F32, shape)) {
            w.writeFloats(v, 0, v.length);
            w.commit();
        }
        return file;
    }

    /** Within 1e-4 of the output's scale (the largest |expected|): the motion fixtures' tolerance. */
    static void assertClose(float[] expected, NDArray actual, String what) {
        assertClose(expected, actual.toFloatArray(), what);
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        FullFixtures.assertClose(FullFixtures.doubles(expected), actual, 1e-4, what);
    }
}
