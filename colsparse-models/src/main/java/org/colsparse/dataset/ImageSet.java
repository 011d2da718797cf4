package org.colsparse.dataset;

import java.util.Arrays;

/**
 * Labelled grey-scale images with integer pixels in {@code [0, maxValue]}.
 *
 * @param name     data set and split, for messages and model cards
 * @param height   rows per image
 * @param width    columns per image
 * @param maxValue largest pixel value (255 for Fashion-MNIST, 16 for the 8x8 digits)
 * @param pixels   unsigned pixels, image-major then row-major: {@code [(i * height + y) * width + x]}
 * @param labels   class per image (0..9)
 */
public record ImageSet(String name, int height, int width, int maxValue, byte[] pixels, byte[] labels) {
    public ImageSet {
        if (height <= 0 || width <= 0) throw new IllegalArgumentException("image size must be positive");
        if (pixels.length != labels.length * height * width) {
            throw new IllegalArgumentException(pixels.length + " pixels do not make " + labels.length + " images of " + height + "x" + width);
        }
    }

    public int count() {
        return labels.length;
    }

    public int pixel(int image, int y, int x) {
        return pixels[(image * height + y) * width + x] & 0xff;
    }

    public int label(int image) {
        return labels[image] & 0xff;
    }

    /**
     * One image with pixels mapped linearly from {@code [0, maxValue]} to {@code [lo, hi]}; diffusion
     * models train on {@code [-1, 1]}.
     */
    public float[] image(int image, float lo, float hi) {
        int n = height * width;
        float[] out = new float[n];
        float scale = (hi - lo) / maxValue;
        for (int i = 0; i < n; i++) out[i] = lo + (pixels[image * n + i] & 0xff) * scale;
        return out;
    }

    /** Images {@code [from, to)}. */
    public ImageSet slice(int from, int to) {
        int n = height * width;
        return new ImageSet(name, height, width, maxValue, Arrays.copyOfRange(pixels, from * n, to * n), Arrays.copyOfRange(labels, from, to));
    }
}
