package org.colsparse.cli;

import org.colsparse.accel.AccelConfig;
import org.colsparse.denoiser.DenoiserInfo;
import org.colsparse.util.InputException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * One validation rule per option, shared by every command that has the option, so that a value
 * one command accepts is never refused (or silently clamped) by another, and the message is the
 * same everywhere.
 */
final class OptionRules {
    /** The most samples a run generates: each is its own sampling loop, and 1024 is hours on a CPU already. */
    static final int MAX_SAMPLES = 1024;

    private OptionRules() {
    }

    /**
     * The tile height R when no --tile-rows is given: the configured array's rows (the built-in
     * config's 128), so every command's headline numbers agree with run's.
     */
    static int defaultTileRows() {
        return AccelConfig.defaults().array().rows();
    }

    static double threshold(double t) {
        if (!Double.isFinite(t) || t < 0) {
            throw new InputException("--threshold: must be a finite number >= 0, got " + t);
        }
        return t;
    }

    static void thresholds(double... ts) {
        for (double t : ts) {
            threshold(t);
        }
    }

    static void thresholds(Collection<Double> ts) {
        ts.forEach(OptionRules::threshold);
    }

    static void tileRows(int... rs) {
        for (int r : rs) {
            if (r < 1) {
                throw new InputException("--tile-rows: must be >= 1, got " + r);
            }
        }
    }

    static void tileRows(Collection<Integer> rs) {
        rs.forEach(OptionRules::tileRows);
    }

    /** An explicit --samples (null: the command's default, which is always in range). */
    static void samples(Integer n) {
        if (n != null && (n < 1 || n > MAX_SAMPLES)) {
            throw new InputException("--samples: must be between 1 and " + MAX_SAMPLES + ", got " + n);
        }
    }

    /** Sampler steps of a workload: at least 1, at most its trained schedule (fewer respace it). */
    static void steps(int s, DenoiserInfo info) {
        if (s < 1 || s > info.trainedSteps()) {
            throw new InputException("--steps: must be between 1 and " + info.id() + "'s trained schedule of " + info.trainedSteps()
                    + ", got " + s);
        }
    }

    /**
     * An input file: one wording in every command for a file that is not there and for a
     * directory given where a file is expected ({@code option} null for a positional file).
     * Returns {@code p}; null passes (the option was not given).
     */
    static Path inputFile(String option, Path p) {
        if (p != null) {
            if (Files.isDirectory(p)) {
                throw new InputException(named(option, p) + ": is a directory, not a file");
            }
            if (!Files.exists(p)) {
                throw new InputException(named(option, p) + ": no such file");
            }
        }
        return p;
    }

    /** {@link #inputFile}, where a folder is also accepted (a full-size model's diffusers folder as --checkpoint). */
    static Path inputFileOrFolder(String option, Path p) {
        if (p != null && !Files.exists(p)) {
            throw new InputException(named(option, p) + ": no such file");
        }
        return p;
    }

    /** An input directory (--mask-dir), worded as {@link #inputFile}. */
    static Path inputFolder(String option, Path p) {
        if (p != null) {
            if (!Files.exists(p)) {
                throw new InputException(named(option, p) + ": no such directory");
            }
            if (!Files.isDirectory(p)) {
                throw new InputException(named(option, p) + ": is a file, not a directory");
            }
        }
        return p;
    }

    private static String named(String option, Path p) {
        return option == null ? p.toString() : option + (option.endsWith("=") ? "" : " ") + p;
    }

    /** A count that has no zero meaning: threads, buckets, rows per call, training steps. */
    static void positive(String option, long n) {
        if (n < 1) {
            throw new InputException(option + ": must be >= 1, got " + n);
        }
    }
}
