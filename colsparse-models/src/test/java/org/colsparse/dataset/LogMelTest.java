package org.colsparse.dataset;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Reference values from an independent NumPy/SciPy computation (np.pad reflect, scipy
 * get_window("hann") periodic, np.fft.rfft, librosa's mel construction written in NumPy) on
 * the shipped clip {@code data/speech/espeak-en-us-01.wav}.
 */
class LogMelTest {
    static final Audio CLIP = Wav.read(Path.of("../data/speech/espeak-en-us-01.wav"));

    @Test
    void slaneyMagnitudeMatchesNumpy() {
        MelConfig c = new MelConfig(22050, 1024, 256, 1024, 64, 0, 11025, MelConfig.MelScale.SLANEY, 1, 1e-5);
        LogMel.Spectrogram s = LogMel.compute(CLIP, c);
        assertEquals(251, s.frames());
        assertEquals(64, s.mels());
        assertEquals(-3.666881748781169, s.get(50, 0), 1e-5);
        assertEquals(-0.9971339142837985, s.get(50, 10), 1e-5);
        assertEquals(-3.7491428400875657, s.get(50, 40), 1e-5);
        assertEquals(-7.792941864167043, s.get(100, 63), 1e-5);
        assertEquals(-5.716571471161302, mean(s), 1e-6);
    }

    @Test
    void htkPowerMatchesNumpy() {
        MelConfig c = new MelConfig(22050, 1024, 256, 1024, 64, 0, 11025, MelConfig.MelScale.HTK, 2, 1e-5);
        LogMel.Spectrogram s = LogMel.compute(CLIP, c);
        assertEquals(-4.927036256671136, s.get(50, 0), 1e-5);
        assertEquals(4.415188729372026, s.get(50, 10), 1e-5);
        assertEquals(3.9729363642327074, s.get(50, 40), 1e-5);
        assertEquals(-6.254489532471556, s.get(100, 63), 1e-5);
        assertEquals(-2.882404902342176, mean(s), 1e-6);
    }

    @Test
    void audioldmFilterbankMatchesNumpy() {
        double[][] fb = LogMel.filterbank(MelConfig.AUDIOLDM);
        double[] row0 = {0, 0.00725564, 0.01451128, 0.02133115, 0.01407551, 0.00681987, 0};
        for (int k = 0; k < row0.length; k++) assertEquals(row0[k], fb[0][k], 1e-8);
        double sum = 0;
        for (double v : fb[63]) sum += v;
        assertEquals(0.06400367984771202, sum, 1e-12);
    }

    @Test
    void melScalesAtKnownPoints() {
        // Slaney: 1 kHz is mel 15 (1000 / (200/3)); HTK: 1 kHz is 2595 log10(1 + 1000/700) = 999.99 mel.
        assertEquals(15.0, LogMel.hzToMel(1000, MelConfig.MelScale.SLANEY), 1e-12);
        assertEquals(15.0 + 27, LogMel.hzToMel(6400, MelConfig.MelScale.SLANEY), 1e-12);
        assertEquals(999.9855371396244, LogMel.hzToMel(1000, MelConfig.MelScale.HTK), 1e-9);
        assertEquals(3000, LogMel.melToHz(LogMel.hzToMel(3000, MelConfig.MelScale.HTK), MelConfig.MelScale.HTK), 1e-9);
    }

    @Test
    void audioldmFrontEndOnResampledSpeech() {
        Audio a = AudioResample.toRate(CLIP, 16000);
        assertEquals(46536, a.samples().length); // floor(64133 * 16000 / 22050)
        LogMel.Spectrogram s = LogMel.compute(a, MelConfig.AUDIOLDM);
        assertEquals(1 + 46536 / 160, s.frames());
        for (float v : s.values()) assertTrue(v >= (float) Math.log(1e-5) && Float.isFinite(v));
    }

    private static double mean(LogMel.Spectrogram s) {
        double m = 0;
        for (float v : s.values()) m += v;
        return m / s.values().length;
    }
}
