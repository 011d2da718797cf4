package org.colsparse.dram;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.colsparse.util.InputException;

/**
 * Reader for Ramulator 2's LoadStoreTrace format: one request per line, {@code LD <addr>} (read) or
 * {@code ST <addr>} (write), the address in hex with {@code 0x} or in decimal, fields separated by
 * spaces. Blank lines are skipped (Ramulator itself rejects them; {@link TraceWriter} never writes
 * them). Anything else is an {@link InputException} naming {@code file:line}.
 */
public final class LoadStoreTrace {
    private LoadStoreTrace() {
    }

    public static List<Request> read(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return read(r, file.toString());
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": trace file not found");
        } catch (CharacterCodingException e) {
            throw new InputException(file + ": not a LoadStoreTrace: holds a non-ASCII byte (binary file, or a byte-order mark?)");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read trace: " + e.getMessage(), e);
        }
    }

    public static List<Request> read(Reader in, String name) throws IOException {
        BufferedReader r = in instanceof BufferedReader b ? b : new BufferedReader(in);
        List<Request> out = new ArrayList<>();
        String line;
        int lineNo = 0;
        while ((line = r.readLine()) != null) {
            lineNo++;
            String s = line.strip();
            if (s.isEmpty()) {
                continue;
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
                throw new InputException(name + ":" + lineNo + ": expected '<LD|ST> <address>', got '" + s + "'");
            }
            String op = s.substring(0, sp);
            boolean write;
            if (op.equals("LD")) {
                write = false;
            } else if (op.equals("ST")) {
                write = true;
            } else {
                throw new InputException(name + ":" + lineNo + ": unknown request type '" + op
                        + "' (expected LD or ST)");
            }
            out.add(new Request(parseAddress(s.substring(start), name, lineNo), write));
        }
        return out;
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
            throw new InputException(name + ":" + lineNo + ": bad address '" + t
                    + "' (expected a non-negative hex 0x... or decimal number)");
        }
    }
}
