package org.colsparse.results;


import java.io.IOException;
import java.util.List;

/**
 * What {@code colsparse run} measured, as results.json holds it: the run's settings and one entry
 * per workload. results.json is written from this record and read back into it, so the report and
 * the summary are functions of it and a renamed field fails to compile rather than showing "n/a".
 */
public record Results(RunConfig config, List<WorkloadResult> workloads) {
    public Results {
        workloads = List.copyOf(workloads);
    }

    public byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Results fromJson(byte[] json) throws IOException {
        return Json.MAPPER.readValue(json, Results.class);
    }

    /** The workload {@code id}, or null. */
    public WorkloadResult workload(String id) {
        return workloads.stream().filter(w -> w.id().equals(id)).findFirst().orElse(null);
    }

    public Primary primary() {
        return config.primary();
    }
}
