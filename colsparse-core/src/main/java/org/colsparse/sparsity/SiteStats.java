package org.colsparse.sparsity;

import java.util.Arrays;

/**
 * Everything measured for one site at one (threshold, tile height), docs/definitions.md.
 *
 * @param site                 site name
 * @param rows                 M summed over every call fed in
 * @param cols                 K, the channels (for a workload total: channels summed over sites)
 * @param threshold            tau, near zero means {@code |a| <= tau}
 * @param tileRows             R, the row-tile height (array rows)
 * @param elements             M*K
 * @param nearZeroElements     elements with {@code |a| <= tau}
 * @param elementSparsity      nearZeroElements / elements
 * @param columns              sum over calls of ceil(rows_call / R) * K
 * @param zeroColumns          columns whose every element is near zero
 * @param columnSparsity       zeroColumns / columns
 * @param gapPp                (elementSparsity - columnSparsity) * 100, percentage points
 * @param independenceBaseline expected column sparsity if near-zeros were independent with
 *                             probability elementSparsity: the mean over actual tiles of s^h
 *                             (h = that tile's height, so short last tiles count correctly)
 * @param excessOverBaseline   columnSparsity - independenceBaseline, as a fraction (not pp)
 * @param meanTileHeight       rows per tile on average = elements / columns; below R when calls
 *                             hold fewer rows than R (few tokens per call)
 * @param gini                 Gini coefficient of channelActivity
 * @param top10Share           share of non-near-zero elements in the ceil(K/10) most active channels
 * @param deadChannels         channels with no non-near-zero element in everything fed
 * @param deadChannelFraction  deadChannels / K
 * @param channelActivity      per channel, fraction of its elements that are NOT near zero
 * @param calls                denoiser calls fed in (for a workload total: summed over sites)
 */
public record SiteStats(String site, long rows, int cols, double threshold, int tileRows, long elements,
                        long nearZeroElements, double elementSparsity, long columns, long zeroColumns,
                        double columnSparsity, double gapPp, double independenceBaseline, double excessOverBaseline,
                        double meanTileHeight, double gini, double top10Share, int deadChannels,
                        double deadChannelFraction, double[] channelActivity, long calls) {
    public SiteStats {
        channelActivity = channelActivity.clone();
    }

    @Override
    public double[] channelActivity() {
        return channelActivity.clone();
    }

    /** Excess over the independence baseline in percentage points. */
    public double excessPp() {
        return excessOverBaseline * 100.0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SiteStats s && site.equals(s.site) && rows == s.rows && cols == s.cols
                && Double.compare(threshold, s.threshold) == 0 && tileRows == s.tileRows && elements == s.elements
                && nearZeroElements == s.nearZeroElements && columns == s.columns && zeroColumns == s.zeroColumns
                && Double.compare(independenceBaseline, s.independenceBaseline) == 0
                && Double.compare(gini, s.gini) == 0 && Double.compare(top10Share, s.top10Share) == 0
                && deadChannels == s.deadChannels && Arrays.equals(channelActivity, s.channelActivity) && calls == s.calls;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * site.hashCode() + Long.hashCode(zeroColumns)) + Arrays.hashCode(channelActivity);
    }
}
