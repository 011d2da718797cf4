package org.colsparse.dataset;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AudioResampleTest {
    private static Audio sine(int rate, double hz, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) Math.sin(2 * Math.PI * hz * i / rate);
        return new Audio(rate, x);
    }

    @Test
    void bandLimitedSineSurvivesDownsampling() {
        Audio out = AudioResample.toRate(sine(22050, 440, 22050), 16000);
        assertEquals(16000, out.samples().length);
        // Away from the zero-padded ends the output is the same sine sampled at 16 kHz.
        double worst = 0;
        for (int i = 200; i < 15800; i++) worst = Math.max(worst, Math.abs(out.samples()[i] - Math.sin(2 * Math.PI * 440 * i / 16000.0)));
        assertTrue(worst < 2e-3, "max error " + worst);
    }

    @Test
    void toneAboveNewNyquistIsRemoved() {
        // 10 kHz is above 16 kHz's Nyquist (8 kHz): it must not alias into the output.
        Audio out = AudioResample.toRate(sine(22050, 10000, 22050), 16000);
        double rms = 0;
        for (int i = 200; i < 15800; i++) rms += out.samples()[i] * out.samples()[i];
        rms = Math.sqrt(rms / 15600);
        assertTrue(rms < 0.02, "rms " + rms);
    }
}
