package org.colsparse.cli;

import org.colsparse.taxonomy.TaxonomyRule;
import org.colsparse.util.InputException;
import picocli.CommandLine.Option;

/** The taxonomy rule's parameters, the same options in every command that classifies. */
final class TaxonomyOptions {
    @Option(names = "--max-token-rows", defaultValue = "8", paramLabel = "N",
            description = "taxonomy: mean rows per call at or below which a site is token-limited (default: ${DEFAULT-VALUE})")
    double maxTokenRows;

    @Option(names = "--min-excess-pp", defaultValue = "5", paramLabel = "PP",
            description = "taxonomy: excess over the independence baseline (pp) from which a site shows concentration (default: ${DEFAULT-VALUE})")
    double minExcessPp;

    @Option(names = "--min-element-sparsity", defaultValue = "10", paramLabel = "PCT",
            description = "taxonomy: element sparsity (percent, 0-100) below which a site that is not token-limited is inconclusive: "
                    + "too few near-zeros to tell concentration from dispersion (default: ${DEFAULT-VALUE}). Rules in order: "
                    + "token-limited, inconclusive, concentration, dispersion (docs/taxonomy.md)")
    double minElementSparsity;

    TaxonomyRule rule() {
        if (!(minElementSparsity >= 0 && minElementSparsity <= 100)) {
            throw new InputException("--min-element-sparsity: must be a percentage from 0 to 100, got " + minElementSparsity);
        }
        try {
            return new TaxonomyRule(maxTokenRows, minExcessPp, minElementSparsity);
        } catch (IllegalArgumentException e) {
            throw new InputException("--max-token-rows/--min-excess-pp: " + e.getMessage());
        }
    }
}
