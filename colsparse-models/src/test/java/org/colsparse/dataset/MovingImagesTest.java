package org.colsparse.dataset;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class MovingImagesTest {
    @Test
    void imageMovesAndStaysWhole() {
        ImageSet set = FashionMnist.load(Path.of("../data/fashion-mnist-slice"), FashionMnist.Split.TRAIN);
        float[] v = MovingImages.clip(set, 3, 16, 40, 7);
        assertEquals(16 * 40 * 40, v.length);
        assertArrayEquals(v, MovingImages.clip(set, 3, 16, 40, 7), 0f); // deterministic
        double total0 = sum(v, 0, 1600);
        double[] cy = new double[16];
        for (int f = 0; f < 16; f++) {
            // The whole image is on the canvas in every frame: same pixel mass as frame 0.
            assertEquals(total0, sum(v, f * 1600, 1600), 1e-3);
            cy[f] = centroidX(v, f);
        }
        boolean moved = false;
        for (int f = 1; f < 16; f++) moved |= Math.abs(cy[f] - cy[0]) > 0.5;
        assertTrue(moved);
        assertFalse(java.util.Arrays.equals(v, MovingImages.clip(set, 3, 16, 40, 8)));
    }

    private static double sum(float[] v, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += v[off + i] + 1;
        return s;
    }

    private static double centroidX(float[] v, int f) {
        double m = 0, mx = 0;
        for (int i = 0; i < 1600; i++) {
            double w = v[f * 1600 + i] + 1;
            m += w;
            mx += w * (i % 40);
        }
        return mx / m;
    }

    @Test
    void melSegmentsAndStats() {
        LogMel.Spectrogram s = new LogMel.Spectrogram(5, 2, new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        List<float[]> segs = MelSegments.cut(s, 2, 2);
        assertEquals(2, segs.size());
        assertArrayEquals(new float[] {4, 5, 6, 7}, segs.get(1));
        MelSegments.Stats st = MelSegments.Stats.of(List.of(new float[] {1, 3}));
        assertEquals(2, st.mean(), 0);
        assertEquals(1, st.std(), 0);
        assertArrayEquals(new float[] {-1, 1}, st.normalize(new float[] {1, 3}));
        assertArrayEquals(new float[] {1, 3}, st.denormalize(new float[] {-1, 1}));
    }
}
