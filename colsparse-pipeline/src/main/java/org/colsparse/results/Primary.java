package org.colsparse.results;

import org.colsparse.sparsity.SiteStats;
import org.colsparse.taxonomy.TaxonomyVerdict;

/**
 * The point every headline number is taken at: the primary threshold and the array's rows as
 * the tile height. The one place a measured (threshold, tile height) is matched against it: the
 * threshold is the very double the run was configured with, so equality is exact.
 */
public record Primary(double threshold, int tileRows) {
    public boolean at(double threshold, int tileRows) {
        return atThreshold(threshold) && tileRows == this.tileRows;
    }

    public boolean atThreshold(double threshold) {
        return Double.compare(threshold, this.threshold) == 0;
    }

    public boolean of(SiteStats s) {
        return at(s.threshold(), s.tileRows());
    }

    public boolean of(TaxonomyVerdict v) {
        return at(v.threshold(), v.tileRows());
    }
}
