package org.colsparse.catalog;

import org.colsparse.denoiser.DdpmMnistWorkload;
import org.colsparse.denoiser.Preset;
import org.colsparse.denoiser.VitMnistWorkload;
import org.colsparse.denoiser.Workload;
import org.colsparse.denoiser.full.FullAnimateDiffWorkload;
import org.colsparse.denoiser.full.FullAudioLdmWorkload;
import org.colsparse.denoiser.full.FullDitWorkload;
import org.colsparse.denoiser.full.FullEdgeWorkload;
import org.colsparse.denoiser.full.FullMdmWorkload;
import org.colsparse.denoiser.full.FullMldWorkload;
import org.colsparse.denoiser.full.FullSd15Workload;
import org.colsparse.denoiser.tiny.AnimateDiffSpec;
import org.colsparse.denoiser.tiny.AudioLdmSpec;
import org.colsparse.denoiser.tiny.DitSpec;
import org.colsparse.denoiser.tiny.EdgeSpec;
import org.colsparse.denoiser.tiny.MdmSpec;
import org.colsparse.denoiser.tiny.MldSpec;
import org.colsparse.denoiser.tiny.Sd15Spec;
import org.colsparse.denoiser.tiny.TinyWorkload;
import org.colsparse.util.InputException;
import org.colsparse.workload.FullPreset;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The registry: every workload colsparse knows, one descriptor line each, in the order {@code workloads}
 * and {@code run} list them. A line joins a workload's identity and full-size facts (stated once, in a
 * class its runtimes read them from) with its runtimes. Adding a workload is one package (its code and
 * its identity) and one line here.
 */
public final class Catalog {
    private Catalog() {
    }

    private static final List<WorkloadDescriptor> ALL = List.of(
            new WorkloadDescriptor(DdpmMnistWorkload.IDENTITY, new DdpmMnistWorkload(), null, null),
            new WorkloadDescriptor(VitMnistWorkload.IDENTITY, new VitMnistWorkload(), null, null),
            new WorkloadDescriptor(Dit.IDENTITY, new TinyWorkload(new DitSpec()), new FullDitWorkload(), Dit.FULL_SIZE),
            new WorkloadDescriptor(Mdm.IDENTITY, new TinyWorkload(new MdmSpec()), new FullMdmWorkload(), Mdm.FULL_SIZE),
            new WorkloadDescriptor(Mld.IDENTITY, new TinyWorkload(new MldSpec()), new FullMldWorkload(), Mld.FULL_SIZE),
            new WorkloadDescriptor(Edge.IDENTITY, new TinyWorkload(new EdgeSpec()), new FullEdgeWorkload(), Edge.FULL_SIZE),
            new WorkloadDescriptor(Sd15.IDENTITY, new TinyWorkload(new Sd15Spec()), new FullSd15Workload(), Sd15.FULL_SIZE),
            new WorkloadDescriptor(AudioLdm.IDENTITY, new TinyWorkload(new AudioLdmSpec()), new FullAudioLdmWorkload(), AudioLdm.FULL_SIZE),
            new WorkloadDescriptor(AnimateDiff.IDENTITY, new TinyWorkload(new AnimateDiffSpec()), new FullAnimateDiffWorkload(), AnimateDiff.FULL_SIZE));

    /** {@link #fullSize()}, sorted once: ALL never changes. */
    private static final List<WorkloadDescriptor> FULL_SIZE = ALL.stream().filter(d -> d.fullSize() != null)
            .sorted(Comparator.comparing(d -> d.identity().group())).toList();

    public static List<WorkloadDescriptor> all() {
        return ALL;
    }

    /** The workload called {@code id}; an unknown name is bad input and the message lists the known ones. */
    public static WorkloadDescriptor get(String id) {
        return find(id).orElseThrow(
                () -> new InputException("--workload: unknown workload '" + id + "', built in: " + String.join(", ", ids(all()))));
    }

    /** The workload called {@code id}, or empty for a name outside the catalog (an ONNX graph's). */
    public static Optional<WorkloadDescriptor> find(String id) {
        return ALL.stream().filter(d -> d.id().equals(id)).findFirst();
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
        return FULL_SIZE;
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
