package org.colsparse.accuracy;

/**
 * Audio fidelity on log-mel spectrograms (the audio workload's output; no vocoder is involved),
 * given as natural-log values ({@code ln(max(mel, floor))}, as {@link org.colsparse.dataset.LogMel}
 * computes), frame-major {@code [frame * bands + band]}. De-normalize model outputs first.
 */
public final class AudioMetrics {
    private AudioMetrics() {
    }

    /**
     * Log-spectral distance in dB: per frame the root-mean-square over bands of the level
     * difference in decibels, averaged over frames,
     * {@code mean_t sqrt(mean_b (L_ref - L_test)^2)} with {@code L = 10 log10(power)}.
     * {@code power} says what the log values hold: 1 for a magnitude spectrogram (then
     * {@code L = 20 log10|X|}), 2 for a power spectrogram. Range {@code [0, inf)}; 0 = identical;
     * lower is better (about 1 dB is a small, 5+ dB a large spectral change).
     */
    public static double logSpectralDistance(double[] refLog, double[] testLog, int bands, double power) {
        Checks.sameLength(refLog, testLog);
        if (bands <= 0 || refLog.length % bands != 0) throw new IllegalArgumentException(refLog.length + " values are not frames x " + bands + " bands");
        double db = dbPerLogUnit(power);
        int frames = refLog.length / bands;
        double total = 0;
        for (int f = 0; f < frames; f++) {
            double s = 0;
            for (int b = 0; b < bands; b++) {
                double d = (refLog[f * bands + b] - testLog[f * bands + b]) * db;
                s += d * d;
            }
            total += Math.sqrt(s / bands);
        }
        return total / frames;
    }

    /**
     * Signal-to-noise ratio in dB of the test mel spectrogram against the dense one, on linear
     * magnitudes ({@code exp} of the log values): {@code 10 log10(sum ref^2 / sum (ref - test)^2)}.
     * Range {@code (-inf, inf)}, {@code +inf} when identical; higher is better (0 dB: the error is
     * as strong as the signal).
     */
    public static double snrDb(double[] refLog, double[] testLog) {
        Checks.sameLength(refLog, testLog);
        double sig = 0, err = 0;
        for (int i = 0; i < refLog.length; i++) {
            double r = Math.exp(refLog[i]), t = Math.exp(testLog[i]);
            sig += r * r;
            err += (r - t) * (r - t);
        }
        if (err == 0) return Double.POSITIVE_INFINITY;
        return 10 * Math.log10(sig / err);
    }

    private static double dbPerLogUnit(double power) {
        if (power != 1 && power != 2) throw new IllegalArgumentException("power must be 1 (magnitude) or 2 (power): " + power);
        // The input holds ln(|X|^power); its level 10 log10(|X|^2) is (2 / power) * 10 / ln 10 per unit.
        return 10 * (2 / power) / Math.log(10);
    }
}
