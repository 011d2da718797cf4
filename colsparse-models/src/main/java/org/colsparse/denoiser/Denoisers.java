package org.colsparse.denoiser;

import org.colsparse.util.InputException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry of built-in runnable workloads (denoisers with weights); the full-size layer shapes are {@link org.colsparse.workload.Workloads}. */
public final class Denoisers {
    private static final List<Workload> ALL = List.of(
            new DdpmMnistWorkload(),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.DitSpec()),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.MdmSpec()),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.MldSpec()),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.EdgeSpec()),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.Sd15Spec()),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.AudioLdmSpec()),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.AnimateDiffSpec()));

    private Denoisers() {
    }

    public static List<Workload> all() {
        return ALL;
    }

    public static Workload get(String id) {
        Map<String, Workload> byId = new LinkedHashMap<>();
        for (Workload w : ALL) {
            byId.put(w.info().id(), w);
        }
        Workload w = byId.get(id);
        if (w == null) {
            throw new InputException("--workload: unknown workload '" + id + "', built in: " + String.join(", ", byId.keySet()));
        }
        return w;
    }

    /**
     * The repository root, where shipped models live. The launcher passes it as
     * {@code -Dcolsparse.home}; without it the working directory is assumed.
     */
    public static Path home() {
        return Path.of(System.getProperty("colsparse.home", "."));
    }
}
