package org.colsparse.workload;

import com.fasterxml.jackson.annotation.JsonValue;

/** What a workload generates, which decides how its samples are decoded and compared. */
public enum Modality {
    IMAGE("image"),
    AUDIO("audio"),
    VIDEO("video"),
    MOTION("motion"),
    DANCE("dance");

    private final String cliName;

    Modality(String cliName) {
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
