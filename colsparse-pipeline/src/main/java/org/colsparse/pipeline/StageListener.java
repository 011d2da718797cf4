package org.colsparse.pipeline;

import java.nio.file.Path;

/** Told when a stage starts and how far a long stage has come (the command line draws it). */
public interface StageListener {
    void stage(String stage, String workload, int index, int count);

    void progress(long done, long total);

    /** A finished stage of an interrupted run was taken as it was saved. */
    default void reused(String stage) {
    }

    /** --resume found no finished stage in {@code partial}: every stage runs. */
    default void nothingToResume(Path partial) {
    }
}
