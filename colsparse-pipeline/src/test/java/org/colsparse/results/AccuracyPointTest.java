package org.colsparse.results;

import com.fasterxml.jackson.databind.SerializationFeature;
import org.colsparse.results.Json;
import org.colsparse.sweep.Metric;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A sweep point's JSON: one flat object with its modality's keys only, +inf as null, read back into the same point. */
class AccuracyPointTest {
    private static AccuracyPoint image() {
        Map<Metric, Double> m = new EnumMap<>(Metric.class);
        m.put(Metric.PSNR, null);
        m.put(Metric.SSIM, 1.0);
        return new AccuracyPoint("ddpm-mnist", 0.01, 0.25, m, 0.5, 0.125, true);
    }

    @Test
    void runsResultsSortTheKeysTheAccuracyCommandKeepsReadingOrder() throws Exception {
        String sorted = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(image());
        assertEquals("{\"cliff\":true,\"column_sparsity\":0.125,\"element_sparsity\":0.5,\"psnr_db\":null,\"relative_l2\":0.25,"
                + "\"ssim\":1.0,\"threshold\":0.01,\"workload\":\"ddpm-mnist\"}", sorted);
        String reading = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT)
                .without(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).writeValueAsString(image());
        assertEquals("{\"workload\":\"ddpm-mnist\",\"threshold\":0.01,\"relative_l2\":0.25,\"psnr_db\":null,\"ssim\":1.0,"
                + "\"element_sparsity\":0.5,\"column_sparsity\":0.125,\"cliff\":true}", reading);
    }

    @Test
    void aPointReadsBackWithItsMetricsAndTheirInfinities() throws Exception {
        AccuracyPoint back = Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(image()), AccuracyPoint.class);
        assertEquals(image(), back);
        assertNull(back.metric(Metric.PSNR), "+inf is null");
        assertEquals(true, back.has(Metric.PSNR));
        assertFalse(back.has(Metric.MPJPE), "a metric of another modality is absent, not null");
    }
}
