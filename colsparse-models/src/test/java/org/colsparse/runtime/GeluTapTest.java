package org.colsparse.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.workload.SiteRole;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class GeluTapTest {
    private static final GeluSite CONV = new GeluSite(0, "conv", 2, GeluForm.EXACT, SiteLayout.CHANNEL_FIRST, SiteRole.CONV);

    @Test
    void exactAndTanhGeluValues() {
        try (NDManager m = Torch.manager()) {
            NDArray x = m.create(new float[] {-1, 0, 1, 2});
            // scipy-free reference: x * Phi(x), Phi(1) = 0.8413447460685429, Phi(2) = 0.9772498680518208
            assertArrayEquals(new float[] {-0.15865525f, 0, 0.8413447f, 1.9544997f}, GeluForm.EXACT.apply(x).toFloatArray(), 1e-6f);
            // tanh form at 1: 0.5 (1 + tanh(0.7978845608 * 1.044715)) = 0.8411920
            assertEquals(0.841192f, GeluForm.TANH.apply(x).toFloatArray()[2], 1e-6f);
        }
    }

    @Test
    void observerSeesChannelLastRows() {
        try (NDManager m = Torch.manager()) {
            // (B=1, C=2, H=1, W=3): channel 0 = 1,2,3; channel 1 = 4,5,6 (pre-activation)
            NDArray x = m.create(new float[] {1, 2, 3, 4, 5, 6}, new Shape(1, 2, 1, 3));
            List<float[]> seen = new ArrayList<>();
            int[] rows = {0};
            NDArray y = CONV.apply(x, GeluTap.observing((site, data, r) -> {
                seen.add(data);
                rows[0] = r;
            }));
            float[] g = y.toFloatArray();
            assertEquals(3, rows[0]);
            assertArrayEquals(new float[] {g[0], g[3], g[1], g[4], g[2], g[5]}, seen.get(0));
        }
    }

    @Test
    void zeroingIsInclusiveAtTheExactDecimalThreshold() {
        NDArray y;
        try (NDManager m = Torch.manager()) {
            GeluSite id = new GeluSite(0, "s", 4, GeluForm.EXACT, SiteLayout.CHANNEL_LAST, SiteRole.FFN);
            NDArray in = m.create(new float[] {0.05f, Math.nextDown(0.05f), -0.01f, 0.3f});
            y = GeluTap.zeroing(0.05).process(id, in);
            // 0.05f is 0.0500000007 > 0.05: kept; the float just below is near zero; so is -0.01
            float[] out = y.toFloatArray();
            assertArrayEquals(new float[] {0.05f, 0, 0, 0.3f}, out);
            assertEquals(0, Float.floatToRawIntBits(out[2]), "replaced by +0, not -0");
        }
    }
}
