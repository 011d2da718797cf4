package org.colsparse.accuracy;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds where output quality falls off a cliff along a threshold sweep (see {@link CliffRule}).
 * Give the dense result as a first point at threshold 0 when it is known, so the first real
 * threshold is judged too.
 */
public final class CliffDetector {
    private CliffDetector() {
    }

    /** One sweep point: a threshold and the metric measured there. */
    public record Point(double threshold, double value) {
    }

    /**
     * Verdict for the step into {@code points[index]} from {@code points[index - 1]}.
     *
     * @param drop  quality lost in this step, in metric units (negative = improved)
     * @param limit the drop above which the step counts as a cliff
     */
    public record Step(int index, double fromThreshold, double toThreshold, double drop, double limit, boolean cliff) {
    }

    /**
     * Steps 1..n-1 of a sweep, thresholds strictly increasing. Metric values must be finite (use
     * relative L2 rather than a PSNR that is infinite at a threshold that changed nothing).
     */
    public static List<Step> detect(List<Point> points, CliffRule rule) {
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            if (!Double.isFinite(p.value()) || !Double.isFinite(p.threshold())) {
                throw new IllegalArgumentException("point " + i + " is not finite: " + p);
            }
            if (i > 0 && !(p.threshold() > points.get(i - 1).threshold())) {
                throw new IllegalArgumentException("thresholds must increase: " + points.get(i - 1).threshold() + " then " + p.threshold());
            }
        }
        List<Step> out = new ArrayList<>();
        double previousDrop = 0;
        for (int i = 1; i < points.size(); i++) {
            double before = points.get(i - 1).value(), after = points.get(i).value();
            double drop = rule.higherIsBetter() ? before - after : after - before;
            double limit = Math.max(rule.absoluteFloor(), rule.factor() * Math.max(previousDrop, 0));
            out.add(new Step(i, points.get(i - 1).threshold(), points.get(i).threshold(), drop, limit, drop > limit));
            previousDrop = drop;
        }
        return out;
    }

    /** {@code cliff[i]} for every point: true where the step into point {@code i} is a cliff (point 0: false). */
    public static boolean[] flags(List<Point> points, CliffRule rule) {
        boolean[] f = new boolean[points.size()];
        for (Step s : detect(points, rule)) f[s.index()] = s.cliff();
        return f;
    }
}
