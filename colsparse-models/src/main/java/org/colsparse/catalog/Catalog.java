package org.colsparse.catalog;

import org.colsparse.denoiser.DdpmMnistWorkload;
import org.colsparse.denoiser.Preset;
import org.colsparse.denoiser.VitMnistWorkload;
import org.colsparse.denoiser.Workload;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPreset;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The registry: every workload colsparse knows, one line each, in the order {@code workloads} and
 * {@code run} list them. Adding a workload is one package (its code and its descriptor) and one line here.
 */
public final class Catalog {
    private Catalog() {
    }

    /** Built on first use: a descriptor builds its runtimes, whose classes may name the descriptor's identity. */
    private static final class Registered {
        static final List<WorkloadDescriptor> ALL = List.of(
                DdpmMnistWorkload.descriptor(),
                VitMnistWorkload.descriptor(),
                Dit.descriptor(),
                Mdm.descriptor(),
                Mld.descriptor(),
                Edge.descriptor(),
                Sd15.descriptor(),
                AudioLdm.descriptor(),
                AnimateDiff.descriptor());
    }

    public static List<WorkloadDescriptor> all() {
        return Registered.ALL;
    }

    /** The workload called {@code id}; an unknown name is bad input and the message lists the known ones. */
    public static WorkloadDescriptor get(String id) {
        for (WorkloadDescriptor d : all()) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        throw new InputException("--workload: unknown workload '" + id + "', built in: " + String.join(", ", ids(all())));
    }

    /** The shipped runtimes. */
    public static List<Workload> shipped() {
        return all().stream().map(WorkloadDescriptor::shipped).toList();
    }

    /** The full-size runtimes, which run only with a user's real checkpoint. */
    public static List<Workload> full() {
        return all().stream().map(WorkloadDescriptor::full).filter(Objects::nonNull).toList();
    }

    /** The shipped runtime of {@code id}. */
    public static Workload runtime(String id) {
        return runtime(id, Preset.tiny);
    }

    /** The runtime of {@code id} in {@code preset}; unknown ids and missing full-size runtimes are input errors. */
    public static Workload runtime(String id, Preset preset) {
        if (preset == Preset.full) {
            for (WorkloadDescriptor d : all()) {
                if (d.id().equals(id) && d.full() != null) {
                    return d.full();
                }
            }
            throw new InputException("--preset full: no full-size runtime for '" + id + "', available: "
                    + String.join(", ", full().stream().map(w -> w.info().id()).toList()));
        }
        return get(id).shipped();
    }

    /**
     * The docs/workloads.md workloads, which have full-size shapes, in that table's order (by group,
     * then as registered).
     */
    public static List<WorkloadDescriptor> fullSize() {
        return all().stream().filter(d -> d.fullSize() != null)
                .sorted(Comparator.comparing(d -> d.identity().group())).toList();
    }

    /** The full-size facts of {@code id}; a name without them is bad input, and the message lists those with. */
    public static FullSize fullSize(String id) {
        for (WorkloadDescriptor d : fullSize()) {
            if (d.id().equals(id)) {
                return d.fullSize();
            }
        }
        throw new InputException("--workload: unknown workload '" + id + "' (known: " + String.join(", ", ids(fullSize())) + ")");
    }

    /** Every GEMM of one full-size call of {@code id} at its default size and {@code batch} entries per call. */
    public static FullPreset shapes(String id, int batch) {
        return fullSize(id).preset(batch);
    }

    /** {@link #shapes(String, int)} at the classifier-free-guidance batch. */
    public static FullPreset shapes(String id) {
        return fullSize(id).preset();
    }

    private static List<String> ids(List<WorkloadDescriptor> ds) {
        return ds.stream().map(WorkloadDescriptor::id).toList();
    }
}
