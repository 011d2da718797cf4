package org.colsparse.denoiser;

import org.colsparse.tensor.TensorSources;

import org.colsparse.tensor.TensorSource;

import org.colsparse.runtime.Params;

import java.nio.file.Files;

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
     * @param conditions conditioning files by {@code --cond} name (see {@link #conditions()})
     */
    LoadedWorkload load(NDManager manager, Path checkpoint, Map<String, Path> conditions);

    /** {@link #load(NDManager, Path, Map)} without conditioning files. */
    default LoadedWorkload load(NDManager manager, Path checkpoint) {
        return load(manager, checkpoint, Map.of());
    }

    /** The conditioning files this workload accepts ({@code --cond NAME=FILE}); none for the shipped models. */
    default List<ConditionInput> conditions() {
        return List.of();
    }

    /**
     * The weights to load: the user's {@code checkpoint}, or the {@code shipped} file under the
     * colsparse home; {@code hint} tells how to get a missing shipped file back.
     */
    static Path weightsFile(Path checkpoint, String shipped, String hint) {
        Path file = checkpoint != null ? checkpoint : Denoisers.home().resolve(shipped);
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": checkpoint not found" + (checkpoint == null ? " (" + hint + ")" : ""));
        }
        return file;
    }

    /** Loads {@code file} into {@code params} under workload {@code id}'s key names; runs {@code onFailure} (closing the network) when it does not fit. */
    static void loadWeights(Params params, Path file, String id, Runnable onFailure) {
        try (TensorSource source = TensorSources.openWeights(file)) {
            params.load(source, id);
        } catch (RuntimeException e) {
            onFailure.run();
            throw e;
        }
    }

    /** For workloads that take no conditioning files: a misplaced {@code --cond} is never silently ignored. */
    static void refuseConditions(DenoiserInfo info, Map<String, Path> conditions) {
        if (!conditions.isEmpty()) {
            throw new InputException("--cond: workload " + info.id() + " takes no conditioning files, got " + conditions.keySet());
        }
    }
}
