package org.colsparse.accuracy;

import org.colsparse.dataset.Digits;
import org.colsparse.dataset.FashionMnist;
import org.colsparse.dataset.ImageSet;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ImageMetricsTest {
    @Test
    void psnrOfAConstantOffset() {
        double[] a = new double[100], b = new double[100];
        for (int i = 0; i < 100; i++) {
            a[i] = i;
            b[i] = i + 5;
        }
        // MSE = 25 -> 10 log10(255^2 / 25) = 20 log10(51)
        assertEquals(20 * Math.log10(51), ImageMetrics.psnr(a, b, 255), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(a, a.clone(), 255));
    }

    @Test
    void ssimOfIdenticalImagesIsOne() {
        double[] a = pattern(32, 32);
        assertEquals(1.0, ImageMetrics.ssim(a, a.clone(), 1, 32, 32, 255), 1e-15);
    }

    static double[] pattern(int h, int w) {
        double[] a = new double[h * w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) a[y * w + x] = (x * 37 + y * 91) % 251;
        return a;
    }

    /** Reference values from our NumPy/SciPy implementation of Wang et al. (scipy.signal.convolve2d, "valid"). */
    @Test
    void ssimMatchesNumpyReference() {
        double[] a = pattern(32, 32);
        double[] noisy = new double[a.length], inverted = new double[a.length], flat = new double[a.length];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                int i = y * 32 + x;
                noisy[i] = a[i] + ((x * y) % 17 - 8);
                inverted[i] = 255 - a[i];
                flat[i] = a[i] * 0.5 + 40;
            }
        }
        assertEquals(0.9976760560078004, ImageMetrics.ssim(a, noisy, 1, 32, 32, 255), 1e-12);
        assertEquals(-0.986393130186508, ImageMetrics.ssim(a, inverted, 1, 32, 32, 255), 1e-12);
        assertEquals(0.7863099898042467, ImageMetrics.ssim(a, flat, 1, 32, 32, 255), 1e-12);
        // Two planes average: (1 + 0.78631) / 2
        double[] two = new double[2 * a.length], twoTest = new double[2 * a.length];
        System.arraycopy(a, 0, two, 0, a.length);
        System.arraycopy(a, 0, two, a.length, a.length);
        System.arraycopy(a, 0, twoTest, 0, a.length);
        System.arraycopy(flat, 0, twoTest, a.length, a.length);
        assertEquals((1 + 0.7863099898042467) / 2, ImageMetrics.ssim(two, twoTest, 2, 32, 32, 255), 1e-12);
    }

    @Test
    void realImagesMatchNumpyReference() {
        ImageSet test = FashionMnist.load(Path.of("../data/fashion-mnist-slice"), FashionMnist.Split.TEST);
        double[] img = new double[784], pert = new double[784];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                img[y * 28 + x] = test.pixel(0, y, x);
                pert[y * 28 + x] = img[y * 28 + x] + ((x * 5 + y * 3) % 11 - 5) * 4;
            }
        }
        assertEquals(0.8092392297918114, ImageMetrics.ssim(img, pert, 1, 28, 28, 255), 1e-12);
        assertEquals(26.09459216928961, ImageMetrics.psnr(img, pert, 255), 1e-10);

        // 8x8 digits: the window shrinks to 7x7.
        ImageSet d = Digits.load();
        double[] d0 = new double[64], d10 = new double[64];
        for (int i = 0; i < 64; i++) {
            d0[i] = d.pixel(0, i / 8, i % 8);
            d10[i] = d.pixel(10, i / 8, i % 8);
        }
        assertEquals(0.807106062490836, ImageMetrics.ssim(d0, d10, 1, 8, 8, 16), 1e-12);
    }
}
