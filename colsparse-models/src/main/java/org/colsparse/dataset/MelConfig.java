package org.colsparse.dataset;

/**
 * Parameters of a log-mel spectrogram.
 *
 * @param sampleRate audio rate the spectrogram expects (resample first)
 * @param nFft       FFT size, a power of two
 * @param hop        samples between frames
 * @param window     Hann window length ({@code <= nFft}, centred in the FFT frame when shorter)
 * @param mels       mel bands
 * @param fMin       lowest band edge (Hz)
 * @param fMax       highest band edge (Hz), at most {@code sampleRate / 2}
 * @param scale      mel scale and filter normalization
 * @param power      1 = magnitude spectrogram, 2 = power spectrogram
 * @param logFloor   values are clamped to at least this before the natural log
 */
public record MelConfig(int sampleRate, int nFft, int hop, int window, int mels, double fMin, double fMax,
                        MelScale scale, double power, double logFloor) {
    /**
     * AudioLDM's front end (its {@code TacotronSTFT}): 16 kHz, 1024-point FFT, 10 ms hop, 64 Slaney
     * mel bands over 0-8 kHz, magnitude, {@code log(max(x, 1e-5))}.
     */
    public static final MelConfig AUDIOLDM = new MelConfig(16000, 1024, 160, 1024, 64, 0, 8000, MelScale.SLANEY, 1, 1e-5);

    public MelConfig {
        if (sampleRate <= 0 || hop <= 0 || mels <= 0) throw new IllegalArgumentException("sampleRate, hop and mels must be positive");
        if (nFft < 2 || Integer.bitCount(nFft) != 1) throw new IllegalArgumentException("nFft must be a power of two: " + nFft);
        if (window <= 0 || window > nFft) throw new IllegalArgumentException("window must be in 1.." + nFft + ": " + window);
        if (!(fMin >= 0 && fMin < fMax && fMax <= sampleRate / 2.0)) throw new IllegalArgumentException("need 0 <= fMin < fMax <= sampleRate/2");
        if (power != 1 && power != 2) throw new IllegalArgumentException("power must be 1 or 2: " + power);
        if (!(logFloor > 0)) throw new IllegalArgumentException("logFloor must be positive");
    }

    /** Mel scales. */
    public enum MelScale {
        /**
         * Slaney's Auditory Toolbox scale (librosa's default, {@code htk=False}): linear below
         * 1 kHz (200/3 Hz per mel), logarithmic above (a factor 6.4 per 27 mels); triangles
         * normalized to unit area ({@code norm="slaney"}: scaled by {@code 2 / (f_right - f_left)}).
         */
        SLANEY,
        /** HTK: {@code mel = 2595 log10(1 + f / 700)}; triangles peak at 1, no area normalization. */
        HTK
    }
}
