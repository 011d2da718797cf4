package org.colsparse.report;

import org.colsparse.results.Results;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A results.json written by {@code colsparse run} before results were typed (test resources
 * results/, how it was made in its README) read into the typed results: written back it is the
 * same bytes, and the CSV tables made from the typed results are the tables that run wrote beside it.
 */
class ResultsRoundTripTest {
    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ResultsRoundTripTest.class.getResourceAsStream("/results/" + name)) {
            return name.endsWith(".gz") ? new GZIPInputStream(in).readAllBytes() : in.readAllBytes();
        }
    }

    private static String text(String name) throws IOException {
        return new String(resource(name), StandardCharsets.UTF_8);
    }

    @Test
    void resultsJsonReadsIntoTheRecordsAndWritesBackByteForByte() throws Exception {
        byte[] written = resource("results.json.gz");
        Results typed = Results.fromJson(written);
        assertEquals(2, typed.workloads().size());
        assertArrayEquals(written, typed.toJson());
    }

    @Test
    void theTablesBesideTheReportAreFunctionsOfTheTypedResults() throws Exception {
        Results typed = Results.fromJson(resource("results.json.gz"));
        assertEquals(text("summary.csv"), Csv.table(Summary.HEADER, Summary.csvRows(typed)));
        assertEquals(text("sites.csv"), ResultCsv.sites(typed));
        assertEquals(text("estimate.csv"), ResultCsv.estimate(typed));
        assertEquals(text("simulate.csv"), ResultCsv.simulate(typed));
        assertEquals(text("accuracy.csv"), ResultCsv.accuracy(typed));
    }
}
