package org.colsparse.accuracy;

/** Argument checks shared by the metrics: a mismatch or a non-finite value is a caller bug. */
final class Checks {
    private Checks() {
    }

    static void sameLength(double[] a, double[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("arrays differ in length: " + a.length + " vs " + b.length);
        if (a.length == 0) throw new IllegalArgumentException("arrays are empty");
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) {
                throw new IllegalArgumentException("non-finite value at index " + i + ": " + a[i] + " / " + b[i]);
            }
        }
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
