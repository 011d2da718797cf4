package org.colsparse.accuracy;

/**
 * Image fidelity against the dense output. Images are given as planes: {@code planes} grey-scale
 * {@code height x width} images back to back (a batch of C-channel images is {@code batch * C}
 * planes in NCHW order).
 */
public final class ImageMetrics {
    /** Wang et al. (2004) constants. */
    public static final double K1 = 0.01, K2 = 0.03, SIGMA = 1.5;
    public static final int WINDOW = 11;

    private ImageMetrics() {
    }

    /**
     * Peak signal-to-noise ratio {@code 10 log10(dataRange^2 / MSE)} in dB, over all elements.
     * {@code dataRange} is the span of valid values (255 for 8-bit, 2 for images in [-1, 1]).
     * Range {@code [0, inf)} for inputs inside the range, {@code +inf} when identical; higher is
     * better (30-40 dB: differences hard to see; below 20 dB: clearly visible).
     */
    public static double psnr(double[] ref, double[] test, double dataRange) {
        Checks.sameLength(ref, test);
        if (!(dataRange > 0)) throw new IllegalArgumentException("data range must be positive: " + dataRange);
        double se = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = test[i] - ref[i];
            se += d * d;
        }
        if (se == 0) return Double.POSITIVE_INFINITY;
        return 10 * Math.log10(dataRange * dataRange / (se / ref.length));
    }

    /**
     * Mean structural similarity (Wang, Bovik, Sheikh, Simoncelli, IEEE TIP 2004): luminance,
     * contrast and structure compared in an 11x11 Gaussian window (sigma 1.5) at every position
     * where the window fits inside the image ("valid", as the authors' MATLAB code), with
     * {@code C1 = (0.01 L)^2}, {@code C2 = (0.03 L)^2}, {@code L = dataRange}, averaged over the
     * SSIM map and then over planes. Images smaller than 11 pixels use the largest odd window that
     * fits, same sigma (the authors' code has no such case). No down-sampling of large images.
     * Range {@code [-1, 1]}; 1 = identical; higher is better.
     */
    public static double ssim(double[] ref, double[] test, int planes, int height, int width, double dataRange) {
        Checks.sameLength(ref, test);
        if (ref.length != (long) planes * height * width) {
            throw new IllegalArgumentException(ref.length + " values are not " + planes + " planes of " + height + "x" + width);
        }
        if (!(dataRange > 0)) throw new IllegalArgumentException("data range must be positive: " + dataRange);
        int win = Math.min(WINDOW, Math.min(height, width));
        if (win % 2 == 0) win--;
        double[] g = gaussian(win);
        double c1 = K1 * dataRange * K1 * dataRange, c2 = K2 * dataRange * K2 * dataRange;
        int oh = height - win + 1, ow = width - win + 1;
        double total = 0;
        int plane = height * width;
        for (int p = 0; p < planes; p++) {
            int base = p * plane;
            double sum = 0;
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    double mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
                    for (int i = 0; i < win; i++) {
                        for (int j = 0; j < win; j++) {
                            double w = g[i] * g[j];
                            int idx = base + (y + i) * width + x + j;
                            double a = ref[idx], b = test[idx];
                            mx += w * a;
                            my += w * b;
                            xx += w * a * a;
                            yy += w * b * b;
                            xy += w * a * b;
                        }
                    }
                    double vx = xx - mx * mx, vy = yy - my * my, cxy = xy - mx * my;
                    sum += ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2));
                }
            }
            total += sum / (oh * ow);
        }
        return total / planes;
    }

    /** Normalized 1-D Gaussian; the 2-D window is its outer product. */
    private static double[] gaussian(int n) {
        double[] g = new double[n];
        double s = 0;
        int c = n / 2;
        for (int i = 0; i < n; i++) {
            g[i] = Math.exp(-((i - c) * (i - c)) / (2 * SIGMA * SIGMA));
            s += g[i];
        }
        for (int i = 0; i < n; i++) g[i] /= s;
        return g;
    }
}
