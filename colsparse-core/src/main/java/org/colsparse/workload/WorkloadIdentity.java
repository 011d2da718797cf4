package org.colsparse.workload;

/**
 * What every size of a workload shares: its id, docs/workloads.md group and modality, and the GELU
 * its sites compute. The shipped runtime, the full-size runtime and the full-size shapes of one
 * workload all state this one value.
 */
public record WorkloadIdentity(String id, WorkloadGroup group, Modality modality, GeluVariant gelu) {
}
