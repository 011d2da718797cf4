package org.colsparse.dataset;

/** In-place iterative radix-2 complex FFT (forward, no scaling). */
final class Fft {
    private final int n;
    private final double[] cos, sin;

    /** Twiddle factors {@code exp(-2 pi i k / n)} for one size, computed once per spectrogram. */
    Fft(int n) {
        if (Integer.bitCount(n) != 1) throw new IllegalArgumentException("FFT size must be a power of two: " + n);
        this.n = n;
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int k = 0; k < n / 2; k++) {
            // From cos/sin directly (not by repeated multiplication) to keep errors at ulp level.
            cos[k] = Math.cos(-2 * Math.PI * k / n);
            sin[k] = Math.sin(-2 * Math.PI * k / n);
        }
    }

    void transform(double[] re, double[] im) {
        if (re.length != n || im.length != n) throw new IllegalArgumentException("FFT size is " + n + ", arrays have " + re.length);
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1, step = n / len;
            for (int k = 0; k < half; k++) {
                double wr = cos[k * step], wi = sin[k * step];
                for (int i = k; i < n; i += len) {
                    int j = i + half;
                    double xr = re[j] * wr - im[j] * wi, xi = re[j] * wi + im[j] * wr;
                    re[j] = re[i] - xr;
                    im[j] = im[i] - xi;
                    re[i] += xr;
                    im[i] += xi;
                }
            }
        }
    }
}
