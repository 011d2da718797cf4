package org.colsparse.dram;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.StandardCopyOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes requests as a Ramulator 2 LoadStoreTrace ({@code LD 0x...} / {@code ST 0x...}, one per
 * line) so that any run can be replayed in Ramulator. Use one line per 32-byte request: split
 * larger transfers before writing.
 */
public final class TraceWriter implements Closeable {
    private final Writer out;
    private final char[] buf = new char[32];
    private final Path target;
    private final Path partial;
    private long count;

    public TraceWriter(Writer out) {
        this(out, null, null);
    }

    private TraceWriter(Writer out, Path target, Path partial) {
        this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out, 1 << 16);
        this.target = target;
        this.partial = partial;
    }

    /**
     * A trace file written atomically: requests go to a temporary file next to {@code file}, which
     * {@link #commit()} moves into place. Closing without a commit deletes it, so a failed run never
     * leaves a truncated trace that looks complete, nor destroys an existing one.
     */
    public static TraceWriter open(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        // not Files.createTempFile: its files are mode 0600, and the trace is for other tools and people to read
        Path partial = abs.resolveSibling(abs.getFileName() + "." + ProcessHandle.current().pid() + "." + System.nanoTime() + ".partial");
        return new TraceWriter(Files.newBufferedWriter(partial, StandardCharsets.US_ASCII, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE), abs, partial);
    }

    /** Flushes and, for a file from {@link #open}, moves it to its final name. */
    public void commit() throws IOException {
        out.close();
        if (partial != null && Files.exists(partial)) {
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    public void write(long addr, boolean write) {
        if (addr < 0) {
            throw new IllegalArgumentException("negative address " + addr);
        }
        int p = buf.length;
        buf[--p] = '\n';
        do {
            buf[--p] = Character.forDigit((int) (addr & 0xF), 16);
            addr >>>= 4;
        } while (addr != 0);
        buf[--p] = 'x';
        buf[--p] = '0';
        buf[--p] = ' ';
        buf[--p] = write ? 'T' : 'D';
        buf[--p] = write ? 'S' : 'L';
        try {
            out.write(buf, p, buf.length - p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        count++;
    }

    public void write(Request r) {
        write(r.addr(), r.write());
    }

    public long count() {
        return count;
    }

    /** Closes; a file from {@link #open} that was not committed is deleted. */
    @Override
    public void close() throws IOException {
        try {
            out.close();
        } finally {
            if (partial != null) {
                Files.deleteIfExists(partial);
            }
        }
    }
}
