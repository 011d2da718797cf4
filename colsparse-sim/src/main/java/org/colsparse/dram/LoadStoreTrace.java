package org.colsparse.dram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.colsparse.util.InputException;
import org.colsparse.util.Printable;

/**
 * Reader for Ramulator 2's LoadStoreTrace format: one request per line, {@code LD <addr>} (read) or
 * {@code ST <addr>} (write), the address in hex with {@code 0x} or in decimal, fields separated by
 * spaces. Blank lines are skipped (Ramulator itself rejects them; {@link TraceWriter} never writes
 * them). Anything else is an {@link InputException} naming {@code file:line}.
 */
public final class LoadStoreTrace {
    /** A request line is about 20 characters; one with no newline in this many bytes is not a trace. */
    static final int MAX_LINE = 1 << 20;

    private LoadStoreTrace() {
    }

    private static final byte[] HEX = new byte[128];

    static {
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int i = 0; i < 16; i++) {
            HEX["0123456789abcdef".charAt(i)] = (byte) i;
            HEX["0123456789ABCDEF".charAt(i)] = (byte) i;
        }
    }

    public static List<Request> read(Path file) {
        PackedRequests out = new PackedRequests();
        checkReadable(file);
        fill(file, out);
        out.finish(null);
        return out;
    }

    /**
     * Starts reading {@code file} on a thread of its own and returns at once: the requests appear
     * in the list as they are parsed ({@link PackedRequests#available}), and a bad line is thrown to
     * the reader when it gets there. A missing or unreadable file is reported here, before.
     */
    static PackedRequests readInBackground(Path file) {
        checkReadable(file);
        PackedRequests out = new PackedRequests();
        Thread t = new Thread(() -> {
            try {
                fill(file, out);
                out.finish(null);
            } catch (RuntimeException | Error e) {
                out.finish(e);
            }
        }, "trace-reader");
        t.setDaemon(true);
        t.start();
        return out;
    }

    private static void checkReadable(Path file) {
        try {
            Files.size(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": trace file not found");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read trace: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the file in 1 MiB pieces, each parsed up to its last newline (the rest moves to the
     * front of the next piece). {@code Files.readAllBytes} of a 12 MB trace took 35-90 ms here, a
     * piecewise read 9-45 ms, and any size fits. A line may be at most {@link #MAX_LINE} bytes:
     * the buffer used to double for a longer one, up to the heap's end for a file without newlines.
     */
    private static void fill(Path file, PackedRequests out) {
        String name = file.toString();
        byte[] buf = new byte[MAX_LINE];
        int have = 0;
        int lineNo = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                if (have == buf.length) {
                    throw new InputException(name + ":" + (lineNo + 1) + ": not a LoadStoreTrace: a line longer than "
                            + MAX_LINE + " bytes");
                }
                int got = in.read(buf, have, buf.length - have);
                if (got < 0) {
                    parse(buf, have, name, lineNo, out);
                    return;
                }
                int scanned = have;
                have += got;
                int end = have;
                while (end > scanned && buf[end - 1] != '\n') {
                    end--;
                }
                if (end > 0 && buf[end - 1] == '\n') {
                    lineNo = parse(buf, end, name, lineNo, out);
                    System.arraycopy(buf, end, buf, 0, have - end);
                    have -= end;
                }
            }
        } catch (NoSuchFileException e) {
            throw new InputException(name + ": trace file not found");
        } catch (IOException e) {
            throw new InputException(name + ": cannot read trace: " + e.getMessage(), e);
        }
    }

    /**
     * Parses a whole trace held in memory, lines split as {@link BufferedReader#readLine} splits
     * them. Lines written as {@link TraceWriter} writes them ({@code LD 0x...}) are decoded
     * straight from the bytes, without a {@code String} or {@link Request} per line; any other
     * line goes through the general rules of {@link #read(Reader, String)}.
     */
    static List<Request> parse(byte[] b, String name) {
        PackedRequests out = new PackedRequests();
        parse(b, b.length, name, 0, out);
        out.finish(null);
        return out;
    }

    /** Parses {@code b[0, len)}, whose first line is line {@code lineNo + 1}; returns the last line's number. */
    private static int parse(byte[] b, int len, String name, int lineNo, PackedRequests out) {
        int pos = 0;
        while (pos < len) {
            lineNo++;
            int next = fastLine(b, pos, len, out);
            if (next >= 0) {
                pos = next;
                continue;
            }
            int end = pos;
            while (end < len && b[end] != '\n' && b[end] != '\r') {
                end++;
            }
            for (int i = pos; i < end; i++) {
                if (b[i] < 0) {
                    throw new InputException(name + ": not a LoadStoreTrace: holds a non-ASCII byte (binary file, or a byte-order mark?)");
                }
            }
            Request r = parseLine(new String(b, pos, end - pos, StandardCharsets.US_ASCII), name, lineNo);
            if (r != null) {
                out.add(r.addr(), r.write());
            }
            pos = end + (end + 1 < len && b[end] == '\r' && b[end + 1] == '\n' ? 2 : 1);
        }
        return lineNo;
    }

    /**
     * Decodes one {@code LD|ST 0x<1-15 hex digits>} line starting at {@code pos} into {@code out}
     * and returns the start of the next line, or -1 (adding nothing) for any other line. A method
     * of its own, called once a line, so that the JIT compiles it after a few thousand lines
     * instead of running the whole file through the interpreter and on-stack replacement.
     */
    private static int fastLine(byte[] b, int pos, int len, PackedRequests out) {
        if (pos + 6 > len || b[pos + 2] != ' ' || b[pos + 3] != '0' || b[pos + 4] != 'x') {
            return -1;
        }
        boolean write;
        if (b[pos] == 'L' && b[pos + 1] == 'D') {
            write = false;
        } else if (b[pos] == 'S' && b[pos + 1] == 'T') {
            write = true;
        } else {
            return -1;
        }
        long v = 0;
        int i = pos + 5;
        int limit = Math.min(len, pos + 5 + 15);
        for (; i < limit; i++) {
            int c = b[i];
            int d = c < 0 ? -1 : HEX[c];
            if (d < 0) {
                break;
            }
            v = v << 4 | d;
        }
        if (i == pos + 5) {
            return -1;
        }
        int next;
        if (i == len) {
            next = len;
        } else if (b[i] == '\n') {
            next = i + 1;
        } else if (b[i] == '\r') {
            next = i + 1 < len && b[i + 1] == '\n' ? i + 2 : i + 1;
        } else {
            return -1;
        }
        out.add(v, write);
        return next;
    }

    public static List<Request> read(Reader in, String name) throws IOException {
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        List<Request> out = new ArrayList<>();
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            Request req = parseLine(line, name, lineNo);
            if (req != null) {
                out.add(req);
            }
        }
        return out;
    }

    /** One line's request, or null for a blank line. */
    private static Request parseLine(String line, String name, int lineNo) {
        String s = line.strip();
        if (s.isEmpty()) {
            return null;
        }
        // Hand-split on spaces/tabs: traces run to millions of lines.
        int sp = 0;
        while (sp < s.length() && !Character.isWhitespace(s.charAt(sp))) {
            sp++;
        }
        int start = sp;
        while (start < s.length() && Character.isWhitespace(s.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
            end++;
        }
        if (start == s.length() || end != s.length()) {
            throw new InputException(name + ":" + lineNo + ": expected '<LD|ST> <address>', got '" + Printable.excerpt(s) + "'");
        }
        String op = s.substring(0, sp);
        boolean write;
        if (op.equals("LD")) {
            write = false;
        } else if (op.equals("ST")) {
            write = true;
        } else {
            throw new InputException(name + ":" + lineNo + ": unknown request type '" + Printable.excerpt(op)
                    + "' (expected LD or ST)");
        }
        return new Request(parseAddress(s.substring(start), name, lineNo), write);
    }

    private static long parseAddress(String t, String name, int lineNo) {
        try {
            long v;
            if (t.startsWith("0x") || t.startsWith("0X")) {
                v = Long.parseLong(t.substring(2), 16);
            } else {
                v = Long.parseLong(t);
            }
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new InputException(name + ":" + lineNo + ": bad address '" + Printable.excerpt(t)
                    + "' (expected a non-negative hex 0x... or decimal number)");
        }
    }
}
