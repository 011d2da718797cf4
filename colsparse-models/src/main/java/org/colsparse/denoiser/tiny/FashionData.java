package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.dataset.FashionMnist;
import org.colsparse.dataset.ImageSet;

import java.util.SplittableRandom;

/**
 * Fashion-MNIST images in [-1, 1] with their class labels (10 classes) as conditioning; the test
 * split is the held-out set. Uses the Debian package's full 60k/10k when installed, else the
 * repository's 512/128 slice.
 */
public final class FashionData implements TrainingData {
    public static final int CLASSES = 10;
    public static final int SIZE = 28;
    private final ImageSet train;
    private final ImageSet test;
    private final FashionMnist.Location where;

    public FashionData() {
        where = FashionMnist.locate();
        train = FashionMnist.load(where.dir(), FashionMnist.Split.TRAIN);
        test = FashionMnist.load(where.dir(), FashionMnist.Split.TEST);
    }

    public ImageSet trainSet() {
        return train;
    }

    public ImageSet testSet() {
        return test;
    }

    @Override
    public Batch train(NDManager m, SplittableRandom rng, int size) {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = rng.nextInt(train.count());
        }
        return batch(m, train, idx);
    }

    @Override
    public Batch heldOut(NDManager m, int from, int size) {
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) {
            idx[i] = from + i;
        }
        return batch(m, test, idx);
    }

    private static Batch batch(NDManager m, ImageSet set, int[] idx) {
        float[] x = new float[idx.length * SIZE * SIZE];
        int[] labels = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(set.image(idx[i], -1f, 1f), 0, x, i * SIZE * SIZE, SIZE * SIZE);
            labels[i] = set.label(idx[i]);
        }
        return new Batch(m.create(x, new Shape(idx.length, 1, SIZE, SIZE)), Labels.oneHot(m, labels, CLASSES));
    }

    @Override
    public int heldOutCount() {
        return test.count();
    }

    @Override
    public String describe() {
        return "Fashion-MNIST (Zalando, MIT) " + where.origin().name().toLowerCase(java.util.Locale.ROOT) + " copy at " + where.dir()
                + ": " + train.count() + " training images, held-out = the test split (" + test.count()
                + "); pixels scaled to [-1, 1]; conditioning = the 10 class labels";
    }
}
