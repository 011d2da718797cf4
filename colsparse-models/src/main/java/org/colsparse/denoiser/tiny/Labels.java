package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Class labels as one-hot rows with one extra "null" class at the end: a one-hot row times an
 * embedding table is an embedding lookup that autograd differentiates, and the null class is the
 * learned unconditional embedding of classifier-free guidance.
 */
public final class Labels {
    private Labels() {
    }

    /** (n, classes + 1) one-hot rows of {@code labels}. */
    public static NDArray oneHot(NDManager m, int[] labels, int classes) {
        float[] v = new float[labels.length * (classes + 1)];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] > classes) {
                throw new IllegalArgumentException("label " + labels[i] + " outside 0.." + classes);
            }
            v[i * (classes + 1) + labels[i]] = 1f;
        }
        return m.create(v, new Shape(labels.length, classes + 1));
    }

    /** The null-class rows for a batch of one-hot rows. */
    public static NDArray nullLike(NDArray oneHot) {
        long n = oneHot.getShape().get(0);
        long width = oneHot.getShape().get(1);
        int[] nul = new int[Math.toIntExact(n)];
        java.util.Arrays.fill(nul, (int) width - 1);
        return oneHot(oneHot.getManager(), nul, (int) width - 1);
    }

    /** The labels of samples {@code first .. first + n - 1} when sample {@code i} asks for class {@code i mod classes}. */
    public static int[] cycle(int first, int n, int classes) {
        int[] l = new int[n];
        for (int i = 0; i < n; i++) {
            l[i] = (first + i) % classes;
        }
        return l;
    }
}
