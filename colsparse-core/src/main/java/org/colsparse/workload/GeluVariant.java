package org.colsparse.workload;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Which GELU a workload's sites compute (docs/workloads.md): the exact erf form, the tanh
 * approximation (DiT), or GEGLU, where an exact GELU of one half of the projection gates the other
 * half (the UNet transformers' FFN).
 */
public enum GeluVariant {
    EXACT("exact"),
    TANH("tanh"),
    GEGLU("geglu");

    private final String cliName;

    GeluVariant(String cliName) {
        this.cliName = cliName;
    }

    /** The name in every output (JSON, CSV, tables, model cards). */
    @JsonValue
    public String cliName() {
        return cliName;
    }

    /** So that string concatenation prints what the outputs always printed. */
    @Override
    public String toString() {
        return cliName;
    }
}
