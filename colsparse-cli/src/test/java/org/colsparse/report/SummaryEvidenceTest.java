package org.colsparse.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.colsparse.cli.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SummaryEvidenceTest {
    @Test
    void anInconclusiveVerdictSaysWhyInTheSummarysUnits() throws Exception {
        JsonNode v = Json.MAPPER.readTree("{\"verdict\": \"inconclusive\", \"element_sparsity\": 0.0565, \"column_sparsity\": 0.0007,"
                + " \"independence_baseline\": 0.0, \"excess_pp\": 0.07, \"rule\": {\"max_token_rows\": 8, \"min_excess_pp\": 5,"
                + " \"min_element_sparsity_pct\": 10}}");
        // before issue 22 every verdict that was not token-limited or concentration read as dispersion
        assertEquals("element sparsity 5.65% < 10%: too few near-zeros to tell concentration from dispersion; column sparsity 0.07% vs "
                + "independence baseline 0.00%, excess 0.07 pp (concentration needs >= 5 pp)", Summary.evidence(v));
    }
}
