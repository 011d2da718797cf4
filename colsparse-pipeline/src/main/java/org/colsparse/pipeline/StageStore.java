package org.colsparse.pipeline;

import org.colsparse.results.Json;
import org.colsparse.report.AtomicOutput;
import org.colsparse.util.InputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The finished stages of a run in its partial output folder: each stage's typed result is saved
 * as {@code stages/<stage>.json} as soon as it finishes, written atomically through the folder
 * ({@link AtomicOutput}), so an interrupted run resumes where it stopped; on {@code --resume} a saved
 * stage is read back into its record instead of being run again, provided the run's options
 * ({@code stages/options.txt}, its {@link Fingerprint}) are the same.
 */
public final class StageStore {
    static final String OPTIONS = "stages/options.txt";

    private final AtomicOutput out;
    private final boolean resume;
    private final StageListener listener;

    public StageStore(AtomicOutput out, boolean resume, StageListener listener) {
        this.out = out;
        this.resume = resume;
        this.listener = listener;
    }

    public AtomicOutput out() {
        return out;
    }

    public Path dir() {
        return out.dir();
    }

    /**
     * Refuses to resume a folder made with other options (one line naming each option that
     * differs), then records this run's options.
     */
    public void open(Fingerprint options) {
        Path f = out.dir().resolve(OPTIONS);
        try {
            if (resume && !hasFinishedStages(out.dir())) {
                listener.nothingToResume(out.dir());
            }
            if (resume && Files.exists(f)) {
                Map<String, String> before = Fingerprint.lines(Files.readString(f));
                Map<String, String> now = Fingerprint.lines(options.text());
                List<String> differ = new ArrayList<>();
                now.forEach((key, value) -> {
                    if (!value.equals(before.get(key))) {
                        differ.add("--" + key.replace('_', '-') + " was " + before.getOrDefault(key, "(absent)") + ", now " + value);
                    }
                });
                if (!differ.isEmpty()) {
                    throw new InputException("--resume: " + out.dir() + " was made with other options (" + String.join("; ", differ)
                            + "); rerun with those options or drop --resume");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write(OPTIONS, options.text());
    }

    /** Whether a partial folder holds a finished stage ({@code stages/<stage>.json}) that --resume can reuse. */
    static boolean hasFinishedStages(Path partial) {
        try (java.util.stream.Stream<Path> list = Files.list(partial.resolve("stages"))) {
            return list.anyMatch(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p));
        } catch (IOException e) {
            return false;
        }
    }

    /** The stage's result: the saved one on resume, else computed and saved. */
    public <T> T stage(String name, Class<T> type, Supplier<T> compute) {
        return stage(name, type, compute, saved -> true);
    }

    /**
     * {@link #stage}, reusing a saved result only when {@code reusable} accepts it (a stage whose
     * result names files it wrote is reusable only together with them).
     */
    public <T> T stage(String name, Class<T> type, Supplier<T> compute, Predicate<T> reusable) {
        Path f = out.dir().resolve("stages/" + name + ".json");
        try {
            if (resume && Files.exists(f)) {
                T saved = Json.MAPPER.readValue(f.toFile(), type);
                if (reusable.test(saved)) {
                    listener.reused(name);
                    return saved;
                }
            }
            T result = compute.get();
            out.write("stages/" + name + ".json", Json.MAPPER.writeValueAsBytes(result));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code relative} names a regular file in the folder. */
    public boolean holds(String relative) {
        return relative != null && Files.isRegularFile(out.dir().resolve(relative));
    }
}
