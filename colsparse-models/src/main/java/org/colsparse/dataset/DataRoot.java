package org.colsparse.dataset;

import org.colsparse.util.InputException;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The repository's {@code data/} folder, which ships the small data sets (Fashion-MNIST slice,
 * digits, speech clips, CMU motion clips) and receives what {@code scripts/setup-data.sh}
 * generates. Found, in order, at: system property {@code colsparse.data}, environment variable
 * {@code COLSPARSE_DATA}, a {@code data/} folder holding {@code colsparse-data.txt} in the working
 * directory or one of its parents, or next to the running code (its jar or classes folder or one
 * of their parents), so both the launcher and the test suite find it without configuration.
 */
public final class DataRoot {
    /** File that marks a folder as colsparse's data folder. */
    public static final String MARKER = "colsparse-data.txt";

    private DataRoot() {
    }

    public static Path locate() {
        String explicit = System.getProperty("colsparse.data", System.getenv("COLSPARSE_DATA"));
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isDirectory(p)) throw new InputException("COLSPARSE_DATA / colsparse.data: not a folder: " + p);
            return p;
        }
        Optional<Path> found = searchUp(Path.of("").toAbsolutePath());
        if (found.isEmpty()) found = codeLocation().flatMap(DataRoot::searchUp);
        return found.orElseThrow(() -> new InputException(
                "colsparse data folder not found: run from the repository or set COLSPARSE_DATA to its data/ folder"));
    }

    private static Optional<Path> searchUp(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            Path d = p.resolve("data");
            if (Files.isRegularFile(d.resolve(MARKER))) return Optional.of(d);
        }
        return Optional.empty();
    }

    private static Optional<Path> codeLocation() {
        try {
            var src = DataRoot.class.getProtectionDomain().getCodeSource();
            return src == null ? Optional.empty() : Optional.of(Path.of(src.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A path from a system property or environment variable, if set. */
    static Optional<Path> override(String property, String env) {
        String v = System.getProperty(property, System.getenv(env));
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(Path.of(v));
    }
}
