package org.colsparse.dataset;

import java.util.SplittableRandom;

/**
 * Short videos made from still images the way Moving MNIST (Srivastava et al., 2015) is made from
 * MNIST: an image moves across a larger dark canvas at a constant velocity and bounces off the
 * edges. The video workload (AnimateDiff-like, spatial + temporal attention) trains on these, so
 * its frames hold real Fashion-MNIST content and its temporal axis real, learnable motion.
 */
public final class MovingImages {
    private MovingImages() {
    }

    /**
     * One clip: {@code frames} frames of {@code canvas x canvas} pixels, frame-major, in
     * {@code [-1, 1]} (background -1). Start position and velocity (1-2 pixels per frame on each
     * axis, random sign) come from {@code seed} and {@code index}, so the same arguments always
     * give the same clip.
     */
    public static float[] clip(ImageSet images, int index, int frames, int canvas, long seed) {
        int h = images.height(), w = images.width();
        if (canvas < Math.max(h, w)) throw new IllegalArgumentException("canvas " + canvas + " is smaller than the " + h + "x" + w + " image");
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index);
        int maxY = canvas - h, maxX = canvas - w;
        int y = maxY == 0 ? 0 : rnd.nextInt(maxY + 1), x = maxX == 0 ? 0 : rnd.nextInt(maxX + 1);
        int vy = (1 + rnd.nextInt(2)) * (rnd.nextBoolean() ? 1 : -1), vx = (1 + rnd.nextInt(2)) * (rnd.nextBoolean() ? 1 : -1);
        float[] img = images.image(index, -1, 1);
        float[] out = new float[frames * canvas * canvas];
        java.util.Arrays.fill(out, -1f);
        for (int f = 0; f < frames; f++) {
            int base = f * canvas * canvas;
            for (int r = 0; r < h; r++) System.arraycopy(img, r * w, out, base + (y + r) * canvas + x, w);
            // Reflect at the walls: a position stepping past an edge comes back by the overshoot.
            y = bounce(y + vy, maxY);
            if (y == 0 || y == maxY) vy = maxY == 0 ? 0 : (y == 0 ? Math.abs(vy) : -Math.abs(vy));
            x = bounce(x + vx, maxX);
            if (x == 0 || x == maxX) vx = maxX == 0 ? 0 : (x == 0 ? Math.abs(vx) : -Math.abs(vx));
        }
        return out;
    }

    private static int bounce(int p, int max) {
        if (max == 0) return 0;
        if (p < 0) return Math.min(-p, max);
        if (p > max) return Math.max(2 * max - p, 0);
        return p;
    }
}
