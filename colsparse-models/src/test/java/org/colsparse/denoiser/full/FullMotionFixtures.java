package org.colsparse.denoiser.full;

import org.colsparse.catalog.Catalog;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.SiteSpec;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.Network;
import org.colsparse.tensor.DType;
import org.colsparse.tensor.NpyWriter;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Reads the NumPy reference outputs of the motion fixtures, compares runtime outputs with them, and checks a network against its preset. */
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

    /**
     * The official network declares the preset's parameter count and its GELU sites (name, channels) in
     * order, and the workload lists them with the preset's rows; the preset's M is the CFG batch of 2
     * samples, so each site sees {@code rowsPerSample} rows of each.
     */
    static void assertMatchesPreset(Network net, String id, List<SiteSpec> listed, long rowsPerSample) {
        FullPreset preset = Catalog.shapes(id);
        long params = net.params().spec().values().stream().mapToLong(s -> new Shape(s).size()).sum();
        assertEquals(preset.parameters(), params);
        List<GeluSite> sites = net.sites();
        assertEquals(preset.sites().size(), sites.size());
        assertEquals(preset.sites().size(), listed.size());
        for (int i = 0; i < sites.size(); i++) {
            var ps = preset.sites().get(i);
            assertEquals(ps.name(), sites.get(i).name());
            assertEquals(ps.k(), sites.get(i).channels());
            assertEquals(ps.name(), listed.get(i).name());
            assertEquals(ps.tokensPerSample(), listed.get(i).rowsPerSample());
            assertEquals(rowsPerSample, ps.m() / FullPresets.CFG_BATCH, ps.name());
        }
    }
}
