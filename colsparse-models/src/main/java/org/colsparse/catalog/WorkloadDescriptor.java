package org.colsparse.catalog;

import org.colsparse.denoiser.Workload;
import org.colsparse.workload.WorkloadIdentity;

/**
 * Everything colsparse knows about one workload, in one value: who it is, the runtime that ships
 * (its sites, their roles, its sampler and the decoder of its output come with it), the full-size
 * runtime that runs a user's official checkpoint, and the full-size facts and layer shapes. Each is one
 * line of {@link Catalog}.
 *
 * @param shipped  the runtime with weights in the repository (a tiny trained model or a shipped third-party one)
 * @param full     the full-size runtime, or null where none is built
 * @param fullSize docs/workloads.md's full-size model and its shapes, or null for a workload outside that table
 */
public record WorkloadDescriptor(WorkloadIdentity identity, Workload shipped, Workload full, FullSize fullSize) {
    public WorkloadDescriptor {
        check(identity, shipped);
        if (full != null) {
            check(identity, full);
        }
    }

    public String id() {
        return identity.id();
    }

    /** A runtime stating another identity than its descriptor's is a slip in the registration. */
    private static void check(WorkloadIdentity identity, Workload runtime) {
        WorkloadIdentity stated = runtime.info().identity();
        if (!stated.equals(identity)) {
            throw new IllegalStateException("runtime " + runtime.getClass().getName() + " states " + stated + ", its descriptor " + identity);
        }
    }
}
