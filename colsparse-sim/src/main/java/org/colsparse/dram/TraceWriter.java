package org.colsparse.dram;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
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
    private long count;

    public TraceWriter(Writer out) {
        this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out, 1 << 16);
    }

    public static TraceWriter open(Path file) throws IOException {
        return new TraceWriter(Files.newBufferedWriter(file, StandardCharsets.US_ASCII));
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

    @Override
    public void close() throws IOException {
        out.close();
    }
}
