package org.colsparse.sparsity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Workload totals over several sites: the workload is one long stream of elements and columns, so
 * counts are summed (element and column sparsity are then element- and column-weighted means).
 * The independence baseline is the column-weighted mean of the sites' baselines (expected zero
 * columns summed, over columns summed). Concentration metrics treat every channel of every site
 * as one channel of the workload: Gini over the concatenated channel activities, top-10 % share
 * over their non-near-zero element counts, dead channels summed.
 */
public final class WorkloadTotals {
    private WorkloadTotals() {
    }

    /** One total per (threshold, tile height) present in {@code sites}, in first-seen order. */
    public static List<SiteStats> of(String name, List<SiteStats> sites) {
        Map<String, List<SiteStats>> groups = new LinkedHashMap<>();
        for (SiteStats s : sites) {
            groups.computeIfAbsent(s.threshold() + "/" + s.tileRows(), key -> new ArrayList<>()).add(s);
        }
        List<SiteStats> out = new ArrayList<>();
        for (List<SiteStats> g : groups.values()) {
            out.add(total(name, g));
        }
        return out;
    }

    /** The total of sites that share one threshold and tile height. */
    public static SiteStats total(String name, List<SiteStats> sites) {
        if (sites.isEmpty()) {
            throw new IllegalArgumentException("no sites to total");
        }
        double threshold = sites.get(0).threshold();
        int tileRows = sites.get(0).tileRows();
        long rows = 0;
        int cols = 0;
        long elements = 0;
        long nearZero = 0;
        long columns = 0;
        long zero = 0;
        double expectedZero = 0;
        int dead = 0;
        long calls = 0;
        List<double[]> activities = new ArrayList<>();
        List<Long> siteRows = new ArrayList<>();
        for (SiteStats s : sites) {
            if (Double.compare(s.threshold(), threshold) != 0 || s.tileRows() != tileRows) {
                throw new IllegalArgumentException("site '" + s.site() + "' is at threshold " + s.threshold()
                        + ", tile rows " + s.tileRows() + "; expected " + threshold + ", " + tileRows);
            }
            rows += s.rows();
            cols += s.cols();
            elements += s.elements();
            nearZero += s.nearZeroElements();
            columns += s.columns();
            zero += s.zeroColumns();
            expectedZero += s.independenceBaseline() * s.columns();
            dead += s.deadChannels();
            calls += s.calls();
            activities.add(s.channelActivity());
            siteRows.add(s.rows());
        }
        double[] activity = new double[cols];
        double[] activeCounts = new double[cols];
        int at = 0;
        for (int i = 0; i < activities.size(); i++) {
            for (double a : activities.get(i)) {
                activity[at] = a;
                activeCounts[at] = a * siteRows.get(i);
                at++;
            }
        }
        double s = elements == 0 ? 0.0 : (double) nearZero / elements;
        double colSparsity = columns == 0 ? 0.0 : (double) zero / columns;
        double baseline = columns == 0 ? 0.0 : expectedZero / columns;
        return new SiteStats(name, rows, cols, threshold, tileRows, elements, nearZero, s, columns, zero, colSparsity,
                (s - colSparsity) * 100.0, baseline, colSparsity - baseline,
                columns == 0 ? 0.0 : (double) elements / columns, Concentration.gini(activity),
                Concentration.topShare(activeCounts), dead, cols == 0 ? 0.0 : (double) dead / cols, activity, calls);
    }
}
