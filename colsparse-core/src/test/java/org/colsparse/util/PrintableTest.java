package org.colsparse.util;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrintableTest {
    @Test
    void cutsAndEscapesWhatATerminalWouldActOn() {
        assertEquals("LD 0x10", Printable.excerpt("LD 0x10"));
        // an ANSI colour sequence, a bell, a line break and a carriage return
        assertEquals("\\x1b[31mred\\x1b[0m\\x07\\n\\r\\t", Printable.excerpt("\u001b[31mred\u001b[0m\u0007\n\r\t"));
        // C1 controls, bidi overrides and line separators are invisible or reorder the line
        assertEquals("a\\x85b\\u202ec\\u2028d", Printable.excerpt("a\u0085b\u202ec\u2028d"));
        // printable non-ASCII stays as it is, a valid surrogate pair too
        assertEquals("gr\u00fc\u00dfe \u03b1 \ud83d\ude00", Printable.excerpt("gr\u00fc\u00dfe \u03b1 \ud83d\ude00"));
        // a lone surrogate is not a character
        assertEquals("x\\ud800y", Printable.excerpt("x\ud800y"));
        assertEquals("a".repeat(100) + "...", Printable.excerpt("a".repeat(50_000_000)));
        assertEquals("abc...", Printable.excerpt("abcdef", 3));
        assertEquals("null", Printable.excerpt(null));
    }
}
