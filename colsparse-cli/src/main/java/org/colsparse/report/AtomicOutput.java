package org.colsparse.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An output folder that only appears complete: everything is written into {@code <out>.partial}
 * (which also keeps finished stages for {@code --resume}), and {@link #commit()} swaps it into
 * place. A run that dies leaves the previous {@code <out>} untouched and the partial folder behind.
 */
public final class AtomicOutput {
    private final Path target;
    private final Path work;

    private AtomicOutput(Path target, Path work) {
        this.target = target;
        this.work = work;
    }

    /** Opens the partial folder, keeping its content when {@code resume} is set and clearing it otherwise. */
    public static AtomicOutput open(Path target, boolean resume) {
        Path abs = target.toAbsolutePath().normalize();
        Path work = abs.resolveSibling(abs.getFileName() + ".partial");
        try {
            if (!resume) {
                deleteTree(work);
            }
            Files.createDirectories(work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new AtomicOutput(abs, work);
    }

    public Path dir() {
        return work;
    }

    public Path target() {
        return target;
    }

    /** Writes one file inside the partial folder via a temp file, so no file is ever seen half written. */
    public Path write(String relative, byte[] bytes) {
        Path file = work.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, bytes);
            move(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public Path write(String relative, String text) {
        return write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces the target folder by the finished partial folder. */
    public void commit() {
        try {
            Path old = target.resolveSibling(target.getFileName() + ".old");
            deleteTree(old);
            if (Files.exists(target)) {
                move(target, old);
            }
            move(work, target);
            deleteTree(old);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
