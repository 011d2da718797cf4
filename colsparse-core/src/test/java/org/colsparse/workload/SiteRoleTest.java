package org.colsparse.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiteRoleTest {
    @Test
    void namesAreTheOnesEveryOutputWrites() throws Exception {
        assertEquals(List.of("ffn", "mlp", "cond-ffn", "geglu-gate", "temporal-geglu-gate", "conv", "time-mlp"),
                Arrays.stream(SiteRole.values()).map(SiteRole::cliName).toList());
        assertEquals("\"temporal-geglu-gate\"", new ObjectMapper().writeValueAsString(SiteRole.TEMPORAL_GEGLU_GATE));
        assertEquals("cond-ffn", SiteRole.COND_FFN.toString());
    }

    @Test
    void onlyTimeMlpIsOutsideTheHeadline() {
        for (SiteRole r : SiteRole.values()) {
            assertEquals(r != SiteRole.TIME_MLP, r.headline(), r.cliName());
        }
        assertFalse(SiteRole.TIME_MLP.headline());
        assertTrue(SiteRole.CONV.headline());
    }

    @Test
    void parseReadsBackEveryNameAndNamesAnUnknownOne() {
        for (SiteRole r : SiteRole.values()) {
            assertEquals(r, SiteRole.parse(r.cliName()));
        }
        InputException e = assertThrows(InputException.class, () -> SiteRole.parse("FFN", "masks.npz: index site a.gelu, role"));
        assertEquals("masks.npz: index site a.gelu, role: unknown site role 'FFN', expected one of ffn, mlp, cond-ffn, geglu-gate, "
                + "temporal-geglu-gate, conv, time-mlp", e.getMessage());
    }

    @Test
    void ruleReadsAsReportsAlwaysPrintedIt() {
        // the text results.json's site_rule and the report carried before the roles were an enum
        assertEquals("headline numbers are over the sites whose outputs feed a GEMM the accelerator skips columns of "
                + "(roles ffn, mlp, cond-ffn, geglu-gate, temporal-geglu-gate, conv); other sites (time-mlp) are reported beside them",
                SiteRole.rule());
    }
}
