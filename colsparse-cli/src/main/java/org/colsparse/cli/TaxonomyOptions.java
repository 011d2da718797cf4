package org.colsparse.cli;

import org.colsparse.taxonomy.TaxonomyRule;
import org.colsparse.util.InputException;
import picocli.CommandLine.Option;

/** The taxonomy rule's two parameters, the same options in every command that classifies. */
final class TaxonomyOptions {
    @Option(names = "--max-token-rows", defaultValue = "8", paramLabel = "N",
            description = "taxonomy: mean rows per call at or below which a site is token-limited (default: ${DEFAULT-VALUE})")
    double maxTokenRows;

    @Option(names = "--min-excess-pp", defaultValue = "5", paramLabel = "PP",
            description = "taxonomy: excess over the independence baseline (pp) from which a site shows concentration (default: ${DEFAULT-VALUE})")
    double minExcessPp;

    TaxonomyRule rule() {
        try {
            return new TaxonomyRule(maxTokenRows, minExcessPp);
        } catch (IllegalArgumentException e) {
            throw new InputException("--max-token-rows/--min-excess-pp: " + e.getMessage());
        }
    }
}
