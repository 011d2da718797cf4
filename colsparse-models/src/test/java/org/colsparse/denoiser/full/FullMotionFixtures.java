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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Largest |a - e| relative to the largest |e|: the fixture's tolerance is 1e-4 of the output's scale. */
    static double relativeError(float[] actual, float[] expected) {
        assertEquals(expected.length, actual.length, "element count");
        double maxErr = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return maxErr / scale;
    }

    static void assertClose(float[] expected, NDArray actual, String what) {
        assertClose(expected, actual.toFloatArray(), what);
    }

    static void assertClose(float[] expected, float[] actual, String what) {
        double rel = relativeError(actual, expected);
        assertTrue(rel < 1e-4, what + ": max error " + rel + " of the output's scale");
    }
}
