package org.colsparse.report;

import com.fasterxml.jackson.databind.JsonNode;
import org.colsparse.results.Json;
import org.colsparse.results.AccuracyResult;
import org.colsparse.results.EstimateResult;
import org.colsparse.results.ProfileResult;
import org.colsparse.results.Results;
import org.colsparse.results.WorkloadResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's last section: the method once, for every workload, then a table of what differs
 * between workloads: their weights, how long they were sampled, which calls were recorded and
 * simulated, how the accuracy sweep decoded their outputs, and a method text where one workload's
 * differs from the others' (the most common one is the shared method).
 */
final class Provenance {
    private Provenance() {
    }

    static void write(Results results, HtmlReport html) {
        html.heading(2, "How these numbers were made");
        List<String> settings = new ArrayList<>();
        // every setting as results.json's config lists it, under its JSON name: a setting added to the config shows here unasked
        JsonNode cfg = Json.MAPPER.valueToTree(results.config());
        cfg.fields().forEachRemaining(f -> settings.add(f.getKey().replace('_', ' ') + ": "
                + (f.getValue().isArray() ? join(f.getValue()) : f.getValue().asText())));
        List<WorkloadResult> workloads = results.workloads();
        String estimate = ReportWriter.common(workloads, w -> w.estimate() == null ? null : w.estimate().method());
        String simulate = ReportWriter.common(workloads, w -> w.simulate() == null ? null : w.simulate().method());
        List<String> method = new ArrayList<>();
        method.add("Configuration: " + String.join("; ", settings) + ".");
        method.add("Profile: each workload's whole sampling loop runs with a tap on every GELU site, streamed into the analyzer (nothing "
                + "is stored); one sample per denoiser call, sample i from seed + i. A few calls of the first sample are recorded whole "
                + "(masks/<workload>.npz): every site's near-zero bits and the call's GEMMs, each with the site it reads.");
        method.add("Accuracy: the sweep runs the sampling loop again once per threshold from the same seed and conditions, with every "
                + "GELU output |a| <= tau replaced by 0, and compares the final outputs with the dense run's.");
        if (estimate != null) {
            method.add("Cycle estimate: " + estimate + ".");
        }
        if (simulate != null) {
            method.add("Simulation: " + simulate + ".");
        }
        method.add("Measured: every sparsity statistic comes from real activations of the models named below during their full "
                + "sampling loop. Estimated and simulated: the profiled model's own GEMMs, replaying its real recorded masks; no "
                + "synthetic mask is used. Full-size numbers, where shown, are projections and labelled so.");
        html.bullets(method);

        List<List<String>> rows = new ArrayList<>();
        for (WorkloadResult w : workloads) {
            ProfileResult p = w.profile();
            EstimateResult e = w.estimate();
            AccuracyResult.AccuracyRun run = w.accuracy() == null || w.accuracy().runs() == null || w.accuracy().runs().isEmpty() ? null
                    : w.accuracy().runs().get(0);
            List<String> differs = new ArrayList<>();
            if (e == null) {
                differs.add("no GEMMs recorded: no cycle estimate or simulation");
            } else {
                String mine = e.method() == null ? "" : e.method();
                if (!mine.equals(estimate)) {
                    differs.add("cycle estimate: " + ReportWriter.difference(estimate, mine));
                }
                String own = w.simulate() == null || w.simulate().method() == null ? "" : w.simulate().method();
                if (!own.equals(simulate)) {
                    differs.add("simulation: " + ReportWriter.difference(simulate, own));
                }
            }
            if (e != null && e.projection() != null) {
                differs.add(String.format(Locale.ROOT, "projection onto the full-size %s (not a measurement): consumer reduction %s, "
                                + "model %s", e.projection().preset(), Summary.percent(e.projection().consumerReduction()),
                        Summary.percent(e.projection().modelReduction())));
            }
            rows.add(List.of(w.id(), w.weights(),
                    String.format(Locale.ROOT, "%d x %d", p.samples(), p.steps()),
                    String.format(Locale.ROOT, "%.1f s", p.seconds()),
                    steps(p.maskSteps()), steps(w.simulate() == null ? null : w.simulate().callSteps()),
                    run == null ? "n/a" : String.format(Locale.ROOT, "%d x %d", run.samples(), run.steps()),
                    run == null ? "n/a" : run.sampler() + "; " + run.decoding(),
                    differs.isEmpty() ? "-" : String.join("; ", differs)));
        }
        html.wrappedTable(List.of("workload", "weights", "profile: samples x steps", "profile time", "masks recorded at steps",
                "simulated calls at steps", "accuracy: samples x steps", "sampler; accuracy decoding", "differences from the method above"), rows);
    }

    private static String steps(List<Integer> steps) {
        if (steps == null || steps.isEmpty()) {
            return "-";
        }
        return String.join(", ", steps.stream().map(String::valueOf).toList());
    }

    private static String join(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(v -> parts.add(v.asText()));
        return String.join(", ", parts);
    }
}
