package org.colsparse.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report page built from hand-built results (FindingsTest's): what its first screen, figures and method section say. */
class ReportHtmlTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private String report(JsonNode results) throws Exception {
        try (AtomicOutput out = AtomicOutput.open(tmp.resolve("out"), "run", false, java.util.List.of())) {
            new ReportWriter().write(FindingsTest.typed(results), out);
            return Files.readString(out.dir().resolve("report.html"));
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void theFirstScreenHasTheFindingsAndTheLayoutGainSplit() throws Exception {
        String html = report(FindingsTest.threeWorkloads());
        assertTrue(html.indexOf("<h2>Findings</h2>") < html.indexOf("<h2>Summary</h2>"), "findings come first");
        assertTrue(html.contains("That is a layout effect, not a sparsity effect"), html);
        assertTrue(html.contains("<th>best layout gain vs dense row-major</th><th>of which skipping</th>"), html);
        // img: the best layout's own skipping gain, 1 - 699 / 700
        assertTrue(html.contains("<td class=\"n\">30.10%</td><td class=\"n\">0.14%</td>"), html);
    }

    /** Both workloads' skipping bars are within 1 % of their dense ones: the panel titles and the caption say so. */
    @Test
    void cyclesPanelsSayWhenSkippingAndDenseCoincide() throws Exception {
        String html = report(FindingsTest.threeWorkloads());
        assertTrue(html.contains("The skipping and dense bars coincide, the cycles differing by at most 0.14% in any layout, for every "
                + "workload (each panel's title says how close)"), html);
    }

    /** The method is said once; a workload whose method differs from the most common one gets its own in the table. */
    @Test
    void theMethodIsSharedAndOnlyDifferencesArePerWorkload() throws Exception {
        ObjectNode results = (ObjectNode) FindingsTest.threeWorkloads();
        String[] methods = {"analytic A", "analytic A", "analytic B"};
        for (int i = 0; i < 3; i++) {
            ObjectNode w = (ObjectNode) results.path("workloads").get(i);
            (w.has("estimate") ? (ObjectNode) w.get("estimate") : w.putObject("estimate")).put("method", methods[i]);
            (w.has("simulate") ? (ObjectNode) w.get("simulate") : w.putObject("simulate")).put("method", "sim S");
        }
        String html = report(results);
        assertEquals(1, count(html, "Cycle estimate: analytic A."), html);
        assertEquals(1, count(html, "Simulation: sim S."), html);
        assertEquals(1, count(html, "cycle estimate: analytic B"), "big's own method, in its row");
        assertEquals(0, count(html, "simulation: sim S"), "the same simulation method is not repeated per workload");
    }

    @Test
    void aMethodThatDiffersInOneClauseShowsThatClause() {
        assertEquals("summed over 8 recorded calls (otherwise as above)",
                ReportWriter.difference("analytic; real masks; summed over 4 recorded calls", "analytic; real masks; summed over 8 recorded calls"));
        assertEquals("something else", ReportWriter.difference("analytic; real masks", "something else"));
        assertEquals("one; two", ReportWriter.difference(null, "one; two"));
    }

    @Test
    void accuracyColumnsHaveOneNumberFormat() {
        NumberColumn psnr = NumberColumn.of(List.of(50.27, 6.57));
        assertEquals("50.27", psnr.format(50.27));
        assertEquals("6.57", psnr.format(6.57));
        NumberColumn l2 = NumberColumn.of(List.of(0.002066, 0.8543, 0.0));
        assertEquals("0.002066", l2.format(0.002066));
        assertEquals("0.854300", l2.format(0.8543));
        assertEquals("0.000000", l2.format(0.0));
        NumberColumn ssim = NumberColumn.of(List.of(1.0, 0.99997, 0.5001));
        assertEquals("1.0000", ssim.format(0.99997));
        assertEquals("0.5001", ssim.format(0.5001));
        NumberColumn tiny = NumberColumn.of(List.of(0.3, 2e-5));
        assertEquals("3.000e-01", tiny.format(0.3));
        assertEquals("2.000e-05", tiny.format(2e-5));
        assertEquals("inf", tiny.format(Double.POSITIVE_INFINITY));
        assertEquals("0.00", new NumberColumn(false, 2).format(-0.001), "no -0.00");
    }

    @Test
    void tileHeightsAndMarkedLinesAreDrawable() throws Exception {
        byte[] tiles = Charts.categoryLines("t", "R", "%", List.of("8", "16", "128"),
                Map.of("a", List.of(1.0, 0.5, 0.1), "b", List.of(0.2, 0.2, 0.2)));
        assertNotNull(ImageIO.read(new ByteArrayInputStream(tiles)));
        byte[] drift = Charts.lines("d", "tau", "l2", true, Map.of("a", new double[][] {{0.001, 0.01, 0.1}, {0.0, 0.01, 0.5}}),
                List.of(new Charts.Mark(0.01, "primary")), List.of(new Charts.Highlight("cliff", new double[] {0.1}, new double[] {0.5})));
        assertNotNull(ImageIO.read(new ByteArrayInputStream(drift)));
    }
}
