package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.dataset.ImageSet;

import java.util.SplittableRandom;

/**
 * Short videos made from real Fashion-MNIST images: each clip is one image moving over
 * {@link #FRAMES} frames with a constant shift velocity (-1, 0 or 1 pixel per frame on each axis)
 * and a constant rotation speed (-6 to 6 degrees per frame), bilinear resampling, background black.
 * Conditioning is the image's class. Held-out clips come from the test split with motions fixed by
 * their index.
 */
public final class VideoData implements TrainingData {
    public static final int FRAMES = 8;
    private final FashionData images = new FashionData();

    @Override
    public Batch train(NDManager m, SplittableRandom rng, int size) {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = rng.nextInt(images.trainSet().count());
        }
        return batch(m, images.trainSet(), idx, rng);
    }

    @Override
    public Batch heldOut(NDManager m, int from, int size) {
        return batch(m, images.testSet(), MotionData.range(from, size), new SplittableRandom(from));
    }

    private static Batch batch(NDManager m, ImageSet set, int[] idx, SplittableRandom rng) {
        int s = FashionData.SIZE;
        float[] x = new float[idx.length * FRAMES * s * s];
        int[] labels = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            float[] img = set.image(idx[i], -1f, 1f);
            int vx = rng.nextInt(3) - 1;
            int vy = rng.nextInt(3) - 1;
            double omega = Math.toRadians(rng.nextInt(13) - 6);
            for (int f = 0; f < FRAMES; f++) {
                double shift = f - (FRAMES - 1) / 2.0;
                render(img, s, vx * shift, vy * shift, omega * shift, x, (i * FRAMES + f) * s * s);
            }
            labels[i] = set.label(idx[i]);
        }
        return new Batch(m.create(x, new Shape(idx.length, FRAMES, s, s)), Labels.oneHot(m, labels, FashionData.CLASSES));
    }

    /** Rotates about the centre and shifts, sampling the source bilinearly (outside = -1, black). */
    private static void render(float[] img, int s, double dx, double dy, double angle, float[] out, int offset) {
        double c = Math.cos(angle);
        double sn = Math.sin(angle);
        double mid = (s - 1) / 2.0;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                double ux = x - mid - dx;
                double uy = y - mid - dy;
                double sx = c * ux + sn * uy + mid;
                double sy = -sn * ux + c * uy + mid;
                int x0 = (int) Math.floor(sx);
                int y0 = (int) Math.floor(sy);
                double fx = sx - x0;
                double fy = sy - y0;
                double v = (1 - fx) * (1 - fy) * px(img, s, x0, y0) + fx * (1 - fy) * px(img, s, x0 + 1, y0)
                        + (1 - fx) * fy * px(img, s, x0, y0 + 1) + fx * fy * px(img, s, x0 + 1, y0 + 1);
                out[offset + y * s + x] = (float) v;
            }
        }
    }

    private static double px(float[] img, int s, int x, int y) {
        return x < 0 || y < 0 || x >= s || y >= s ? -1 : img[y * s + x];
    }

    @Override
    public int heldOutCount() {
        return images.heldOutCount();
    }

    @Override
    public String describe() {
        return images.describe().replace("training images", "training images made into 8-frame clips (constant shift of -1/0/1 px "
                + "per frame per axis and rotation of -6..6 degrees per frame, drawn per clip)");
    }
}
