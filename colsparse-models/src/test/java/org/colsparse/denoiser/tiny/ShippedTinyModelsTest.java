package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.denoiser.Workload;
import org.colsparse.catalog.Catalog;
import org.colsparse.runtime.GeluForm;
import org.colsparse.runtime.GeluSite;
import org.colsparse.runtime.GeluTap;
import org.colsparse.runtime.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every shipped tiny model loads and makes one guided denoiser call through all its GELU sites. */
class ShippedTinyModelsTest {
    /** Workload -> (GELU sites per call, their form, rows per sample at the first site). */
    private static final Map<String, Object[]> EXPECTED = Map.of(
            "dit", new Object[] {4, GeluForm.TANH, 49L},
            "mdm", new Object[] {4, GeluForm.EXACT, 41L},
            "mld", new Object[] {9, GeluForm.EXACT, 3L},
            "edge", new Object[] {6, GeluForm.EXACT, 60L},
            "sd15", new Object[] {5, GeluForm.EXACT, 14L * 14},
            "audioldm", new Object[] {5, GeluForm.EXACT, 16L * 16},
            "animatediff", new Object[] {10, GeluForm.EXACT, 8L * 14 * 14});

    @BeforeAll
    static void home() {
        System.setProperty("colsparse.home", "..");
    }

    @Test
    void eachShippedModelRunsOneDenoiserCall() {
        int checked = 0;
        for (Map.Entry<String, Object[]> e : EXPECTED.entrySet()) {
            Workload w = Catalog.runtime(e.getKey());
            TinySpec spec = ((TinyWorkload) w).spec();
            assertTrue(Files.isRegularFile(org.colsparse.denoiser.Workload.home().resolve(spec.checkpoint())), spec.checkpoint() + " is shipped");
            try (NDManager m = Torch.manager(); TinyWorkload.Loaded loaded = (TinyWorkload.Loaded) w.load(m, null)) {
                TinyNet net = loaded.net();
                int sites = (int) e.getValue()[0];
                assertEquals(sites, net.sites().size(), e.getKey());
                assertEquals(sites, w.info().sites().size(), e.getKey() + " info");
                List<GeluSite> seen = new ArrayList<>();
                List<Integer> rows = new ArrayList<>();
                GeluTap tap = GeluTap.observing((site, data, r) -> {
                    seen.add(site);
                    rows.add(r);
                    for (float v : data) {
                        assertTrue(Float.isFinite(v));
                    }
                });
                int n = 2;
                Shape shape = spec.sampleShape(n);
                NDArray x = m.randomNormal(shape);
                NDArray cond = spec.sampleCond(m, 0, n);
                NDArray both = NDArrays.concat(new NDList(cond, net.nullCond(cond)), 0);
                NDArray eps = net.predict(NDArrays.concat(new NDList(x, x), 0), m.full(new Shape(2L * n), 500f), both, tap);
                assertArrayEquals(new Shape(2L * n).addAll(shape.slice(1)).getShape(), eps.getShape().getShape());
                assertEquals(sites, seen.size(), e.getKey() + ": every site fires once per call");
                assertEquals(2L * n * (long) e.getValue()[2], (long) rows.get(0), e.getKey() + " rows at the first site");
                for (int i = 0; i < sites; i++) {
                    assertEquals(i, seen.get(i).index());
                    assertEquals(e.getValue()[1], seen.get(i).form());
                    assertEquals(2L * n * w.info().sites().get(i).rowsPerSample(), (long) rows.get(i), e.getKey() + " rows at " + seen.get(i).name());
                    assertEquals(w.info().sites().get(i).name(), seen.get(i).name());
                }
                checked++;
            }
        }
        assertEquals(EXPECTED.size(), checked);
    }

    /**
     * The tiny AudioLDM's samples are standardized log-mel patches: the sweep compares them as mel
     * spectrograms in decibels (lsd_db, snr_db), undoing the standardization its model card states
     * (std 2.87 of ln-magnitude units). A shift of 0.1 standard units everywhere is a level change of
     * 0.1 x 2.87 x 20 / ln 10 = 2.49 dB in every band.
     */
    @Test
    void audioldmOutputsAreComparedAsMelSpectrograms() {
        org.colsparse.sweep.OutputDecoder decoder = ((TinyWorkload) Catalog.runtime("audioldm")).spec().outputDecoder();
        org.junit.jupiter.api.Assertions.assertNotNull(decoder, "audioldm has its own decoder");
        float[] a = new float[2 * 32 * 32];
        float[] b = new float[a.length];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(1);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
            b[i] = a[i] + 0.1f;
        }
        long[] shape = {2, 1, 32, 32};
        org.colsparse.sweep.ModalOutput dense = decoder.decode(new org.colsparse.denoiser.Samples(a, shape));
        org.colsparse.sweep.ModalOutput.Mel mel = (org.colsparse.sweep.ModalOutput.Mel) dense;
        assertEquals(2, mel.clips());
        assertEquals(32, mel.frames());
        assertEquals(32, mel.bands());
        assertEquals(1.0, mel.power(), "magnitude mels, as AudioLDM's");
        Map<org.colsparse.sweep.Metric, Double> m = org.colsparse.sweep.Fidelity.compare(dense, decoder.decode(new org.colsparse.denoiser.Samples(b, shape)));
        assertEquals(0.1 * 2.87 * 20 / Math.log(10), m.get(org.colsparse.sweep.Metric.LSD), 0.01);
        assertTrue(m.get(org.colsparse.sweep.Metric.SNR) > 0 && m.get(org.colsparse.sweep.Metric.SNR) < 20, "snr " + m);
    }
}
