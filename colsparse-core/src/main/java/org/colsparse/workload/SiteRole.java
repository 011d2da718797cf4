package org.colsparse.workload;

import com.fasterxml.jackson.annotation.JsonValue;
import org.colsparse.util.InputException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What a GELU site's output feeds, and so whether the headline numbers are over it (docs/definitions.md
 * "site roles"). A site counts when its output feeds a GEMM whose activation columns an accelerator would
 * skip: an FFN's down-projection ({@code ffn}, {@code mlp}, {@code cond-ffn}, GEGLU gates) or the next
 * convolution ({@code conv}). Time-embedding MLPs ({@code time-mlp}) run one row per sample per call: their
 * "columns" are single elements, so pooling them in would turn element sparsity into column sparsity by
 * construction (ddpm-mnist's three time-MLP sites held 1,574 of its 1,686 zero columns). They are reported
 * beside the headline, never inside it.
 */
public enum SiteRole {
    FFN("ffn", true),
    MLP("mlp", true),
    COND_FFN("cond-ffn", true),
    GEGLU_GATE("geglu-gate", true),
    TEMPORAL_GEGLU_GATE("temporal-geglu-gate", true),
    CONV("conv", true),
    TIME_MLP("time-mlp", false);

    private final String cliName;
    private final boolean headline;

    SiteRole(String cliName, boolean headline) {
        this.cliName = cliName;
        this.headline = headline;
    }

    /** The name in every output (JSON, CSV, masks.npz, tables) and on input. */
    @JsonValue
    public String cliName() {
        return cliName;
    }

    /** Whether the summary, taxonomy and cycle numbers are over sites of this role. */
    public boolean headline() {
        return headline;
    }

    /** So that string concatenation prints what the outputs always printed. */
    @Override
    public String toString() {
        return cliName;
    }

    /**
     * The role named {@code name} as outputs write it; {@code where} (a file and field) leads the error
     * when no role has that name.
     */
    public static SiteRole parse(String name, String where) {
        for (SiteRole r : values()) {
            if (r.cliName.equals(name)) {
                return r;
            }
        }
        throw new InputException(where + ": unknown site role '" + name + "', expected one of "
                + Arrays.stream(values()).map(SiteRole::cliName).collect(Collectors.joining(", ")));
    }

    public static SiteRole parse(String name) {
        return parse(name, "site role");
    }

    /** The rule in words, for reports. */
    public static String rule() {
        return "headline numbers are over the sites whose outputs feed a GEMM the accelerator skips columns of "
                + "(roles " + names(true) + "); other sites (" + names(false) + ") are reported beside them";
    }

    private static String names(boolean headline) {
        return Arrays.stream(values()).filter(r -> r.headline == headline).map(SiteRole::cliName).collect(Collectors.joining(", "));
    }
}
