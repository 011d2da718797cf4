package org.colsparse.taxonomy;

import com.fasterxml.jackson.annotation.JsonValue;

/** The three workload classes of docs/definitions.md, and the verdict given where the data cannot carry one of them. */
public enum SparsityClass {
    /** Near-zeros gather in channels: column sparsity well above the independence baseline. */
    CONCENTRATION("concentration"),
    /** Near-zeros scattered: column sparsity near the baseline whatever the element sparsity. */
    DISPERSION("dispersion"),
    /** So few rows per call that every tile is short and column sparsity tracks element sparsity. */
    TOKEN_LIMITED("token-limited"),
    /**
     * Too few near-zero elements to tell concentration from dispersion: element sparsity below the
     * rule's floor ({@link TaxonomyRule#minElementSparsityPct()}).
     */
    INCONCLUSIVE("inconclusive");

    private final String label;

    SparsityClass(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
