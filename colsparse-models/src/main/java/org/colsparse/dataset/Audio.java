package org.colsparse.dataset;

/**
 * Mono audio.
 *
 * @param sampleRate samples per second
 * @param samples    amplitudes, full scale = [-1, 1]
 */
public record Audio(int sampleRate, float[] samples) {
    public Audio {
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
    }

    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
