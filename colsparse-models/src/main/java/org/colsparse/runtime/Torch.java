package org.colsparse.runtime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;

import java.nio.file.Path;

/**
 * The one place that starts PyTorch through DJL. Its settings must be in place before the engine
 * loads (the thread pools are sized once), so every entry point — CLI or test — calls
 * {@link #configure(int)} or {@link #manager()} first and gets the same offline, single-threaded engine.
 */
public final class Torch {
    /** Threads PyTorch uses unless told otherwise: two threads on a 2-core machine are 10-100x slower. */
    public static final int DEFAULT_THREADS = 1;

    private static Engine engine;

    private Torch() {
    }

    /**
     * Sets the engine's properties unless the user already set them on the JVM command line, then
     * loads the engine. Only the first call has an effect: PyTorch's thread pools cannot be resized.
     */
    public static synchronized Engine configure(int threads) {
        return start(threads, false);
    }

    /**
     * Like {@link #configure(int)}, but the thread count wins over JVM properties (a CLI
     * {@code --threads} option). Fails if the engine already runs with another count.
     */
    public static synchronized Engine configureThreads(int threads) {
        if (engine != null && !Integer.toString(threads).equals(System.getProperty("ai.djl.pytorch.num_threads"))) {
            throw new IllegalStateException("PyTorch already started with " + System.getProperty("ai.djl.pytorch.num_threads") + " thread(s)");
        }
        return start(threads, true);
    }

    private static Engine start(int threads, boolean override) {
        if (engine == null) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be >= 1, got " + threads);
            }
            setIfAbsent("ai.djl.offline", "true");
            setIfAbsent("ai.djl.default_engine", "PyTorch");
            if (override) {
                System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
                System.setProperty("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
            }
            setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(threads));
            setIfAbsent("ai.djl.pytorch.num_interop_threads", Integer.toString(threads));
            // DJL reads DJL_CACHE_DIR from the environment first, then from system properties
            if (System.getenv("DJL_CACHE_DIR") == null) {
                setIfAbsent("DJL_CACHE_DIR", defaultCacheDir().toString());
            }
            Engine started = Engine.getEngine("PyTorch");
            NnpackSwitch.disable();
            try (NDManager m = started.newBaseManager()) {
                NativeSelfCheck.verify(m);
            }
            engine = started;
        }
        return engine;
    }

    /** A fresh manager on the configured engine; close it to free its native memory. */
    public static NDManager manager() {
        return configure(DEFAULT_THREADS).newBaseManager();
    }

    static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("colsparse").resolve("djl");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
