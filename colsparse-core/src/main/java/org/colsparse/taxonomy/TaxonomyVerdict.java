package org.colsparse.taxonomy;

/**
 * A site's (or a workload total's) class at one threshold and tile height, with the numbers
 * the rule compared so the verdict can be checked by hand.
 *
 * @param site                 site or workload name
 * @param threshold            tau
 * @param tileRows             R
 * @param verdict              the class
 * @param elementSparsity      near-zero elements / elements
 * @param columnSparsity       zero columns / columns
 * @param independenceBaseline expected column sparsity with independent near-zeros
 * @param excessPp             (columnSparsity - independenceBaseline) * 100
 * @param rowsPerCall          mean rows per denoiser call
 * @param effectiveTileHeight  min(R, rows per call): the rows a column actually holds
 * @param rule                 the parameters the verdict was reached with
 * @param evidence             one line: the class, the numbers compared and the limits
 */
public record TaxonomyVerdict(String site, double threshold, int tileRows, SparsityClass verdict,
                              double elementSparsity, double columnSparsity, double independenceBaseline,
                              double excessPp, double rowsPerCall, double effectiveTileHeight, TaxonomyRule rule,
                              String evidence) {
}
