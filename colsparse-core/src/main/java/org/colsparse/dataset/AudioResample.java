package org.colsparse.dataset;

/**
 * Band-limited sample-rate conversion (espeak-ng's 22,050 Hz speech to AudioLDM's 16,000 Hz).
 *
 * <p>Each output sample is the input convolved with a windowed-sinc low-pass filter evaluated at
 * the output instant: cutoff at {@code 0.5 * min(inRate, outRate)} (the lower Nyquist, so
 * down-sampling does not alias), Hann window, {@value #HALF_WIDTH} zero crossings on each side.
 * Samples beyond the ends count as 0. Deterministic and exact for a band-limited signal up to the
 * filter's passband ripple.
 */
public final class AudioResample {
    static final int HALF_WIDTH = 16;

    private AudioResample() {
    }

    public static Audio toRate(Audio in, int outRate) {
        if (outRate <= 0) throw new IllegalArgumentException("sample rate must be positive: " + outRate);
        if (outRate == in.sampleRate()) return in;
        double ratio = outRate / (double) in.sampleRate();
        double cutoff = Math.min(1.0, ratio); // as a fraction of the input Nyquist
        double halfSpan = HALF_WIDTH / cutoff; // in input samples
        float[] x = in.samples();
        int outLen = (int) Math.floor(x.length * ratio);
        float[] y = new float[outLen];
        for (int n = 0; n < outLen; n++) {
            double t = n / ratio;
            int k0 = (int) Math.ceil(t - halfSpan), k1 = (int) Math.floor(t + halfSpan);
            double acc = 0;
            for (int k = Math.max(0, k0); k <= Math.min(x.length - 1, k1); k++) {
                double d = t - k;
                double u = d / halfSpan;
                double window = 0.5 + 0.5 * Math.cos(Math.PI * u);
                acc += x[k] * cutoff * sinc(cutoff * d) * window;
            }
            y[n] = (float) acc;
        }
        return new Audio(outRate, y);
    }

    private static double sinc(double v) {
        if (v == 0) return 1;
        double p = Math.PI * v;
        return Math.sin(p) / p;
    }
}
