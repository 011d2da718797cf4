package org.colsparse.sampler;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Reference values computed with numpy (np.linspace / np.cumprod, Improved DDPM's cosine formula). */
class NoiseScheduleTest {
    @Test
    void linearMatchesNumpy() {
        NoiseSchedule s = NoiseSchedule.linear(1000, 1e-4, 0.02);
        double[] b = s.betas();
        double[] ab = s.alphaBars();
        assertEquals(1e-4, b[0], 1e-18);
        assertEquals(0.00011991991991991993, b[1], 1e-16);
        assertEquals(0.02, b[999], 1e-16);
        assertEquals(0.99978009207207208, ab[1], 1e-15);
        assertEquals(4.0358297653756761e-05, ab[999], 1e-16);
    }

    @Test
    void cosineMatchesNumpy() {
        double[] b = NoiseSchedule.cosine(1000).betas();
        assertEquals(4.128422482196914e-05, b[0], 1e-15);
        assertEquals(0.0031556914415850068, b[500], 1e-14);
        assertEquals(0.999, b[999], 0);
    }

    @Test
    void respacingKeepsEvenlySpacedStepsAndChainsAlphaBars() {
        NoiseSchedule full = NoiseSchedule.linear(1000, 1e-4, 0.02);
        NoiseSchedule r = full.respace(10);
        assertArrayEquals(new int[] {0, 111, 222, 333, 444, 555, 666, 777, 888, 999}, r.timesteps());
        assertEquals(9.9999999999988987e-05, r.betas()[0], 1e-15);
        assertEquals(0.12630763785293664, r.betas()[1], 1e-13);
        assertEquals(0.87978823039181875, r.betas()[9], 1e-13);
        // the respaced chain ends at the same total noise as the full one
        assertEquals(full.alphaBars()[999], r.alphaBars()[9], 0);
        assertSame(full, full.respace(1000));
    }
}
