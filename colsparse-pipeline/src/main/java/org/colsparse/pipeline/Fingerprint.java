package org.colsparse.pipeline;

import org.colsparse.onnx.OnnxWorkload;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options that decide a command's numbers, one {@code key=value} line each. {@code --resume}
 * compares a partial folder's against the run's and a merge compares the shards', both line by
 * line, quoting the lines that differ; every command builds its own with {@link #of}.
 */
public record Fingerprint(String text) {
    /** The lines {@code key=value}, in the order given, each ended by a newline. */
    public static Fingerprint of(Map<String, ?> entries) {
        StringBuilder sb = new StringBuilder();
        entries.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return new Fingerprint(sb.toString());
    }

    /** A fingerprint's lines by key; a line without '=' is its own key with an empty value. */
    public static Map<String, String> lines(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (!line.isEmpty()) {
                m.put(eq < 0 ? line : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 1));
            }
        }
        return m;
    }

    /** Ordered builder of the entries, so a command lists them as it reads best. */
    public static Map<String, Object> entries() {
        return new LinkedHashMap<>();
    }

    /**
     * The ONNX workload's files ({@code model}, {@code model_card}, {@code init_noise}) onto
     * {@code entries}; nothing when {@code files} is null, so a built-in workload's fingerprint is
     * what it always was.
     */
    public static void putModel(Map<String, Object> entries, OnnxWorkload.Files files) {
        if (files != null) {
            entries.put("model", files.model());
            entries.put("model_card", files.card());
            entries.put("init_noise", files.initNoise() == null ? "(seeded)" : files.initNoise());
        }
    }
}
