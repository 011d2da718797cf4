package org.colsparse.sparsity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Streams the GELU output of one site, call after call, and keeps only integer counts: per
 * threshold and channel the near-zero elements, per threshold and tile height the zero columns,
 * and per tile height how many tiles of each actual height were seen (for the independence
 * baseline, where a short last tile of height h contributes s^h, not s^R). Every statistic is
 * derived from these counts, so results are bit-for-bit the same however the data was split into
 * accumulators and merged.
 *
 * <p>Not thread-safe: give each thread its own accumulator and {@link #merge} them. If a call
 * throws (NaN/Inf, bad arguments) the accumulator is left exactly as before that call.
 */
public final class SiteAccumulator {
    private final String site;
    private final int channels;
    private final AnalysisConfig config;
    private final double[] thresholds;
    private final int[] heights;
    private final Totals totals;
    private FloatScan floatScan;
    private DoubleScan doubleScan;
    private CallScan open;

    public SiteAccumulator(String site, int channels, AnalysisConfig config) {
        this.site = Objects.requireNonNull(site, "site");
        if (channels < 1) {
            throw new IllegalArgumentException("site '" + site + "': channels must be >= 1, got " + channels);
        }
        this.channels = channels;
        this.config = Objects.requireNonNull(config, "config");
        this.thresholds = config.thresholds();
        this.heights = config.tileRows();
        this.totals = new Totals(thresholds.length, heights, channels);
    }

    public String site() {
        return site;
    }

    public int channels() {
        return channels;
    }

    public AnalysisConfig config() {
        return config;
    }

    public long calls() {
        return totals.calls;
    }

    public long rows() {
        return totals.rows;
    }

    /**
     * One denoiser call's output of this site: {@code rows x channels} floats, row-major, from
     * {@code data[offset]}. Row tiles start at this call's first row and never continue into the
     * next call.
     */
    public void acceptCall(float[] data, int offset, int rows) {
        checkRange(data.length, offset, rows);
        beginSegment(false, 0, totals.calls + 1);
        floatScan.rows(data, offset, rows);
        endSegment(true);
    }

    /** {@link #acceptCall(float[], int, int)} for float64 data, compared in double exactly. */
    public void acceptCall(double[] data, int offset, int rows) {
        checkRange(data.length, offset, rows);
        beginSegment(true, 0, totals.calls + 1);
        doubleScan.rows(data, offset, rows);
        endSegment(true);
    }

    private void checkRange(int length, int offset, int rows) {
        if (offset < 0 || rows < 0 || offset + (long) rows * channels > length) {
            throw new IllegalArgumentException("site '" + site + "': " + rows + " rows x " + channels
                    + " channels from offset " + offset + " exceed the array of " + length);
        }
    }

    /**
     * Starts a segment: a whole call, or a part of one that starts at a row that is a multiple
     * of every tile height (so its tiles line up with the call's). {@code rowBase} and
     * {@code callNumber} (1-based, 0 = none) only label error messages.
     */
    void beginSegment(boolean float64, long rowBase, long callNumber) {
        CallScan scan;
        if (float64) {
            if (doubleScan == null) {
                doubleScan = new DoubleScan(site, channels, thresholds, heights);
            }
            scan = doubleScan;
        } else {
            if (floatScan == null) {
                floatScan = new FloatScan(site, channels, thresholds, heights);
            }
            scan = floatScan;
        }
        scan.begin(rowBase, callNumber);
        open = scan;
    }

    void segmentRows(float[] data, int offset, int rows) {
        ((FloatScan) open).rows(data, offset, rows);
    }

    void segmentRows(double[] data, int offset, int rows) {
        ((DoubleScan) open).rows(data, offset, rows);
    }

    /** Closes the segment and adds it to the totals; {@code countsAsCall} is false for the non-first parts of a split call. */
    void endSegment(boolean countsAsCall) {
        open.end();
        open.commit(totals);
        if (countsAsCall) {
            totals.calls++;
        }
        open = null;
    }

    /** Adds everything {@code other} has seen. Same site width and configuration required. */
    public void merge(SiteAccumulator other) {
        if (other.channels != channels || !other.config.equals(config)) {
            throw new IllegalArgumentException("cannot merge site '" + other.site + "' (" + other.channels + " channels, "
                    + other.config + ") into '" + site + "' (" + channels + " channels, " + config + ")");
        }
        Totals o = other.totals;
        totals.rows += o.rows;
        totals.calls += o.calls;
        for (int t = 0; t < thresholds.length; t++) {
            for (int k = 0; k < channels; k++) {
                totals.nearZero[t][k] += o.nearZero[t][k];
            }
            for (int c = 0; c < heights.length; c++) {
                totals.zeroColumns[t][c] += o.zeroColumns[t][c];
            }
        }
        for (int c = 0; c < heights.length; c++) {
            for (Map.Entry<Integer, Long> e : o.tileHeights.get(c).entrySet()) {
                totals.addTiles(c, e.getKey(), e.getValue());
            }
        }
    }

    /**
     * Every count this accumulator holds, flat, so that a shard of a sharded run can store its raw
     * state and the merge can add it exactly ({@link #mergeCounts}). Layout, with T thresholds, K
     * channels and H tile heights in {@link AnalysisConfig} order: {@code rows, calls}, then
     * {@code nearZero[t][k]} (T x K), {@code zeroColumns[t][h]} (T x H), then for each tile height
     * the number n of distinct actual tile heights seen followed by n pairs {@code (height, tiles)},
     * heights ascending.
     */
    public long[] counts() {
        List<Long> out = new ArrayList<>();
        out.add(totals.rows);
        out.add(totals.calls);
        for (long[] t : totals.nearZero) {
            for (long v : t) {
                out.add(v);
            }
        }
        for (long[] t : totals.zeroColumns) {
            for (long v : t) {
                out.add(v);
            }
        }
        for (TreeMap<Integer, Long> seen : totals.tileHeights) {
            out.add((long) seen.size());
            for (Map.Entry<Integer, Long> e : seen.entrySet()) {
                out.add((long) e.getKey());
                out.add(e.getValue());
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * Adds counts written by {@link #counts()} of an accumulator of the same site width and
     * configuration, exactly as {@link #merge} would add that accumulator.
     *
     * @throws IllegalArgumentException if {@code counts} does not have this accumulator's layout;
     *                                  nothing is added then
     */
    public void mergeCounts(long[] counts) {
        int fixed = 2 + thresholds.length * channels + thresholds.length * heights.length;
        int at = fixed;
        for (int c = 0; c < heights.length; c++) {
            if (at >= counts.length || counts[at] < 0 || counts[at] > (counts.length - at - 1) / 2) {
                throw new IllegalArgumentException("site '" + site + "': " + counts.length + " counts do not fit "
                        + thresholds.length + " thresholds x " + channels + " channels x " + heights.length + " tile heights");
            }
            at += 1 + 2 * (int) counts[at];
        }
        if (at != counts.length) {
            throw new IllegalArgumentException("site '" + site + "': " + counts.length + " counts, expected " + at);
        }
        int i = 0;
        totals.rows += counts[i++];
        totals.calls += counts[i++];
        for (int t = 0; t < thresholds.length; t++) {
            for (int k = 0; k < channels; k++) {
                totals.nearZero[t][k] += counts[i++];
            }
        }
        for (int t = 0; t < thresholds.length; t++) {
            for (int c = 0; c < heights.length; c++) {
                totals.zeroColumns[t][c] += counts[i++];
            }
        }
        for (int c = 0; c < heights.length; c++) {
            long n = counts[i++];
            for (long j = 0; j < n; j++) {
                totals.addTiles(c, (int) counts[i], counts[i + 1]);
                i += 2;
            }
        }
    }

    /** One entry per (threshold, tile height), thresholds ascending, then tile heights ascending. */
    public List<SiteStats> results() {
        Totals tt = totals;
        long elements = Math.multiplyExact(tt.rows, (long) channels);
        List<SiteStats> out = new ArrayList<>(thresholds.length * heights.length);
        for (int t = 0; t < thresholds.length; t++) {
            long nearZero = 0;
            long[] active = new long[channels];
            double[] activity = new double[channels];
            for (int k = 0; k < channels; k++) {
                nearZero += tt.nearZero[t][k];
                active[k] = tt.rows - tt.nearZero[t][k];
                activity[k] = tt.rows == 0 ? 0.0 : (double) active[k] / tt.rows;
            }
            double s = elements == 0 ? 0.0 : (double) nearZero / elements;
            double gini = Concentration.gini(activity);
            double top10 = Concentration.topShare(active);
            int dead = 0;
            for (long a : active) {
                if (a == 0 && tt.rows > 0) {
                    dead++;
                }
            }
            for (int c = 0; c < heights.length; c++) {
                long tiles = tt.tiles[c];
                long columns = tiles * channels;
                long zero = tt.zeroColumns[t][c];
                double expected = 0;
                for (Map.Entry<Integer, Long> e : tt.tileHeights.get(c).entrySet()) {
                    expected += e.getValue() * Math.pow(s, e.getKey());
                }
                double baseline = tiles == 0 ? 0.0 : expected / tiles;
                double colSparsity = columns == 0 ? 0.0 : (double) zero / columns;
                out.add(new SiteStats(site, tt.rows, channels, thresholds[t], heights[c], elements, nearZero, s,
                        columns, zero, colSparsity, (s - colSparsity) * 100.0, baseline, colSparsity - baseline,
                        tiles == 0 ? 0.0 : (double) tt.rows / tiles, gini, top10, dead,
                        channels == 0 ? 0.0 : (double) dead / channels, activity.clone(), tt.calls));
            }
        }
        return out;
    }

    /** The integer counts everything is derived from. */
    static final class Totals {
        final int[] heights;
        long rows;
        long calls;
        final long[][] nearZero;
        final long[][] zeroColumns;
        final long[] tiles;
        final List<TreeMap<Integer, Long>> tileHeights = new ArrayList<>();

        Totals(int nThresholds, int[] heights, int channels) {
            this.heights = heights;
            nearZero = new long[nThresholds][channels];
            zeroColumns = new long[nThresholds][heights.length];
            tiles = new long[heights.length];
            for (int i = 0; i < heights.length; i++) {
                tileHeights.add(new TreeMap<>());
            }
        }

        void addTiles(int c, int height, long count) {
            if (count > 0) {
                tiles[c] += count;
                tileHeights.get(c).merge(height, count, Long::sum);
            }
        }
    }
}
