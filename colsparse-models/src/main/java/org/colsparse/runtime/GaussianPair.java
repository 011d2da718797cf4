package org.colsparse.runtime;

import java.util.SplittableRandom;

/** Standard normal draws from a Java-side seeded generator, so runs repeat bit for bit on any engine. */
public final class GaussianPair {
    private GaussianPair() {
    }

    /** One N(0,1) draw (Box-Muller, cosine branch; StrictMath so every JVM draws the same bits). */
    public static double next(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble(); // (0, 1]: log never sees 0
        double u2 = rng.nextDouble();
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    /** {@code n} N(0,1) floats. */
    public static float[] floats(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) next(rng);
        }
        return v;
    }
}
