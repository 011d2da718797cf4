package org.colsparse.util;

/**
 * Text taken from an input file, made fit to echo in a one-line error message. A file can hold a
 * name, a key or a line of any length and any bytes: echoed raw, a 50 MB trace line became a 50 MB
 * message, and escape sequences in it reached the terminal. So what is echoed is cut to a few
 * dozen characters and every character that a terminal acts on or that breaks the line (control
 * and format characters, line and paragraph separators, lone surrogates) is written as an escape.
 */
public final class Printable {
    /** Characters of input echoed in a message: enough to recognise a name, short enough for one line. */
    public static final int MAX_ECHO = 100;

    private Printable() {
    }

    /** {@code s} cut to {@link #MAX_ECHO} characters ("..." marks the cut) with its unprintable characters escaped. */
    public static String excerpt(CharSequence s) {
        return excerpt(s, MAX_ECHO);
    }

    /** {@code s} cut to {@code max} characters ("..." marks the cut) with its unprintable characters escaped. */
    public static String excerpt(CharSequence s, int max) {
        if (s == null) {
            return "null";
        }
        int end = Math.min(s.length(), max);
        StringBuilder out = new StringBuilder(end + 8);
        for (int i = 0; i < end; ) {
            int c = Character.codePointAt(s, i);
            i += Character.charCount(c);
            if (printable(c)) {
                out.appendCodePoint(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c < 0x100) {
                out.append("\\x").append(hex(c, 2));
            } else {
                out.append("\\u").append(hex(c, 4));
            }
        }
        if (s.length() > end) {
            out.append("...");
        }
        return out.toString();
    }

    private static boolean printable(int c) {
        if (c >= 0x20 && c < 0x7f) {
            return true;
        }
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
            default -> true;
        };
    }

    private static String hex(int c, int digits) {
        String h = Integer.toHexString(c);
        return "0".repeat(Math.max(0, digits - h.length())) + h;
    }
}
