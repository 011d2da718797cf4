package org.colsparse.report;

import org.colsparse.denoiser.Workload;
import org.colsparse.util.InputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An output folder that only appears complete: everything is written into {@code <out>.partial}
 * (which also keeps finished stages for {@code --resume}), and {@link #commit()} swaps it into
 * place. A run that dies leaves the previous {@code <out>} untouched and the partial folder behind.
 *
 * <p>colsparse replaces only what it wrote itself. Every folder it writes holds a marker file,
 * {@value #MARKER}, listing the files it wrote; {@code --out} is refused (one line, before any
 * work) when it is a file, a symbolic link, the working folder or a folder above it, above the
 * repository or an input, or a non-empty folder holding anything colsparse did not write. Folders
 * written before the marker existed are recognised by their layout ({@link #legacyLayout}). While
 * a command writes, {@code <out>.partial/.lock} is locked, so a second command into the same
 * {@code --out} is refused instead of clearing the first one's files.
 */
public final class AtomicOutput implements AutoCloseable {
    /**
     * The marker file of a folder colsparse wrote: the line {@value #SIGNATURE}, {@code command=}
     * the command that wrote it, then the files it wrote, one relative path a line.
     */
    public static final String MARKER = ".colsparse-output";
    static final String SIGNATURE = "colsparse-output/1";
    private static final String LOCK = ".lock";

    /** What {@code run} writes at the top of its folder, as colsparse 0.1.0 wrote it before the marker. */
    private static final Set<String> RUN_NAMES = Set.of("report.html", "results.json", "summary.csv", "sites.csv", "estimate.csv",
            "simulate.csv", "accuracy.csv", "figures", "samples", "masks", "stages");
    /** What {@code profile --out} writes. */
    private static final Set<String> PROFILE_NAMES = Set.of("results.json", "masks.npz", "samples.png", "latents.png");
    private static final Pattern SHARD_FILE = Pattern.compile("\\.?shard-\\d+-of-\\d+\\.npz(\\.tmp)?");

    /** Writes a file's bytes; tests swap it for one that fails as a full disk does. */
    interface Sink {
        void write(Path file, byte[] bytes) throws IOException;
    }

    static volatile Sink sink = Files::write;

    private final Path target;
    private final Path work;
    private final String command;
    private final String previous;
    private FileChannel lockChannel;
    private FileLock lock;

    private AtomicOutput(Path target, Path work, String command, String previous) {
        this.target = target;
        this.work = work;
        this.command = command;
        this.previous = previous;
    }

    /**
     * Checks {@code target} ({@link #check}), locks its partial folder and opens it, keeping what
     * it holds when {@code resume} is set and clearing it otherwise.
     *
     * @param command the command that writes it (run, profile, accuracy), named in the marker
     * @param inputs  files the command reads (checkpoint, conditions, config, shards): never inside target
     */
    public static AtomicOutput open(Path target, String command, boolean resume, Collection<Path> inputs) {
        String previous = check(target, command, inputs);
        Path abs = target.toAbsolutePath().normalize();
        Path work = partialOf(abs);
        Found partial = found(work, true);
        if (partial.refusal() != null || !partial.command().isEmpty() && !partial.command().equals(command)) {
            throw new InputException("--out: " + work + " " + (partial.refusal() != null ? partial.refusal()
                    : "holds an unfinished '" + partial.command() + "' output") + "; colsparse keeps a command's unfinished output "
                    + "there and clears only its own: move it away or choose another --out");
        }
        AtomicOutput out = new AtomicOutput(abs, work, command, previous);
        try {
            Files.createDirectories(work);
            out.lock();
            if (!resume) {
                clear(work);
            }
            if (!isMarker(work.resolve(MARKER))) {
                out.writeMarker(List.of());
            }
        } catch (IOException e) {
            out.close();
            throw new InputException("--out: cannot create " + work + ": " + reason(e));
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    /**
     * Refuses, with one line naming {@code target}, an output folder whose replacement would
     * destroy something colsparse did not write: a file, a symbolic link, the working folder or a
     * folder holding it, the repository or an input, a non-empty folder colsparse did not write,
     * or, unless {@code command} is null, the output of another command.
     *
     * @return the command whose earlier output {@code target} holds, or null when it is new or empty
     */
    public static String check(Path target, String command, Collection<Path> inputs) {
        refuseProtected(target, inputs);
        Found f = found(target.toAbsolutePath().normalize(), false);
        if (f.refusal() != null) {
            throw new InputException("--out: " + target + " " + f.refusal() + "; colsparse replaces only folders it wrote itself: "
                    + "choose another --out, a new or empty folder");
        }
        if (command != null && !f.command().isEmpty() && !f.command().equals(command)) {
            throw new InputException("--out: " + target + " holds the output of 'colsparse " + f.command() + "', which '" + command
                    + "' does not replace: choose another --out");
        }
        return f.command().isEmpty() ? null : f.command();
    }

    /** The line to print when {@code --out} holds an earlier output, which {@link #commit} replaces; null when it does not. */
    public String notice() {
        return previous == null ? null
                : "colsparse: " + target + " holds an earlier '" + previous + "' output; it is replaced when this one is complete";
    }

    /**
     * The folder a shard writes its state file into: shards of one run share it, so it may already
     * hold state files (and their temporary files), but nothing else. It is never replaced and a
     * shard writes nothing there but its own file, so no other place needs refusing.
     */
    public static void checkShardFolder(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new InputException("--out: " + dir + " is a file, not a folder: a shard writes its state file into a folder");
        }
        try (Stream<Path> list = Files.list(abs)) {
            for (Path p : (Iterable<Path>) list.sorted()::iterator) {
                if (!SHARD_FILE.matcher(p.getFileName().toString()).matches() || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    throw new InputException("--out: " + dir + " holds " + p.getFileName() + ", which is not a shard state file: a shard "
                            + "writes into a new or empty folder or one holding only shard-I-of-N.npz files");
                }
            }
        } catch (IOException e) {
            throw new InputException("--out: cannot read " + dir + ": " + reason(e));
        }
    }

    private static void refuseProtected(Path target, Collection<Path> inputs) {
        Path out = real(target);
        if (Files.isSymbolicLink(target.toAbsolutePath().normalize())) {
            throw new InputException("--out: " + target + " is a symbolic link: name the folder itself (" + out + ")");
        }
        Path cwd = real(Path.of(""));
        if (cwd.equals(out)) {
            throw new InputException("--out: " + target + " is the current folder, which colsparse would replace: name a folder of "
                    + "its own, e.g. --out results");
        }
        if (cwd.startsWith(out)) {
            throw new InputException("--out: " + target + " holds the current folder, which colsparse would replace: name a folder "
                    + "of its own, e.g. --out results");
        }
        Path home = real(Workload.home());
        if (home.startsWith(out)) {
            throw new InputException("--out: " + target + " holds the colsparse repository (" + home + "), which colsparse would "
                    + "replace: name a folder of its own, e.g. --out results");
        }
        for (Path input : inputs) {
            if (input != null && real(input).startsWith(out)) {
                throw new InputException("--out: " + target + " holds the input " + input + ", which colsparse would replace: "
                        + "choose another --out");
            }
        }
    }

    /** The path with every existing part's symbolic links resolved, so that ancestors compare by what they are. */
    private static Path real(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path missing = Path.of("");
        for (Path at = abs; at != null; at = at.getParent()) {
            try {
                Path r = at.toRealPath();
                return r.resolve(missing.toString()).normalize();
            } catch (IOException e) {
                missing = at.getFileName() == null ? missing : at.getFileName().resolve(missing.toString());
            }
        }
        return abs;
    }

    /**
     * What is at an output path: {@code command} the command whose output it holds ("" when there
     * is nothing, or an empty folder), or {@code refusal}, why colsparse must not touch it (the
     * middle of a sentence).
     */
    record Found(String command, String refusal) {
        static Found refused(String why) {
            return new Found("", why);
        }
    }

    /** What is at {@code dir}: a partial folder is colsparse's by its marker alone, a finished one only with nothing unlisted. */
    static Found found(Path dir, boolean partial) {
        if (Files.isSymbolicLink(dir)) {
            return Found.refused("is a symbolic link");
        }
        if (!Files.exists(dir)) {
            return new Found("", null);
        }
        if (!Files.isDirectory(dir)) {
            return Found.refused("is a file, not a folder");
        }
        List<String> top;
        try (Stream<Path> list = Files.list(dir)) {
            top = list.map(p -> p.getFileName().toString()).filter(n -> !n.equals(LOCK)).sorted().toList();
        } catch (IOException e) {
            return Found.refused("cannot be read (" + reason(e) + ")");
        }
        if (top.isEmpty()) {
            return new Found("", null);
        }
        Path marker = dir.resolve(MARKER);
        if (isMarker(marker)) {
            List<String> lines;
            List<String> present;
            try {
                lines = Files.readAllLines(marker, StandardCharsets.UTF_8);
                present = files(dir);
            } catch (IOException e) {
                return Found.refused("cannot be read (" + reason(e) + ")");
            }
            String command = lines.size() > 1 && lines.get(1).startsWith("command=") ? lines.get(1).substring("command=".length()) : "";
            if (!partial) {
                Set<String> listed = new LinkedHashSet<>(lines.subList(Math.min(2, lines.size()), lines.size()));
                for (String f : present) {
                    if (!listed.contains(f)) {
                        return Found.refused("holds " + f + ", which colsparse did not write there");
                    }
                }
            }
            return new Found(command, null);
        }
        String legacy = legacyLayout(dir, top, partial);
        return legacy != null ? new Found(legacy, null)
                : Found.refused("is not empty and was not written by colsparse (no " + MARKER + "; it holds " + top.get(0) + ")");
    }

    /**
     * The command whose output {@code dir} holds when it was written before the marker existed
     * (colsparse 0.1.0 up to issue 22), recognised only by exactly colsparse's layout; null for
     * anything else. run: results.json and stages/options.txt, beside nothing but the files a run
     * writes (a partial run: stages/); accuracy: a results.json with the sweep's keys beside folders
     * of dense/ and tau-*&#47; pictures; profile: a results.json with the profile's keys beside
     * masks.npz and its samples picture.
     */
    static String legacyLayout(Path dir, List<String> top, boolean partial) {
        boolean results = Files.isRegularFile(dir.resolve("results.json"));
        if (top.stream().allMatch(n -> RUN_NAMES.contains(n) || n.endsWith(".tmp") && RUN_NAMES.contains(n.substring(0, n.length() - 4)))
                && Files.isDirectory(dir.resolve("stages"))
                && (partial || results && Files.isRegularFile(dir.resolve("stages/options.txt")))) {
            return "run";
        }
        List<String> pictures = top.stream().filter(n -> !n.equals("results.json")).toList();
        if (!pictures.isEmpty() && pictures.stream().allMatch(n -> sweepPictures(dir.resolve(n)))
                && (partial && !results || hasKeys(dir.resolve("results.json"), "cliff_rule", "runs", "results"))) {
            return "accuracy";
        }
        return PROFILE_NAMES.containsAll(top) && hasKeys(dir.resolve("results.json"), "workload", "taxonomy", "timesteps") ? "profile" : null;
    }

    /** Whether {@code file} is a JSON object with every one of {@code keys} at its top. */
    private static boolean hasKeys(Path file, String... keys) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
            return n != null && n.isObject() && Stream.of(keys).allMatch(n::has);
        } catch (IOException e) {
            return false;
        }
    }

    /** An accuracy sweep's pictures of one workload: folders dense/ and tau-*&#47; only. */
    private static boolean sweepPictures(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.allMatch(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                    && (p.getFileName().toString().equals("dense") || p.getFileName().toString().startsWith("tau-")));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isMarker(Path marker) {
        try {
            return Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)
                    && Files.readAllLines(marker, StandardCharsets.UTF_8).stream().findFirst().orElse("").equals(SIGNATURE);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }

    /** Every file below {@code dir} (links and other non-folders included) but the marker and the lock, relative with '/', sorted. */
    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> dir.relativize(p).toString().replace(java.io.File.separatorChar, '/'))
                    .filter(f -> !f.equals(MARKER) && !f.equals(LOCK)).sorted().toList();
        }
    }

    private static Path partialOf(Path abs) {
        return abs.resolveSibling(abs.getFileName() + ".partial");
    }

    private void lock() throws IOException {
        lockChannel = FileChannel.open(work.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new InputException("--out: another colsparse command is writing " + target + " right now (" + work.resolve(LOCK)
                    + " is locked): wait for it to finish, or choose another --out");
        }
    }

    /** Everything in the partial folder but its lock and marker: what a run that does not resume starts without. */
    private static void clear(Path work) throws IOException {
        try (Stream<Path> walk = Files.walk(work)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                if (!p.equals(work) && !p.equals(work.resolve(LOCK)) && !p.equals(work.resolve(MARKER))) {
                    Files.delete(p);
                }
            }
        }
    }

    private void writeMarker(List<String> files) throws IOException {
        StringBuilder sb = new StringBuilder(SIGNATURE).append('\n').append("command=").append(command).append('\n');
        files.forEach(f -> sb.append(f).append('\n'));
        Path tmp = work.resolve(MARKER + ".tmp");
        try {
            Files.writeString(tmp, sb.toString());
            move(tmp, work.resolve(MARKER));
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    public Path dir() {
        return work;
    }

    public Path target() {
        return target;
    }

    /**
     * Writes one file inside the partial folder via a temp file, so no file is ever seen half
     * written; a failed write (a full disk) removes the temp file and is one line naming the file.
     */
    public Path write(String relative, byte[] bytes) {
        Path file = work.resolve(relative);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            sink.write(tmp, bytes);
            move(tmp, file);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the failed write is the one to report
            }
            throw cannotWrite(file, e);
        }
        return file;
    }

    public Path write(String relative, String text) {
        return write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Runs {@code writer}, which writes {@code file} (or files below it) inside the partial folder
     * by other means (pictures, .npz); its failure is one line naming the file, and what it left
     * at {@code file} is removed.
     */
    public <T> T writing(Path file, Supplier<T> writer) {
        try {
            return writer.get();
        } catch (UncheckedIOException e) {
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.delete(file);
                } catch (IOException ignored) {
                    // the failed write is the one to report
                }
            }
            throw cannotWrite(file, e.getCause());
        }
    }

    private InputException cannotWrite(Path file, IOException e) {
        return new InputException("--out: cannot write " + file + ": " + reason(e) + "; " + target + " is left as it was", e);
    }

    /**
     * Replaces the target folder by the finished partial folder. The target is checked once more
     * (something may have been put there while the command ran); the previous one is deleted only
     * after the new one is in place.
     */
    public void commit() {
        try {
            writeMarker(files(work));
            Found now = found(target, false);
            if (now.refusal() != null || !now.command().isEmpty() && !now.command().equals(command)) {
                throw new InputException("--out: " + target + " " + (now.refusal() != null ? now.refusal() : "holds a '" + now.command()
                        + "' output") + " (since this command started); the finished output stays in " + work + ": move it yourself");
            }
            Path old = null;
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                old = free(target.resolveSibling(target.getFileName() + ".old"));
                move(target, old);
            }
            move(work, target);
            Files.deleteIfExists(target.resolve(LOCK));
            if (old != null) {
                deleteTree(old);
            }
        } catch (IOException e) {
            throw new InputException("--out: cannot put " + work + " in place of " + target + ": " + reason(e));
        } finally {
            close();
        }
    }

    /** {@code base}, or {@code base-2}, {@code base-3}, ... whichever does not exist: an existing one is never overwritten. */
    private static Path free(Path base) {
        Path p = base;
        for (int i = 2; Files.exists(p, LinkOption.NOFOLLOW_LINKS); i++) {
            p = base.resolveSibling(base.getFileName() + "-" + i);
        }
        return p;
    }

    /** Releases the lock; the partial folder stays as it is. */
    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case, and the process ends soon after
        } finally {
            lock = null;
            lockChannel = null;
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a folder {@link #found} found to hold only what colsparse wrote. */
    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    /** The operating system's words for a failed file operation: "No space left on device", "Permission denied". */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "cannot create a folder there";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
    }
}
