package org.colsparse.sparsity;

import org.colsparse.util.InputException;

import java.util.Arrays;

/**
 * Scratch state for scanning one denoiser call (or one tile-aligned segment of it) of one site.
 *
 * <p>One pass serves every threshold and tile height. The element loop only keeps, per channel,
 * the running maximum of a "level value" over the current <em>base block</em> ({@code b} = gcd of
 * all tile heights) and per-threshold near-zero counts. A column tile is all-near-zero at
 * threshold t exactly when its maximum level value is at most t's level value, and tile maxima
 * nest: each configured height folds in the maxima of the largest smaller level that divides it
 * (8 -> 32 -> 128 -> 256), or of the base block when none does (e.g. 8 and 12 both fold base
 * blocks of 4). Tiles restart at the start of every call and the last tile of a call may be short.
 *
 * <p>Level values are ints whose order matches the order of |activation|: the float kernel uses
 * the bit pattern of |x| (for non-negative floats, integer order = numeric order, and NaN/Inf sit
 * above every finite value); the double kernel uses the index of the first threshold that |x| does
 * not exceed. Nothing is added to the owning accumulator until {@link #commit} so a call that
 * fails on NaN leaves the accumulator untouched.
 */
abstract class CallScan {
    final String site;
    final int channels;
    final int nThresholds;
    /** Per threshold, the level value a tile maximum must not exceed to be a zero column. */
    final int[] levelThreshold;

    private final int[] levelHeight;
    private final int[] parent;
    /** Index into the configured tile heights, or -1 for a base level that is not configured. */
    private final int[] configured;
    /** Per level, per channel: running maximum level value of the current tile. */
    final int[][] levelMax;
    private final boolean[] done;

    /** [threshold][configured height][channel]: zero columns of this segment, per channel (see countZeroColumns). */
    private final int[][][] zeroTiles;
    private final long[] fullTiles;          // [configured height]
    private final int[] partialTile;         // [configured height], 0 = none

    /** Rows of the current segment scanned so far; tiles are aligned to its start. */
    long position;
    /** First row of the segment in the user's numbering, for error messages. */
    long rowBase;
    /** 1-based call number for error messages, or 0 when the rows are numbered across the whole tensor. */
    long callNumber;

    CallScan(String site, int channels, int[] heights, int[] levelThreshold) {
        this.site = site;
        this.channels = channels;
        this.nThresholds = levelThreshold.length;
        this.levelThreshold = levelThreshold;
        int base = 0;
        for (int h : heights) {
            base = gcd(base, h);
        }
        boolean baseConfigured = heights[0] == base;
        int n = heights.length + (baseConfigured ? 0 : 1);
        levelHeight = new int[n];
        configured = new int[n];
        int off = baseConfigured ? 0 : 1;
        if (!baseConfigured) {
            levelHeight[0] = base;
            configured[0] = -1;
        }
        for (int i = 0; i < heights.length; i++) {
            levelHeight[i + off] = heights[i];
            configured[i + off] = i;
        }
        parent = new int[n];
        parent[0] = -1;
        for (int i = 1; i < n; i++) {
            int p = 0;
            for (int j = i - 1; j >= 1; j--) {
                if (levelHeight[i] % levelHeight[j] == 0) {
                    p = j;
                    break;
                }
            }
            parent[i] = p;
        }
        levelMax = new int[n][channels];
        done = new boolean[n];
        zeroTiles = new int[nThresholds][heights.length][channels];
        fullTiles = new long[heights.length];
        partialTile = new int[heights.length];
    }

    final int baseHeight() {
        return levelHeight[0];
    }

    void begin(long rowBase, long callNumber) {
        this.rowBase = rowBase;
        this.callNumber = callNumber;
        position = 0;
        for (int[] m : levelMax) {
            Arrays.fill(m, 0);
        }
        for (int[][] perHeight : zeroTiles) {
            for (int[] z : perHeight) {
                Arrays.fill(z, 0);
            }
        }
        Arrays.fill(fullTiles, 0);
        Arrays.fill(partialTile, 0);
        resetCounts();
    }

    abstract void resetCounts();

    /** Adds this segment's near-zero counts per threshold and channel into {@code nearZero}. */
    abstract void commitCounts(long[][] nearZero);

    /**
     * Called after the element kernel filled the base block's maxima for rows up to
     * {@link #position}. Folds completed tiles upward, counts zero columns of every completed
     * configured tile and resets it. {@code end}: the segment ends here, so every tile still open
     * is completed with its short height.
     */
    final void boundary(boolean end) {
        long p = position;
        int n = levelHeight.length;
        boolean any = false;
        for (int i = 0; i < n; i++) {
            long rem = p % levelHeight[i];
            done[i] = end ? rem != 0 : rem == 0;
            any |= done[i];
        }
        if (!any) {
            return;
        }
        for (int i = 1; i < n; i++) {
            if (done[parent[i]]) {
                foldMax(levelMax[parent[i]], levelMax[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            if (!done[i]) {
                continue;
            }
            int c = configured[i];
            if (c >= 0) {
                countZeroColumns(levelMax[i], c);
                if (end) {
                    partialTile[c] = (int) (p % levelHeight[i]);
                } else {
                    fullTiles[c]++;
                }
            }
            Arrays.fill(levelMax[i], 0);
        }
    }

    /*
     * The tile bookkeeping below runs once per tile, not per element, but with 8-row tiles it was
     * still a fifth of a scan until its loops took the shapes the JIT vectorizes (as in FloatScan).
     */

    private static void foldMax(int[] from, int[] into) {
        maxInto(from, into, 0, from.length);
    }

    /**
     * into[k] = max(into[k], from[k]) for non-negative values, without a branch or Math.max (the
     * JIT vectorizes neither; this is 6x faster): m - v cannot overflow.
     */
    static void maxInto(int[] from, int[] into, int k0, int k1) {
        for (int k = k0; k < k1; k++) {
            int m = into[k];
            int v = from[k];
            into[k] = m + ((v - m) & ((m - v) >> 31));
        }
    }

    /**
     * Counted per channel, not summed over channels: the JIT does not vectorize the sum, and the
     * per-channel form is 3x faster. The channels are summed once, at commit.
     */
    private void countZeroColumns(int[] max, int c) {
        for (int t = 0; t < nThresholds; t++) {
            countAtMost(max, zeroTiles[t][c], levelThreshold[t]);
        }
    }

    /** (limit - m) >>> 31 is 1 exactly when m > limit (both non-negative, so no overflow): its XOR 1 counts m <= limit. */
    private static void countAtMost(int[] max, int[] count, int limit) {
        for (int k = 0; k < max.length; k++) {
            count[k] += ((limit - max[k]) >>> 31) ^ 1;
        }
    }

    /** Closes the segment: the last, possibly short tiles are counted. */
    final void end() {
        // Only when a tile is still open: a segment whose tiles are all complete (the usual case
        // for large calls) must not reach boundary(true), or the compiled boundary(), which has
        // never seen end = true, is deoptimized while other threads are still scanning.
        for (int h : levelHeight) {
            if (position % h != 0) {
                boundary(true);
                return;
            }
        }
    }

    /** Adds the closed segment into the accumulator's totals. */
    final void commit(SiteAccumulator.Totals into) {
        into.rows += position;
        commitCounts(into.nearZero);
        for (int t = 0; t < nThresholds; t++) {
            for (int c = 0; c < fullTiles.length; c++) {
                long zero = 0;
                for (int z : zeroTiles[t][c]) {
                    zero += z;
                }
                into.zeroColumns[t][c] += zero;
            }
        }
        for (int c = 0; c < fullTiles.length; c++) {
            into.addTiles(c, into.heights[c], fullTiles[c]);
            if (partialTile[c] > 0) {
                into.addTiles(c, partialTile[c], 1);
            }
        }
    }

    final InputException nonFinite(double value, long row, int channel) {
        String what = Double.isNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
        return new InputException("site '" + site + "': " + what + " activation at row " + (rowBase + row)
                + ", channel " + channel + (callNumber > 0 ? " of call " + callNumber : "")
                + " (NaN/Inf is never counted as near zero)");
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
