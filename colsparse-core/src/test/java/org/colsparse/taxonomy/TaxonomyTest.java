package org.colsparse.taxonomy;

import org.colsparse.sparsity.SiteStats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TaxonomyTest {
    /** A site with the given numbers; everything the rule does not read is filler. */
    private static SiteStats site(long rows, long calls, int tileRows, double elementSparsity, double columnSparsity,
                                  double baseline) {
        return new SiteStats("s", rows, 4, 0.01, tileRows, rows * 4, 0, elementSparsity, 0, 0, columnSparsity,
                (elementSparsity - columnSparsity) * 100, baseline, columnSparsity - baseline, 0, 0, 0, 0, 0,
                new double[4], calls);
    }

    @Test
    void concentrationWhenColumnSparsityIsWellAboveTheBaseline() {
        TaxonomyVerdict v = Taxonomy.classify(site(4096, 1, 32, 0.6, 0.41, 0.02));
        assertEquals(SparsityClass.CONCENTRATION, v.verdict());
        assertEquals(39.0, v.excessPp(), 1e-9);
        assertEquals("concentration: column sparsity 41.00% vs independence baseline 2.00% (excess 39 pp >= 5 pp)", v.evidence());
    }

    @Test
    void dispersionWhenNearTheBaseline() {
        TaxonomyVerdict v = Taxonomy.classify(site(256, 1, 32, 0.7, 0.03, 0.0));
        assertEquals(SparsityClass.DISPERSION, v.verdict());
        assertEquals("dispersion: column sparsity 3.00% vs independence baseline 0.00% (excess 3 pp < 5 pp)"
                + " at element sparsity 70.00%", v.evidence());
        // exactly at the limit counts as concentration
        assertEquals(SparsityClass.CONCENTRATION, Taxonomy.classify(site(256, 1, 32, 0.7, 0.05, 0.0)).verdict());
    }

    @Test
    void tokenLimitedWhenCallsHoldFewRowsWhateverTheExcess() {
        // MLD: 3 tokens x batch 2 = 6 rows per call, 50 calls
        TaxonomyVerdict v = Taxonomy.classify(site(300, 50, 32, 0.6, 0.45, 0.05));
        assertEquals(SparsityClass.TOKEN_LIMITED, v.verdict());
        assertEquals(6.0, v.rowsPerCall());
        assertEquals(6.0, v.effectiveTileHeight());
        assertEquals("token-limited: 6 rows per call <= 8, so tiles of R=32 hold 6 rows; column sparsity 45.00%"
                + " tracks element sparsity 60.00% (independence baseline 5.00%)", v.evidence());
        // a small array does not make a long-sequence site token-limited
        assertEquals(SparsityClass.CONCENTRATION, Taxonomy.classify(site(4096, 1, 4, 0.6, 0.45, 0.13)).verdict());
        // the limit is configurable
        assertEquals(SparsityClass.CONCENTRATION,
                Taxonomy.classify(site(300, 50, 32, 0.6, 0.45, 0.05), new TaxonomyRule(4, 5)).verdict());
    }

    /** The units run's summary uses: percent with two decimals, excess in pp to 0.01, no "-0" for a tiny negative excess. */
    @Test
    void evidenceIsInPercentAndPercentagePoints() {
        // floor 0: the three-class rule, so these low sparsities still get a dispersion verdict to word
        TaxonomyRule noFloor = new TaxonomyRule(8, 5, 0);
        TaxonomyVerdict small = Taxonomy.classify(site(4096, 1, 128, 0.0565, 0.0007, 0.0), noFloor);
        assertEquals("dispersion: column sparsity 0.07% vs independence baseline 0.00% (excess 0.07 pp < 5 pp)"
                + " at element sparsity 5.65%", small.evidence());
        TaxonomyVerdict negative = Taxonomy.classify(site(4096, 1, 128, 0.05, 0.0, 0.00001), noFloor);
        assertEquals("dispersion: column sparsity 0.00% vs independence baseline 0.00% (excess 0 pp < 5 pp)"
                + " at element sparsity 5.00%", negative.evidence());
    }

    @Test
    void inconclusiveBelowTheElementSparsityFloor() {
        // ddpm-mnist-like: 5.65 % element sparsity, 0.07 % column sparsity; before issue 22 this was "dispersion"
        TaxonomyVerdict v = Taxonomy.classify(site(784, 1, 128, 0.0565, 0.0007, 0.0));
        assertEquals(SparsityClass.INCONCLUSIVE, v.verdict());
        assertEquals("inconclusive: element sparsity 5.65% < floor 10.00%, too few near-zero elements to tell concentration from"
                + " dispersion (column sparsity 0.07% vs independence baseline 0.00%, excess 0.07 pp; concentration needs >= 5 pp)", v.evidence());
        assertEquals(10.0, v.rule().minElementSparsityPct());
        // at the floor the data carries a verdict
        assertEquals(SparsityClass.DISPERSION, Taxonomy.classify(site(784, 1, 128, 0.10, 0.0, 0.0)).verdict());
        // the floor is configurable; 0 gives the three classes of before
        assertEquals(SparsityClass.DISPERSION, Taxonomy.classify(site(784, 1, 128, 0.0565, 0.0007, 0.0), new TaxonomyRule(8, 5, 0)).verdict());
        assertEquals(SparsityClass.INCONCLUSIVE, Taxonomy.classify(site(784, 1, 128, 0.3, 0.2, 0.0), new TaxonomyRule(8, 5, 50)).verdict());
    }

    @Test
    void tokenLimitedComesBeforeTheFloorAndTheFloorBeforeConcentration() {
        // MLD: 6 rows per call at 2.5 % element sparsity is token-limited, as its shape says whatever the sparsity
        assertEquals(SparsityClass.TOKEN_LIMITED, Taxonomy.classify(site(300, 50, 128, 0.025, 0.004, 0.0)).verdict());
        // below the floor an excess can only come from short tiles: 129 rows at R = 128, the 1-row tile all near zero
        TaxonomyVerdict shortTiles = Taxonomy.classify(site(129, 1, 128, 0.05, 0.5, 0.025));
        assertEquals(47.5, shortTiles.excessPp(), 1e-9);
        assertEquals(SparsityClass.INCONCLUSIVE, shortTiles.verdict());
    }

    @Test
    void ruleParametersAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new TaxonomyRule(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> new TaxonomyRule(8, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new TaxonomyRule(8, 5, -1));
        assertThrows(IllegalArgumentException.class, () -> new TaxonomyRule(8, 5, 100.5));
        assertThrows(IllegalArgumentException.class, () -> new TaxonomyRule(8, 5, Double.NaN));
    }

    /** The fingerprint's and analyze's keys for each parameter, in the order both wrote them before the list existed. */
    @Test
    void parametersCarryBothNames() {
        assertEquals(java.util.List.of(new TaxonomyRule.Parameter("max_token_rows", "max_token_rows", 6),
                        new TaxonomyRule.Parameter("min_excess_pp", "min_excess_pp", 4.5),
                        new TaxonomyRule.Parameter("min_element_sparsity", "min_element_sparsity_pct", 12)),
                new TaxonomyRule(6, 4.5, 12).parameters());
    }
}
