package org.colsparse.results;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.colsparse.sweep.Metric;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One threshold of a sweep. Each modality has its own metrics, so in JSON a point is one flat
 * object holding only its modality's keys: written from {@link #fields()} (results.json of
 * {@code run} sorts the keys, as the shared mapper sorts every map; the accuracy command keeps this
 * order) and read back from such an object.
 *
 * @param relativeL2 null for +inf (JSON has none): an output identical to dense
 * @param metrics    the modality's metrics, null for +inf
 */
public record AccuracyPoint(String workload, double threshold, Double relativeL2, Map<Metric, Double> metrics, double elementSparsity,
                            double columnSparsity, boolean cliff) {
    public AccuracyPoint {
        EnumMap<Metric, Double> m = new EnumMap<>(Metric.class);
        m.putAll(metrics);
        metrics = Collections.unmodifiableMap(m);
    }

    /** The point as one flat object: workload, threshold, relative_l2, the metrics in their enum order, sparsity, cliff. */
    @JsonValue
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workload", workload);
        m.put("threshold", threshold);
        m.put("relative_l2", relativeL2);
        metrics.forEach((k, v) -> m.put(k.key(), v));
        m.put("element_sparsity", elementSparsity);
        m.put("column_sparsity", columnSparsity);
        m.put("cliff", cliff);
        return m;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static AccuracyPoint of(Map<String, Object> fields) {
        Map<Metric, Double> metrics = new EnumMap<>(Metric.class);
        for (Metric k : Metric.values()) {
            if (fields.containsKey(k.key())) {
                metrics.put(k, number(fields.get(k.key())));
            }
        }
        Double threshold = number(fields.get("threshold"));
        Double elem = number(fields.get("element_sparsity"));
        Double col = number(fields.get("column_sparsity"));
        return new AccuracyPoint((String) fields.get("workload"), threshold == null ? 0 : threshold, number(fields.get("relative_l2")),
                metrics, elem == null ? 0 : elem, col == null ? 0 : col, Boolean.TRUE.equals(fields.get("cliff")));
    }

    private static Double number(Object v) {
        return v instanceof Number n ? n.doubleValue() : null;
    }

    /** The metric's value; null for +inf or when the modality has none ({@link #has}). */
    public Double metric(Metric k) {
        return metrics.get(k);
    }

    public boolean has(Metric k) {
        return metrics.containsKey(k);
    }
}
