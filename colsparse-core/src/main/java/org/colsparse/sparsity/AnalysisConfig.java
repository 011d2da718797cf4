package org.colsparse.sparsity;

import java.util.Arrays;

/**
 * What one scan measures: every near-zero threshold {@code tau} (docs/definitions.md, {@code |a| <= tau}
 * inclusive, exact decimal) crossed with every row-tile height {@code R} (the systolic array's row
 * count). The constructor sorts and de-duplicates both lists, so results come out in a fixed order
 * whatever order the user gave them in.
 */
public record AnalysisConfig(double[] thresholds, int[] tileRows) {
    /** docs/definitions.md: primary operating point. */
    public static final double PRIMARY_THRESHOLD = 0.01;
    /** docs/definitions.md: the default threshold sweep. */
    public static final double[] DEFAULT_SWEEP = {0.001, 0.005, 0.01, 0.05, 0.1};
    /** A 32-row array: the size SCALE-Sim's stock configurations and most published accelerators use. */
    public static final int DEFAULT_TILE_ROWS = 32;

    public AnalysisConfig {
        if (thresholds == null || thresholds.length == 0) {
            throw new IllegalArgumentException("at least one threshold is needed");
        }
        if (tileRows == null || tileRows.length == 0) {
            throw new IllegalArgumentException("at least one tile height is needed");
        }
        for (double t : thresholds) {
            if (!Double.isFinite(t) || t < 0) {
                throw new IllegalArgumentException("threshold " + t + " must be finite and >= 0");
            }
        }
        for (int r : tileRows) {
            if (r < 1) {
                throw new IllegalArgumentException("tile rows " + r + " must be >= 1");
            }
        }
        thresholds = Arrays.stream(thresholds).map(t -> t == 0.0 ? 0.0 : t).sorted().distinct().toArray();
        tileRows = Arrays.stream(tileRows).sorted().distinct().toArray();
    }

    public static AnalysisConfig defaults() {
        return new AnalysisConfig(new double[] {PRIMARY_THRESHOLD}, new int[] {DEFAULT_TILE_ROWS});
    }

    @Override
    public double[] thresholds() {
        return thresholds.clone();
    }

    @Override
    public int[] tileRows() {
        return tileRows.clone();
    }

    /**
     * The float32 value an activation stored as float must not exceed to be near zero at
     * {@code tau}: the largest float not above the decimal {@code tau}. Rounding {@code tau} to
     * the nearest float is wrong: {@code 0.05f} is 0.0500000007..., above 0.05.
     */
    public static float floatThreshold(double tau) {
        float f = (float) tau;
        return (double) f > tau ? Math.nextDown(f) : f;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnalysisConfig c && Arrays.equals(thresholds, c.thresholds) && Arrays.equals(tileRows, c.tileRows);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(thresholds) + Arrays.hashCode(tileRows);
    }

    @Override
    public String toString() {
        return "AnalysisConfig[thresholds=" + Arrays.toString(thresholds) + ", tileRows=" + Arrays.toString(tileRows) + "]";
    }
}
