package org.colsparse.workload;

import java.util.Set;

/**
 * Which GELU sites the headline numbers are over (docs/definitions.md "site roles"). A site counts when its
 * output feeds a GEMM whose activation columns an accelerator would skip: an FFN's down-projection
 * ({@code ffn}, {@code mlp}, {@code cond-ffn}, GEGLU gates) or the next convolution ({@code conv}).
 * Time-embedding MLPs ({@code time-mlp}) run one row per sample per call: their "columns" are single
 * elements, so pooling them in would turn element sparsity into column sparsity by construction
 * (ddpm-mnist's three time-MLP sites held 1,574 of its 1,686 zero columns). They are reported
 * beside the headline, never inside it.
 */
public final class SiteRoles {
    /** Roles whose sites the summary, taxonomy and cycle numbers are over. */
    public static final Set<String> HEADLINE = Set.of("ffn", "mlp", "cond-ffn", "geglu-gate", "temporal-geglu-gate", "conv");

    private SiteRoles() {
    }

    public static boolean headline(String role) {
        return HEADLINE.contains(role);
    }

    /** The rule in words, for reports. */
    public static String rule() {
        return "headline numbers are over the sites whose outputs feed a GEMM the accelerator skips columns of "
                + "(roles ffn, mlp, cond-ffn, geglu-gate, temporal-geglu-gate, conv); other sites (time-mlp) are reported beside them";
    }
}
