package org.colsparse.denoiser;

import org.colsparse.util.InputException;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of runnable workloads: the shipped ones (tiny trained models and the third-party
 * ddpm-mnist and vit-mnist, with weights) and the full-size architectures, which run only with a
 * user's real checkpoint. The full-size layer shapes alone are {@link org.colsparse.workload.Workloads}.
 */
public final class Denoisers {
    private static final List<Workload> ALL = List.of(
            new DdpmMnistWorkload(),
            new VitMnistWorkload(),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.DitSpec()),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.MdmSpec()),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.MldSpec()),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.EdgeSpec()),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.Sd15Spec()),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.AudioLdmSpec()),
            new org.colsparse.denoiser.tiny.TinyWorkload(new org.colsparse.denoiser.tiny.AnimateDiffSpec()));

    /** Full-size architectures with the official checkpoints' key names; no weights ship for them. */
    private static final List<Workload> FULL = List.of(
            new org.colsparse.denoiser.full.FullDitWorkload(),
            new org.colsparse.denoiser.full.FullMdmWorkload(),
            new org.colsparse.denoiser.full.FullMldWorkload(),
            new org.colsparse.denoiser.full.FullEdgeWorkload(),
            new org.colsparse.denoiser.full.FullSd15Workload(),
            new org.colsparse.denoiser.full.FullAudioLdmWorkload(),
            new org.colsparse.denoiser.full.FullAnimateDiffWorkload());

    private Denoisers() {
    }

    public static List<Workload> all() {
        return ALL;
    }

    /** The full-size runnable architectures. */
    public static List<Workload> full() {
        return FULL;
    }

    /** The shipped workload with this id. */
    public static Workload get(String id) {
        return get(id, Preset.tiny);
    }

    /** The workload with this id in the given preset; unknown ids and missing full-size runtimes are input errors. */
    public static Workload get(String id, Preset preset) {
        Map<String, Workload> byId = new LinkedHashMap<>();
        for (Workload w : preset == Preset.full ? FULL : ALL) {
            byId.put(w.info().id(), w);
        }
        Workload w = byId.get(id);
        if (w == null) {
            throw new InputException(preset == Preset.full
                    ? "--preset full: no full-size runtime for '" + id + "', available: " + String.join(", ", byId.keySet())
                    : "--workload: unknown workload '" + id + "', built in: " + String.join(", ", byId.keySet()));
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
