package org.colsparse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.colsparse.tensor.DType;
import org.colsparse.tensor.NpyWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.colsparse.cli.CliRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzeCommandTest {
    private static final Path FIXTURES = Path.of("../colsparse-core/src/test/resources/fixtures");

    @TempDir
    Path tmp;

    private Path npy(String name, float[] v, long... shape) {
        Path p = tmp.resolve(name);
        try (NpyWriter w = NpyWriter.create(p, DType.F32, shape)) {
            w.writeFloats(v, 0, v.length);
            w.commit();
        }
        return p;
    }

    /**
     * 4 rows x 2 channels:  0 0.5 / 0.005 0 / 0.02 0 / 0 0.
     * tau 0.01: ch0 near zero in rows 0,1,3, ch1 in rows 1,2,3 -> 6/8. R=2: tiles {r0,r1} ch0 zero,
     * {r2,r3} ch1 zero -> 2/4; R=4: neither channel all near zero -> 0/2.
     * tau 0.1: ch0 all 4, ch1 3 -> 7/8. R=2: 3/4 (only tile 0 of ch1 holds 0.5); R=4: 1/2.
     */
    private Path handCase() {
        return npy("acts.npy", new float[] {0f, 0.5f, 0.005f, 0f, 0.02f, 0f, 0f, 0f}, 4, 2);
    }

    @Test
    void jsonHasEveryFieldWithHandComputedValues() throws Exception {
        CliRun r = run("analyze", handCase().toString(), "--threshold", "0.1", "--threshold", "0.01",
                "--tile-rows", "4", "--tile-rows", "2", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        JsonNode sites = root.get("sites");
        assertEquals(4, sites.size());
        JsonNode s = sites.get(0);
        List<String> keys = new ArrayList<>();
        s.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("name", "rows", "cols", "threshold", "tile_rows", "elements", "near_zero_elements",
                "element_sparsity", "columns", "zero_columns", "column_sparsity", "gap_pp", "independence_baseline",
                "excess_over_baseline", "mean_tile_height", "gini", "top10_share", "dead_channels",
                "dead_channel_fraction", "calls", "channel_activity"), keys);
        assertEquals("acts", s.get("name").asText());
        assertEquals(4, s.get("rows").asLong());
        assertEquals(2, s.get("cols").asInt());
        assertEquals(0.01, s.get("threshold").asDouble());
        assertEquals(2, s.get("tile_rows").asInt());
        assertEquals(8, s.get("elements").asLong());
        assertEquals(6, s.get("near_zero_elements").asLong());
        assertEquals(0.75, s.get("element_sparsity").asDouble(), 1e-12);
        assertEquals(4, s.get("columns").asLong());
        assertEquals(2, s.get("zero_columns").asLong());
        assertEquals(0.5, s.get("column_sparsity").asDouble(), 1e-12);
        assertEquals(25.0, s.get("gap_pp").asDouble(), 1e-12);
        assertEquals(0.5625, s.get("independence_baseline").asDouble(), 1e-12);
        assertEquals(-0.0625, s.get("excess_over_baseline").asDouble(), 1e-12);
        assertEquals(0.0, s.get("gini").asDouble(), 1e-12);
        assertEquals(0.5, s.get("top10_share").asDouble(), 1e-12);
        assertEquals(0, s.get("dead_channels").asInt());
        assertEquals("[0.25,0.25]", s.get("channel_activity").toString());
        assertEquals(1, s.get("calls").asLong());
        // (0.01, R=4), (0.1, R=2), (0.1, R=4)
        assertEquals(4, sites.get(1).get("tile_rows").asInt());
        assertEquals(0, sites.get(1).get("zero_columns").asLong());
        assertEquals(0.1, sites.get(2).get("threshold").asDouble());
        assertEquals(7, sites.get(2).get("near_zero_elements").asLong());
        assertEquals(3, sites.get(2).get("zero_columns").asLong());
        assertEquals(1, sites.get(3).get("zero_columns").asLong());
        assertFalse(root.has("totals"));

        JsonNode tax = root.get("taxonomy");
        assertEquals(4, tax.size());
        // 4 rows in one call <= 8: token-limited
        assertEquals("token-limited", tax.get(0).get("verdict").asText());
        assertEquals("acts", tax.get(0).get("site").asText());
        assertTrue(tax.get(0).get("evidence").asText().startsWith("token-limited: 4 rows per call <= 8"));
        assertEquals(8.0, tax.get(0).get("rule").get("max_token_rows").asDouble());
    }

    @Test
    void belowTheElementSparsityFloorTheVerdictIsInconclusive() throws Exception {
        // 16 rows x 5 channels, one near-zero element: 1.25 % element sparsity, no zero column
        float[] v = new float[80];
        java.util.Arrays.fill(v, 1f);
        v[7] = 0f;
        Path f = npy("dense.npy", v, 16, 5);
        CliRun r = run("analyze", f.toString(), "--tile-rows", "4", "--format", "json");
        assertEquals(0, r.code(), r.err());
        JsonNode verdict = new ObjectMapper().readTree(r.out()).get("taxonomy").get(0);
        // before issue 22: "dispersion", a verdict the data could not carry
        assertEquals("inconclusive", verdict.get("verdict").asText());
        assertEquals(10.0, verdict.get("rule").get("min_element_sparsity_pct").asDouble());
        assertTrue(verdict.get("evidence").asText().startsWith("inconclusive: element sparsity 1.25% < floor 10.00%"), verdict.toString());
        CliRun table = run("analyze", f.toString(), "--tile-rows", "4", "--min-element-sparsity", "1");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("dense (tau 0.01, R 4): dispersion:"), table.out());
        CliRun bad = run("analyze", f.toString(), "--min-element-sparsity", "101");
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("--min-element-sparsity: must be a percentage from 0 to 100, got 101"), bad.err());
        assertTrue(run("analyze", "--help").out().contains("--min-element-sparsity"));
    }

    @Test
    void tableAndCsvCarryTheSameNumbers() throws Exception {
        Path f = handCase();
        CliRun json = run("analyze", f.toString(), "--tile-rows", "2", "--format", "json");
        CliRun csv = run("analyze", f.toString(), "--tile-rows", "2", "--format", "csv");
        CliRun table = run("analyze", f.toString(), "--tile-rows", "2");
        assertEquals(0, csv.code(), csv.err());
        String[] lines = csv.out().split("\n");
        assertEquals(2, lines.length);
        String[] head = lines[0].split(",");
        String[] cells = lines[1].split(",");
        JsonNode s = new ObjectMapper().readTree(json.out()).get("sites").get(0);
        for (int i = 0; i < head.length; i++) {
            String key = head[i].equals("site") ? "name" : head[i];
            if (key.equals("verdict")) {
                assertEquals("token-limited", cells[i]);
                continue;
            }
            if (key.equals("name")) {
                assertEquals("acts", cells[i]);
                continue;
            }
            assertEquals(s.get(key).asDouble(), Double.parseDouble(cells[i]), 0.0, key);
        }
        Iterator<String> names = s.fieldNames();
        int fields = 0;
        while (names.hasNext()) {
            names.next();
            fields++;
        }
        // every JSON field but channel_activity, plus verdict
        assertEquals(fields, head.length);
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("0.7500"), table.out());
        assertTrue(table.out().contains("25.00"), table.out());
        assertTrue(table.out().contains("acts (tau 0.01, R 2): token-limited:"), table.out());
    }

    @Test
    void severalSitesGetTotalsAndIntegerTensorsAreSkipped() throws Exception {
        Path f = handCase();
        CliRun r = run("analyze", f.toString(), FIXTURES.resolve("stored.npz").toString(), "--format", "json",
                "--no-channel-activity");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("skipping " + FIXTURES.resolve("stored.npz") + ":b (I64)"), r.err());
        assertTrue(r.err().contains(":c (BOOL)"), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals(2, root.get("sites").size());
        assertEquals("acts", root.get("sites").get(0).get("name").asText());
        assertEquals(FIXTURES.resolve("stored.npz") + ":a", root.get("sites").get(1).get("name").asText());
        assertFalse(root.get("sites").get(0).has("channel_activity"));
        JsonNode total = root.get("totals").get(0);
        assertEquals(AnalyzeCommand.TOTAL, total.get("name").asText());
        assertEquals(8 + 20, total.get("elements").asLong());
        assertEquals(2, total.get("sites").asInt());
        assertEquals(2 + 5, total.get("channels").asInt(), "the two sites' channels together");
        assertFalse(total.has("rows") || total.has("cols"), "4 x 2 and 4 x 5 sites have no common rows x cols");
        assertEquals(3, root.get("taxonomy").size());

        CliRun only = run("analyze", f.toString(), FIXTURES.resolve("stored.npz").toString(), "--site", "acts", "--format", "json");
        assertEquals(1, new ObjectMapper().readTree(only.out()).get("sites").size());
    }

    @Test
    void channelAxisAndRowsPerCall() throws Exception {
        // (B=1, C=2, W=2) channel-first: channel 0 = 0, 0; channel 1 = 0.5, 0 -> rows (0, 0.5), (0, 0)
        Path f = npy("conv.npy", new float[] {0f, 0f, 0.5f, 0f}, 1, 2, 2);
        CliRun r = run("analyze", f.toString(), "--channel-axis", "1", "--tile-rows", "2", "--format", "json");
        JsonNode s = new ObjectMapper().readTree(r.out()).get("sites").get(0);
        assertEquals(2, s.get("rows").asLong());
        assertEquals("[0.0,0.5]", s.get("channel_activity").toString());
        assertEquals(1, s.get("zero_columns").asLong());
        // two calls of one row each: tiles of one row -> 3 zero columns of 4
        CliRun calls = run("analyze", f.toString(), "--channel-axis", "1", "--tile-rows", "2", "--rows-per-call", "1",
                "--format", "json");
        JsonNode c = new ObjectMapper().readTree(calls.out()).get("sites").get(0);
        assertEquals(2, c.get("calls").asLong());
        assertEquals(3, c.get("zero_columns").asLong());
    }

    @Test
    void nanIsExitTwoNamingSiteRowAndChannel() {
        float[] v = new float[12];
        v[7] = Float.NaN;
        Path f = npy("bad.npy", v, 4, 3);
        CliRun r = run("analyze", f.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("site 'bad': NaN activation at row 2, channel 1"), r.err());
    }

    @Test
    void badOptionsAreExitTwo() {
        Path f = handCase();
        assertEquals(2, run("analyze", f.toString(), "--threshold", "-1").code());
        assertEquals(2, run("analyze", f.toString(), "--tile-rows", "0").code());
        assertEquals(2, run("analyze", f.toString(), "--site", "nope").code());
        assertEquals(2, run("analyze", f.toString(), "--channel-axis", "5").code());
        assertEquals(2, run("analyze", f.toString(), "--rows-per-call", "3").code());
        assertEquals(2, run("analyze", FIXTURES.resolve("i4.npy").toString()).code());
    }
}
