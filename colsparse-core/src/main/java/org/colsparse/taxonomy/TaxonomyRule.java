package org.colsparse.taxonomy;

/**
 * The taxonomy rule's parameters. The rule, applied in this order:
 * <ol>
 *   <li><b>token-limited</b> when a call holds at most {@code maxTokenRows} rows on average
 *       (rows / calls). Every tile is then cut at the call's end, so the effective tile height
 *       min(R, rows per call) is that small whatever R is, and a column is just a handful of
 *       elements: column sparsity follows element sparsity (s^h is large for small h) whatever the
 *       channel structure. MLD (3 tokens x batch 2 = 6 rows per call) is the case in point. The
 *       test is on rows per call rather than on min(R, rows per call) so that a small array
 *       (R <= 8) does not make every workload token-limited.</li>
 *   <li><b>concentration</b> when column sparsity exceeds the independence baseline by at least
 *       {@code minExcessPp} percentage points: near-zeros gather in whole channels, far more
 *       often than chance would put them in whole columns.</li>
 *   <li><b>dispersion</b> otherwise: column sparsity is near what independently scattered
 *       near-zeros would give. (With low element sparsity both are near 0; the verdict's evidence
 *       carries the element sparsity so a reader can tell.)</li>
 * </ol>
 *
 * @param maxTokenRows highest mean rows per call still counted as token-limited; default 8
 * @param minExcessPp  least excess of column sparsity over the independence baseline, in
 *                     percentage points, that counts as concentration; default 5
 */
public record TaxonomyRule(double maxTokenRows, double minExcessPp) {
    public static final TaxonomyRule DEFAULT = new TaxonomyRule(8, 5.0);

    public TaxonomyRule {
        if (!(maxTokenRows >= 0) || !(minExcessPp >= 0) || Double.isInfinite(maxTokenRows) || Double.isInfinite(minExcessPp)) {
            throw new IllegalArgumentException("taxonomy parameters must be finite and >= 0: max token rows "
                    + maxTokenRows + ", min excess " + minExcessPp + " pp");
        }
    }
}
