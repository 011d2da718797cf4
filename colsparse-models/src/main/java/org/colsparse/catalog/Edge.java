package org.colsparse.catalog;

import org.colsparse.denoiser.full.FullEdgeWorkload;
import org.colsparse.denoiser.tiny.EdgeSpec;
import org.colsparse.denoiser.tiny.TinyWorkload;
import org.colsparse.workload.FullPreset;
import org.colsparse.workload.FullPresets;
import org.colsparse.workload.GeluVariant;
import org.colsparse.workload.Modality;
import org.colsparse.workload.WorkloadGroup;
import org.colsparse.workload.WorkloadIdentity;

/**
 * {@code edge}: the tiny trained model ({@link EdgeSpec}), the full-size runtime ({@link FullEdgeWorkload})
 * and the full-size shapes ({@link FullPresets}, where each dimension is cited).
 */
public final class Edge {
    public static final WorkloadIdentity ID = new WorkloadIdentity("edge", WorkloadGroup.MOTION, Modality.DANCE, GeluVariant.EXACT);

    private Edge() {
    }

    /** The full-size shapes at the default size of docs/workloads.md. */
    public static FullPreset shapes(int batch) {
        return FullPresets.edge(batch);
    }

    static WorkloadDescriptor descriptor() {
        return new WorkloadDescriptor(ID, new TinyWorkload(new EdgeSpec()), new FullEdgeWorkload(), new FullSize("EDGE DanceDecoder", "GELU, FiLM decoder", 2, 10, "150 per 5 s slice (30 fps)",
                "DDIM", 50, 2.0, FullPresets.CFG_BATCH, 0,
                "none published by the authors (EDGE.py prints the count at start-up)",
                Edge::shapes));
    }
}
