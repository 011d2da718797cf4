package org.colsparse.pipeline;

import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Profiler;
import org.colsparse.sampler.StepListener;
import org.colsparse.sweep.AccuracySweep;

/**
 * Where the profile and accuracy stages get their samples: sampled whole, taken from the merged
 * shards of a sharded run ({@code colsparse merge}), or, in a shard ({@code --shard I/N}), this
 * shard's samples kept as raw state for {@link #pending}. A merged run thus goes through exactly
 * the code of an unsharded one.
 */
public final class SampleSource {
    private final Shard shard;
    private final ShardState merged;
    private ShardState pending;

    /** @param shard this execution's shard, or null; @param merged the merged shards, or null */
    public SampleSource(Shard shard, ShardState merged) {
        this.shard = shard;
        this.merged = merged;
    }

    /** How many of a run's {@code samples} this execution samples itself. */
    public int samples(int samples) {
        return shard == null ? samples : shard.samples(samples).size();
    }

    /** The profile of {@code model}; null in a shard (its part is kept for {@link #pending}). */
    public Profiler.Result profile(LoadedWorkload model, Profiler.Config config, StepListener progress) {
        String id = model.info().id();
        if (merged != null) {
            return Profiler.result(model, config, merged.profile(id));
        }
        if (shard == null) {
            return Profiler.run(model, config, progress);
        }
        pending().addProfile(id, Profiler.runPart(model, config, shard.samples(config.samples()), progress));
        return null;
    }

    /** {@link #profile} for the accuracy sweep. */
    public AccuracySweep.Result accuracy(LoadedWorkload model, AccuracySweep.Config config, AccuracySweep.Progress progress) {
        String id = model.info().id();
        if (merged != null) {
            return AccuracySweep.result(model, config, merged.accuracy(id));
        }
        if (shard == null) {
            return AccuracySweep.run(model, config, progress);
        }
        pending().addAccuracy(id, AccuracySweep.runPart(model, config, shard.samples(config.samples()), progress));
        return null;
    }

    /** What a shard sampled, header still to be named ({@link ShardState#withHeader}). */
    public ShardState pending() {
        if (pending == null) {
            pending = new ShardState(null);
        }
        return pending;
    }
}
