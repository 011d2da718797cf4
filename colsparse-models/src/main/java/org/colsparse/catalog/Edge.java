package org.colsparse.catalog;

import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code edge}: who it is, and its full-size model and shapes ({@link FullPresets} cites each dimension).
 * Its runtimes, {@code denoiser.tiny.EdgeSpec} and
 * {@code denoiser.full.FullEdgeWorkload}, read {@link #IDENTITY}; {@link Catalog} registers the three together.
 */
public final class Edge {
    public static final WorkloadIdentity IDENTITY = new WorkloadIdentity("edge", WorkloadGroup.MOTION, Modality.DANCE, GeluVariant.EXACT);

    /** docs/workloads.md's full-size model. */
    public static final FullSize FULL_SIZE = new FullSize("EDGE DanceDecoder", "GELU, FiLM decoder", 2, 10, "150 per 5 s slice (30 fps)",
            "DDIM", 50, 2.0, FullPresets.CFG_BATCH, 0,
            "none published by the authors (EDGE.py prints the count at start-up)",
            Edge::shapes);

    private Edge() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.edge(batch);
    }
}
