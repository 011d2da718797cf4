package org.colsparse.pipeline;

import ai.djl.ndarray.NDManager;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Workload;
import org.colsparse.runtime.Torch;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the profile and accuracy stages load a workload's model: its weights (the shipped ones
 * when {@code checkpoint} is null), conditioning files and PyTorch threads. Each stage loads it
 * afresh: {@code try (NDManager m = source.manager(); LoadedWorkload model = source.load(m))}.
 */
public record ModelSource(Workload workload, Path checkpoint, Map<String, Path> conditions, int threads) {
    public ModelSource {
        conditions = Map.copyOf(conditions);
    }

    /** A manager for one load, with PyTorch set to the stage's threads first. */
    public NDManager manager() {
        Torch.configureThreads(threads);
        return Torch.manager();
    }

    public LoadedWorkload load(NDManager manager) {
        return workload.load(manager, checkpoint, conditions);
    }
}
