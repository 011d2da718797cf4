package org.colsparse.workload;

import com.fasterxml.jackson.annotation.JsonValue;

/** docs/workloads.md's group of a workload: what its denoiser is built from. */
public enum WorkloadGroup {
    UNET_TRANSFORMER("unet-transformer"),
    PURE_TRANSFORMER("pure-transformer"),
    MOTION("motion"),
    CONV("conv");

    private final String cliName;

    WorkloadGroup(String cliName) {
        this.cliName = cliName;
    }

    /** The name in every output (JSON, CSV, tables). */
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
