package org.colsparse.taxonomy;

import com.fasterxml.jackson.annotation.JsonValue;

/** The three workload classes of DESIGN §2. */
public enum SparsityClass {
    /** Near-zeros gather in channels: column sparsity well above the independence baseline. */
    CONCENTRATION("concentration"),
    /** Near-zeros scattered: column sparsity near the baseline whatever the element sparsity. */
    DISPERSION("dispersion"),
    /** So few rows per call that every tile is short and column sparsity tracks element sparsity. */
    TOKEN_LIMITED("token-limited");

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
