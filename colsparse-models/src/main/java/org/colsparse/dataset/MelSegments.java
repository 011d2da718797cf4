package org.colsparse.dataset;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Fixed-length training segments of log-mel spectrograms, and the global statistics used to
 * standardize them (AudioLDM's VAE sees standardized log-mels; the tiny audio model trains on
 * them directly).
 */
public final class MelSegments {
    private MelSegments() {
    }

    /** Segments of {@code frames} frames every {@code stride} frames (whole segments only), frame-major. */
    public static List<float[]> cut(LogMel.Spectrogram s, int frames, int stride) {
        if (frames <= 0 || stride <= 0) throw new IllegalArgumentException("frames and stride must be positive");
        List<float[]> out = new ArrayList<>();
        for (int start = 0; start + frames <= s.frames(); start += stride) {
            float[] seg = new float[frames * s.mels()];
            System.arraycopy(s.values(), start * s.mels(), seg, 0, seg.length);
            out.add(seg);
        }
        return out;
    }

    /**
     * Mean and population standard deviation over every value of every segment: one pair for the
     * whole spectrogram, not per band, so relative band levels survive standardization.
     */
    public record Stats(double mean, double std) {
        public static Stats of(Collection<float[]> segments) {
            double sum = 0;
            long n = 0;
            for (float[] s : segments) {
                for (float v : s) sum += v;
                n += s.length;
            }
            if (n == 0) throw new IllegalArgumentException("no values");
            double mean = sum / n, sq = 0;
            for (float[] s : segments) {
                for (float v : s) sq += (v - mean) * (v - mean);
            }
            double std = Math.sqrt(sq / n);
            return new Stats(mean, std > 0 ? std : 1);
        }

        public float[] normalize(float[] segment) {
            float[] out = new float[segment.length];
            for (int i = 0; i < out.length; i++) out[i] = (float) ((segment[i] - mean) / std);
            return out;
        }

        public float[] denormalize(float[] segment) {
            float[] out = new float[segment.length];
            for (int i = 0; i < out.length; i++) out[i] = (float) (segment[i] * std + mean);
            return out;
        }
    }
}
