package org.colsparse.denoiser;

import org.colsparse.tensor.TensorSources;

import org.colsparse.runtime.Params;
import org.colsparse.runtime.WrappedStateDict;

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
     * The repository root, where shipped models live. The launcher passes it as
     * {@code -Dcolsparse.home}; without it the working directory is assumed.
     */
    static Path home() {
        return Path.of(System.getProperty("colsparse.home", "."));
    }

    /**
     * The weights to load: the user's {@code checkpoint}, or the {@code shipped} file under the
     * colsparse home; {@code hint} tells how to get a missing shipped file back.
     */
    static Path weightsFile(Path checkpoint, String shipped, String hint) {
        Path file = checkpoint != null ? checkpoint : home().resolve(shipped);
        if (!Files.isRegularFile(file)) {
            throw new InputException(file + ": checkpoint not found" + (checkpoint == null ? " (" + hint + ")" : ""));
        }
        return file;
    }

    /**
     * Loads {@code file} into {@code params} under workload {@code id}'s key names, from a plain state
     * dict or from the one a training checkpoint wraps ({@link WrappedStateDict}); runs
     * {@code onFailure} (closing the network) when it does not fit. A wrapper used, or buffers
     * rebuilt because the file lacks them, are said in one line on stderr: the numbers then rest on
     * a reading of the file the user did not spell out.
     */
    static void loadWeights(Params params, Path file, String id, Runnable onFailure) {
        try (WrappedStateDict source = WrappedStateDict.of(TensorSources.openWeights(file), params.spec().keySet())) {
            List<String> rebuilt = params.load(source, id);
            String note = loadNote(file, source, rebuilt, id);
            if (note != null) {
                System.err.println(note);
                System.err.flush();
            }
        } catch (RuntimeException e) {
            onFailure.run();
            throw e;
        }
    }

    /** The stderr line of {@link #loadWeights}, or null when the file was a plain, complete state dict. */
    private static String loadNote(Path file, WrappedStateDict source, List<String> rebuilt, String id) {
        List<String> parts = new java.util.ArrayList<>();
        if (!source.prefix().isEmpty()) {
            parts.add("weights under '" + source.prefix() + "' (" + source.skipped() + " other tensor(s) and every non-tensor entry skipped unread)");
        }
        if (!rebuilt.isEmpty()) {
            parts.add(String.join(", ", rebuilt) + " not in the file, rebuilt from " + id + "'s known schedule");
        }
        return parts.isEmpty() ? null : "colsparse: " + file + ": " + String.join("; ", parts);
    }

    /** For workloads that take no conditioning files: a misplaced {@code --cond} is never silently ignored. */
    static void refuseConditions(DenoiserInfo info, Map<String, Path> conditions) {
        if (!conditions.isEmpty()) {
            throw new InputException("--cond: workload " + info.id() + " takes no conditioning files, got " + conditions.keySet());
        }
    }
}
