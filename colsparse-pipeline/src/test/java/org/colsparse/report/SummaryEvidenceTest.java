package org.colsparse.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.colsparse.results.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SummaryEvidenceTest {
    @Test
    void anInconclusiveVerdictSaysWhyInTheSummarysUnits() throws Exception {
        // ddpm-mnist-like numbers through the taxonomy itself, written and read back as results.json holds a verdict
        org.colsparse.taxonomy.TaxonomyVerdict verdict = org.colsparse.taxonomy.Taxonomy.classify(
                new org.colsparse.sparsity.SiteStats("all", 784, 4, 0.01, 128, 784 * 4, 0, 0.0565, 0, 0, 0.0007,
                        (0.0565 - 0.0007) * 100, 0.0, 0.0007, 0, 0, 0, 0, 0, new double[4], 1));
        JsonNode v = Json.MAPPER.valueToTree(verdict);
        // before issue 22 every verdict that was not token-limited or concentration read as dispersion
        assertEquals("element sparsity 5.65% < floor 10.00%, too few near-zero elements to tell concentration from dispersion "
                + "(column sparsity 0.07% vs independence baseline 0.00%, excess 0.07 pp; concentration needs >= 5 pp)", Summary.evidence(Json.MAPPER.treeToValue(v, org.colsparse.taxonomy.TaxonomyVerdict.class)));
    }
}
