package org.colsparse.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.colsparse.results.Json;
import org.colsparse.results.Results;
import org.colsparse.taxonomy.TaxonomyVerdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's findings on hand-built results: every number in a sentence is worked out here by
 * hand from the numbers put in, so each sentence is checked against the results it claims to state.
 */
class FindingsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Hand-built results.json text as the report reads it: into the typed results. */
    static Results typed(JsonNode results) throws Exception {
        return Json.MAPPER.treeToValue(results, Results.class);
    }

    private static String config() {
        return "\"config\": {\"primary_threshold\": 0.01, \"tile_rows_primary\": 128, \"dataflow\": \"os\", \"dram\": \"gddr6 test\"}";
    }

    private static String workload(String id, String weights, double elem, double col, String verdict, String estimate, String simulate,
                                   String accuracy) {
        return "{\"id\": \"" + id + "\", \"modality\": \"image\", \"weights\": \"" + weights + "\", \"profile\": {"
                + "\"totals\": [{\"threshold\": 0.01, \"tile_rows\": 128, \"element_sparsity\": " + elem + ", \"column_sparsity\": " + col
                + ", \"gap_pp\": " + (elem - col) * 100 + ", \"channel_activity\": []}], \"total_verdicts\": [{\"threshold\": 0.01, \"tile_rows\": 128, \"verdict\": \""
                + verdict + "\", \"evidence\": \"" + verdict + ": because\"}]}"
                + (estimate == null ? "" : ", \"estimate\": " + estimate) + (simulate == null ? "" : ", \"simulate\": " + simulate)
                + (accuracy == null ? "" : ", \"accuracy\": " + accuracy) + "}";
    }

    private static String sim(String layout, boolean skipping, long cycles, double stall) {
        return "{\"layout\": \"" + layout + "\", \"skipping\": " + skipping + ", \"cycles\": " + cycles + ", \"stall_share\": " + stall + "}";
    }

    private static String accuracy(double relL2, double cliffAt) {
        return "{\"results\": [{\"threshold\": 0.01, \"relative_l2\": " + relL2 + ", \"cliff\": false}, {\"threshold\": 0.05, "
                + "\"relative_l2\": 0.3, \"cliff\": " + (cliffAt == 0.05) + "}]}";
    }

    /**
     * img: third-party, dispersion; column-major is 30 % faster dense (700 vs 1000 cycles) and
     * skipping saves 1 cycle of 700 there, costs 1 of 1000 in row-major. mot: tiny, token-limited;
     * tiled is 1 cycle of 500 faster, skipping changes nothing. big: tiny, concentration, profiled only.
     */
    static JsonNode threeWorkloads() throws Exception {
        String img = workload("img", "real third-party pretrained weights", 0.0565, 0.0007, "dispersion",
                "{\"consumer_reduction\": 0.0011, \"model_reduction\": 0.0008}",
                "{\"results\": [" + sim("row-major", false, 1000, 0.8264) + ", " + sim("row-major", true, 1001, 0.8265) + ", "
                        + sim("column-major", false, 700, 0.75) + ", " + sim("column-major", true, 699, 0.75) + "]}",
                accuracy(0.0089, 0.05));
        String mot = workload("mot", "tiny model trained by colsparse", 0.0248, 0.0044, "token-limited",
                "{\"consumer_reduction\": 0.0027, \"model_reduction\": 0.0002}",
                "{\"results\": [" + sim("row-major", false, 500, 0.4569) + ", " + sim("row-major", true, 500, 0.4569) + ", "
                        + sim("tiled", false, 499, 0.45) + ", " + sim("tiled", true, 499, 0.45) + "]}",
                accuracy(0.0042, 0));
        String big = workload("big", "tiny model trained by colsparse", 0.60, 0.40, "concentration", null, null, null);
        return MAPPER.readTree("{" + config() + ", \"workloads\": [" + img + ", " + mot + ", " + big + "]}");
    }

    @Test
    void findingsStateThisRunsNumbersInPlainWords() throws Exception {
        List<String> f = Summary.findings(typed(threeWorkloads()));
        assertEquals(List.of(
                "What was measured: img runs third-party trained weights; mot, big are tiny models trained by colsparse. The numbers are "
                        + "real measurements of these models, not of the full-size models of the same families.",
                "Element sparsity: 2.48% to 60.00% of the GELU outputs of the headline sites are near zero (|a| <= 0.01), most in big, "
                        + "least in mot.",
                // kept shares: img 0.07 / 5.65 = 1.24 %, mot 0.44 / 2.48 = 17.74 %, big 40 / 60 = 66.67 %
                "Column sparsity at array granularity (tile height R = 128): at most 40.00% (big); the gap to element sparsity is up to "
                        + "20.00 pp (big). Nearly all of the element sparsity is lost in img (column sparsity 1.24% of the element sparsity); "
                        + "most of it is lost in mot (column sparsity 17.74% of it); much of it survives as whole columns in big (column "
                        + "sparsity 66.67% of it).",
                "Taxonomy: dispersion: img; token-limited: mot; concentration: big. Each verdict's evidence is under the summary.",
                "Skipping the near-zero columns of the real recorded masks saves 0.11% to 0.27% of the cycles of the GEMMs that read GELU "
                        + "outputs (most in mot), and 0.02% to 0.08% of a whole denoiser call (analytic, os dataflow).",
                "Memory stalls are 45.69% to 82.64% of the cycles of whole simulated denoiser calls (dense, row-major, gddr6 test): the "
                        + "array waits for DRAM more than it computes in img.",
                // best: img column-major with skipping, 1 - 699 / 1000 = 30.10 %; dense alone 1 - 700 / 1000 = 30.00 %;
                // skipping gains: img row-major 1 - 1001 / 1000 = -0.10 %, column-major 1 - 699 / 700 = 0.14 %, mot 0 and 0
                "Layout: the fastest layout with skipping beats dense row-major by up to 30.10% (img, column-major). That is a layout "
                        + "effect, not a sparsity effect: column-major alone, dense, is 30.00% faster, and skipping changes a layout's cycles "
                        + "by -0.10% to 0.14% (negative: skipping was slower than dense) (Taxonomy vs layout).",
                "Accuracy: zeroing the near-zero GELU outputs at tau = 0.01 moves the final outputs by 0.42% to 0.89% (relative L2 to the "
                        + "dense run); the cliff rule fires at tau = 0.05 for img, nowhere for mot."), f);
    }

    /** An ONNX graph is the user's model itself, not a stand-in for a full-size family. */
    @Test
    void anOnnxGraphIsNotCalledATinyModel() throws Exception {
        String g = workload("mine", "ONNX graph mine.onnx", 0.1, 0.01, "dispersion", null, null, null);
        String first = Summary.findings(typed(MAPPER.readTree("{" + config() + ", \"workloads\": [" + g + "]}"))).get(0);
        assertEquals("What was measured: mine is an ONNX graph run as exported, with the weights in the graph. The numbers are real "
                + "measurements of these models.", first);
    }

    /** Where skipping, not the layout, makes the best layout's gain, the sentence says how it splits. */
    @Test
    void aGainFromSkippingIsNotCalledALayoutEffect() throws Exception {
        String w = workload("conc", "tiny model trained by colsparse", 0.6, 0.4, "concentration",
                "{\"consumer_reduction\": 0.3, \"model_reduction\": 0.2}",
                "{\"results\": [" + sim("row-major", false, 1000, 0.6) + ", " + sim("row-major", true, 800, 0.6) + ", "
                        + sim("tiled", false, 900, 0.6) + ", " + sim("tiled", true, 600, 0.6) + "]}", accuracy(0.02, 0));
        List<String> f = Summary.findings(typed(MAPPER.readTree("{" + config() + ", \"workloads\": [" + w + "]}")));
        // best: tiled with skipping, 1 - 600 / 1000 = 40 %: 1 - 900 / 1000 = 10 % layout, 1 - 600 / 900 = 33.33 % skipping
        assertTrue(f.contains("Layout: the fastest layout with skipping beats dense row-major by up to 40.00% (conc, tiled): 10.00% from "
                + "the layout (its dense run) and 33.33% from skipping in it; skipping changes a layout's cycles by 20.00% to 33.33% "
                + "(Taxonomy vs layout)."), f.toString());
        assertTrue(f.contains("conc: 60.00% of the GELU outputs of the headline sites are near zero (|a| <= 0.01)."), f.toString());
        assertTrue(f.contains("Memory stalls are 60.00% of the cycles of whole simulated denoiser calls (dense, row-major, gddr6 test): "
                + "the array waits for DRAM more than it computes."), f.toString());
        assertTrue(f.contains("Accuracy: zeroing the near-zero GELU outputs at tau = 0.01 moves the final outputs by 2.00% (relative L2 "
                + "to the dense run); the cliff rule fires nowhere for conc."), f.toString());
    }

    /** A class the rule may add later is listed like the others; a stage that never ran leaves its sentence out. */
    @Test
    void anyClassIsListedAndMissingStagesAreLeftOut() throws Exception {
        String w = workload("flat", "tiny model trained by colsparse", 0.01, 0.0, "inconclusive", null, null, null);
        List<String> f = Summary.findings(typed(MAPPER.readTree("{" + config() + ", \"workloads\": [" + w + "]}")));
        assertEquals(4, f.size(), f.toString());
        assertTrue(f.contains("Taxonomy: inconclusive: flat (every workload has the same class). Each verdict's evidence is under the "
                + "summary."), f.toString());
        assertTrue(f.stream().noneMatch(s -> s.startsWith("Layout") || s.startsWith("Memory") || s.startsWith("Skipping")
                || s.startsWith("Accuracy")), f.toString());
        assertEquals("because", Summary.evidence(Json.MAPPER.readValue("{\"verdict\": \"inconclusive\", \"evidence\": \"inconclusive: because\"}",
                TaxonomyVerdict.class)));
    }
}
