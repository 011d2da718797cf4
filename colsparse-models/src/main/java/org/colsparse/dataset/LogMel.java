package org.colsparse.dataset;

/**
 * Log-mel spectrogram: short-time Fourier transform with a periodic Hann window over a signal
 * reflect-padded by {@code nFft / 2} at both ends (frames centred on {@code t * hop}, as
 * {@code torch.stft(center=True)} and librosa do), magnitude or power, a triangular mel filterbank
 * (see {@link MelConfig.MelScale}), then {@code ln(max(x, logFloor))}.
 */
public final class LogMel {
    private LogMel() {
    }

    /**
     * A spectrogram, frame-major.
     *
     * @param frames time frames
     * @param mels   mel bands
     * @param values {@code [frame * mels + band]}, natural-log units
     */
    public record Spectrogram(int frames, int mels, float[] values) {
        public float get(int frame, int band) {
            return values[frame * mels + band];
        }
    }

    /** Frames produced for {@code samples} input samples: {@code 1 + samples / hop}. */
    public static int frameCount(int samples, MelConfig c) {
        return 1 + samples / c.hop();
    }

    public static Spectrogram compute(Audio audio, MelConfig c) {
        if (audio.sampleRate() != c.sampleRate()) {
            throw new IllegalArgumentException("audio is " + audio.sampleRate() + " Hz, the mel config expects " + c.sampleRate() + " Hz");
        }
        float[] x = audio.samples();
        int pad = c.nFft() / 2;
        if (x.length <= pad) throw new IllegalArgumentException("audio has " + x.length + " samples, reflect padding needs more than " + pad);
        double[] window = hann(c);
        double[][] fb = filterbank(c);
        int[][] support = support(fb);
        Fft fft = new Fft(c.nFft());
        int bins = c.nFft() / 2 + 1;
        int frames = frameCount(x.length, c);
        float[] out = new float[frames * c.mels()];
        double[] re = new double[c.nFft()], im = new double[c.nFft()];
        double[] spec = new double[bins];
        for (int f = 0; f < frames; f++) {
            int start = f * c.hop() - pad;
            for (int i = 0; i < c.nFft(); i++) {
                re[i] = reflect(x, start + i) * window[i];
                im[i] = 0;
            }
            fft.transform(re, im);
            for (int k = 0; k < bins; k++) {
                double p = re[k] * re[k] + im[k] * im[k];
                spec[k] = c.power() == 2 ? p : Math.sqrt(p);
            }
            for (int m = 0; m < c.mels(); m++) {
                double acc = 0;
                double[] w = fb[m];
                for (int k = support[m][0]; k < support[m][1]; k++) acc += w[k] * spec[k];
                out[f * c.mels() + m] = (float) Math.log(Math.max(acc, c.logFloor()));
            }
        }
        return new Spectrogram(frames, c.mels(), out);
    }

    /** {@code [first, end)} of each band's non-zero weights: a band covers a few bins, not all of them. */
    private static int[][] support(double[][] fb) {
        int[][] s = new int[fb.length][2];
        for (int m = 0; m < fb.length; m++) {
            int lo = 0, hi = fb[m].length;
            while (lo < hi && fb[m][lo] == 0) lo++;
            while (hi > lo && fb[m][hi - 1] == 0) hi--;
            s[m][0] = lo;
            s[m][1] = hi;
        }
        return s;
    }

    /** Periodic Hann window of {@code window} samples, zero-padded on both sides to {@code nFft}. */
    static double[] hann(MelConfig c) {
        double[] w = new double[c.nFft()];
        int off = (c.nFft() - c.window()) / 2;
        for (int i = 0; i < c.window(); i++) w[off + i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / c.window());
        return w;
    }

    private static double reflect(float[] x, int i) {
        int n = x.length;
        while (i < 0 || i >= n) {
            if (i < 0) i = -i;
            if (i >= n) i = 2 * (n - 1) - i;
        }
        return x[i];
    }

    static double hzToMel(double hz, MelConfig.MelScale scale) {
        if (scale == MelConfig.MelScale.HTK) return 2595.0 * Math.log10(1.0 + hz / 700.0);
        double fSp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fSp, logStep = Math.log(6.4) / 27.0;
        return hz < minLogHz ? hz / fSp : minLogMel + Math.log(hz / minLogHz) / logStep;
    }

    static double melToHz(double mel, MelConfig.MelScale scale) {
        if (scale == MelConfig.MelScale.HTK) return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
        double fSp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fSp, logStep = Math.log(6.4) / 27.0;
        return mel < minLogMel ? mel * fSp : minLogHz * Math.exp(logStep * (mel - minLogMel));
    }

    /** {@code [band][fft bin]} triangular weights, librosa's construction. */
    static double[][] filterbank(MelConfig c) {
        int bins = c.nFft() / 2 + 1;
        double[] fftHz = new double[bins];
        for (int k = 0; k < bins; k++) fftHz[k] = k * (double) c.sampleRate() / c.nFft();
        double melLo = hzToMel(c.fMin(), c.scale()), melHi = hzToMel(c.fMax(), c.scale());
        double[] edges = new double[c.mels() + 2];
        for (int i = 0; i < edges.length; i++) edges[i] = melToHz(melLo + (melHi - melLo) * i / (c.mels() + 1), c.scale());
        double[][] fb = new double[c.mels()][bins];
        for (int m = 0; m < c.mels(); m++) {
            double left = edges[m], centre = edges[m + 1], right = edges[m + 2];
            double norm = c.scale() == MelConfig.MelScale.SLANEY ? 2.0 / (right - left) : 1.0;
            for (int k = 0; k < bins; k++) {
                double lower = (fftHz[k] - left) / (centre - left);
                double upper = (right - fftHz[k]) / (right - centre);
                fb[m][k] = Math.max(0, Math.min(lower, upper)) * norm;
            }
        }
        return fb;
    }
}
