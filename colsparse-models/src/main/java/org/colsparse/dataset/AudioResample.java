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
        int inRate = in.sampleRate();
        if (outRate == inRate) return in;
        double cutoff = Math.min(1.0, outRate / (double) inRate); // as a fraction of the input Nyquist
        double halfSpan = HALF_WIDTH / cutoff; // in input samples
        float[] x = in.samples();
        int outLen = (int) ((long) x.length * outRate / inRate);
        float[] y = new float[outLen];
        // Output n sits at input time n * inRate / outRate = base + rem / outRate; the filter taps
        // depend only on rem, which takes outRate / gcd values: compute each kernel once.
        int g = gcd(inRate, outRate);
        double[][] kernels = new double[outRate / g][];
        for (int n = 0; n < outLen; n++) {
            long pos = (long) n * inRate;
            int base = (int) (pos / outRate);
            int rem = (int) (pos % outRate);
            double frac = rem / (double) outRate;
            int first = (int) Math.ceil(frac - halfSpan);
            double[] k = kernels[rem / g];
            if (k == null) {
                k = new double[(int) Math.floor(frac + halfSpan) - first + 1];
                for (int i = 0; i < k.length; i++) {
                    double d = frac - (first + i);
                    k[i] = cutoff * sinc(cutoff * d) * (0.5 + 0.5 * Math.cos(Math.PI * d / halfSpan));
                }
                kernels[rem / g] = k;
            }
            double acc = 0;
            int lo = Math.max(0, -(base + first)), hi = Math.min(k.length, x.length - (base + first));
            for (int i = lo; i < hi; i++) acc += x[base + first + i] * k[i];
            y[n] = (float) acc;
        }
        return new Audio(outRate, y);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static double sinc(double v) {
        if (v == 0) return 1;
        double p = Math.PI * v;
        return Math.sin(p) / p;
    }
}
