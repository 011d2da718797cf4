package org.colsparse.taxonomy;

import org.colsparse.util.Decimal;

import java.util.List;

/**
 * The taxonomy rule's parameters. The rule, applied in this order (docs/taxonomy.md):
 * <ol>
 *   <li><b>token-limited</b> when a call holds at most {@code maxTokenRows} rows on average
 *       (rows / calls). Every tile is then cut at the call's end, so the effective tile height
 *       min(R, rows per call) is that small whatever R is, and a column is just a handful of
 *       elements: column sparsity follows element sparsity (s^h is large for small h) whatever the
 *       channel structure. MLD (3 tokens x batch 2 = 6 rows per call) is the case in point. The
 *       test is on rows per call rather than on min(R, rows per call) so that a small array
 *       (R <= 8) does not make every workload token-limited. First, because it follows from the
 *       call's shape alone, exactly, at any element sparsity.</li>
 *   <li><b>inconclusive</b> when the element sparsity is below {@code minElementSparsityPct}
 *       percent. Concentration needs column sparsity {@code minExcessPp} above the baseline, and a
 *       zero column is a column of near-zero elements, so column sparsity is at most about the
 *       element sparsity (full tiles): below {@code minExcessPp} percent concentration cannot be
 *       reached and "dispersion" would be a verdict by elimination, and a little above it only
 *       near-total gathering would show. The default floor, 10 %, is where half of the near-zeros
 *       in whole columns already counts as concentration. Before concentration, because a site this
 *       dense that still clears the excess can do so only through short tiles (a call's last rows),
 *       whose columns are a few elements each, not through channel structure.</li>
 *   <li><b>concentration</b> when column sparsity exceeds the independence baseline by at least
 *       {@code minExcessPp} percentage points: near-zeros gather in whole channels, far more
 *       often than chance would put them in whole columns.</li>
 *   <li><b>dispersion</b> otherwise: column sparsity is near what independently scattered
 *       near-zeros would give, although there were enough of them to gather.</li>
 * </ol>
 *
 * @param maxTokenRows          highest mean rows per call still counted as token-limited; default 8
 * @param minExcessPp           least excess of column sparsity over the independence baseline, in
 *                              percentage points, that counts as concentration; default 5
 * @param minElementSparsityPct least element sparsity, in percent, at which concentration and
 *                              dispersion are told apart; below it the verdict is inconclusive; default 10
 */
public record TaxonomyRule(double maxTokenRows, double minExcessPp, double minElementSparsityPct) {
    public static final double DEFAULT_MIN_ELEMENT_SPARSITY_PCT = 10.0;
    public static final TaxonomyRule DEFAULT = new TaxonomyRule(8, 5.0, DEFAULT_MIN_ELEMENT_SPARSITY_PCT);

    public TaxonomyRule {
        if (!(maxTokenRows >= 0) || !(minExcessPp >= 0) || Double.isInfinite(maxTokenRows) || Double.isInfinite(minExcessPp)) {
            throw new IllegalArgumentException("taxonomy parameters must be finite and >= 0: max token rows "
                    + maxTokenRows + ", min excess " + minExcessPp + " pp");
        }
        if (!(minElementSparsityPct >= 0 && minElementSparsityPct <= 100)) {
            throw new IllegalArgumentException("the element-sparsity floor must be a percentage from 0 to 100: " + minElementSparsityPct);
        }
    }

    /** The rule with the default element-sparsity floor. */
    public TaxonomyRule(double maxTokenRows, double minExcessPp) {
        this(maxTokenRows, minExcessPp, DEFAULT_MIN_ELEMENT_SPARSITY_PCT);
    }

    /**
     * One parameter as the outputs name it, so that a new criterion's parameter reaches them from here.
     *
     * @param option its key in run's options fingerprint (the command-line flag's words)
     * @param field  its key in analyze's JSON {@code rule} object
     */
    public record Parameter(String option, String field, double value) {
    }

    /** The parameters in the order the options fingerprint and analyze's JSON write them. */
    public List<Parameter> parameters() {
        return List.of(new Parameter("max_token_rows", "max_token_rows", maxTokenRows),
                new Parameter("min_excess_pp", "min_excess_pp", minExcessPp),
                new Parameter("min_element_sparsity", "min_element_sparsity_pct", minElementSparsityPct));
    }

    /** The rule in one sentence, for outputs that state how their verdicts were reached. */
    public String describe() {
        return "token-limited when a call holds <= " + Decimal.plain(maxTokenRows) + " rows on average; inconclusive when element sparsity is below "
                + Decimal.plain(minElementSparsityPct) + " %; concentration when column sparsity exceeds the independence baseline by >= "
                + Decimal.plain(minExcessPp) + " pp; dispersion otherwise";
    }
}
