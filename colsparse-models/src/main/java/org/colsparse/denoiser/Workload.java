package org.colsparse.denoiser;

import ai.djl.ndarray.NDManager;
import org.colsparse.util.InputException;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A built-in workload: a denoiser family with its default weights and sampler. */
public interface Workload {
    DenoiserInfo info();

    /**
     * Builds the network on {@code manager} and loads weights.
     *
     * @param checkpoint a user's checkpoint, or null for the shipped one
     */
    LoadedWorkload load(NDManager manager, Path checkpoint);

    /** The conditioning files this workload accepts ({@code --cond NAME=FILE}); none for the shipped models. */
    default List<ConditionInput> conditions() {
        return List.of();
    }

    /**
     * Like {@link #load(NDManager, Path)}, with conditioning files by name. Workloads that take none
     * refuse any, so a misplaced {@code --cond} is never silently ignored.
     */
    default LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions) {
        if (!conditions.isEmpty()) {
            throw new InputException("--cond: workload " + info().id() + " takes no conditioning files, got " + conditions.keySet());
        }
        return load(manager, checkpoint);
    }
}
