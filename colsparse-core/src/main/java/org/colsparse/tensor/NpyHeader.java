package org.colsparse.tensor;

import org.colsparse.util.InputException;
import org.colsparse.util.Printable;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The header of a NumPy {@code .npy} array (format versions 1.0, 2.0 and 3.0): magic, version,
 * header length, then a Python dict literal with exactly the keys descr, fortran_order and shape.
 */
record NpyHeader(DType dtype, ByteOrder order, boolean fortranOrder, long[] shape, long dataOffset) {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy 2's own limit on dimensions (NPY_MAXDIMS; NumPy 1 allowed 32). */
    static final int MAX_RANK = 64;

    long elementCount() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    long dataBytes() {
        return Math.multiplyExact(elementCount(), dtype.bytes());
    }

    /** Parses and validates the header at the start of {@code src}; {@code where} names the file in errors. */
    static NpyHeader parse(ByteSource src, String where) {
        if (src.length() < 10) {
            throw new InputException(where + ": not a .npy file (only " + src.length() + " bytes)");
        }
        byte[] pre = src.bytes(0, 10);
        for (int i = 0; i < MAGIC.length; i++) {
            if (pre[i] != MAGIC[i]) {
                throw new InputException(where + ": not a .npy file (bad magic)");
            }
        }
        int major = pre[6] & 0xff;
        int minor = pre[7] & 0xff;
        long headerLen;
        int prefix;
        if (major == 1) {
            headerLen = ByteBuffer.wrap(pre, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
            prefix = 10;
        } else if (major == 2 || major == 3) {
            if (src.length() < 12) {
                throw new InputException(where + ": truncated .npy header");
            }
            headerLen = ByteBuffer.wrap(src.bytes(8, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            prefix = 12;
        } else {
            throw new InputException(where + ": unsupported .npy format version " + major + "." + minor);
        }
        if (minor != 0) {
            throw new InputException(where + ": unsupported .npy format version " + major + "." + minor);
        }
        if (prefix + headerLen > src.length()) {
            throw new InputException(where + ": truncated .npy header (needs " + (prefix + headerLen)
                    + " bytes, file has " + src.length() + ")");
        }
        if (headerLen > 1 << 24) {
            throw new InputException(where + ": implausible .npy header length " + headerLen);
        }
        // version 3.0 differs from 2.0 only in allowing UTF-8 in the header
        String text = new String(src.bytes(prefix, (int) headerLen),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new Literal(text, where).dict();
        if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
            throw new InputException(where + ": .npy header must have exactly the keys descr, fortran_order, shape; has "
                    + Printable.excerpt(dict.keySet().toString()));
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new InputException(where + ": .npy descr is not a simple type string (structured arrays are not supported): "
                    + Printable.excerpt(String.valueOf(dict.get("descr"))));
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortran)) {
            throw new InputException(where + ": .npy fortran_order is not True/False");
        }
        if (!(dict.get("shape") instanceof List<?> dims)) {
            throw new InputException(where + ": .npy shape is not a tuple");
        }
        if (dims.size() > MAX_RANK) {
            throw new InputException(where + ": .npy shape has " + dims.size() + " dimensions (at most " + MAX_RANK + ")");
        }
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!(dims.get(i) instanceof Long d) || d < 0) {
                throw new InputException(where + ": .npy shape " + Printable.excerpt(dims.toString()) + " has an invalid dimension");
            }
            shape[i] = d;
        }
        DType dtype = dtype(descr, where);
        ByteOrder order = switch (descr.charAt(0)) {
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> ByteOrder.LITTLE_ENDIAN;
        };
        NpyHeader h = new NpyHeader(dtype, order, fortran, shape, prefix + headerLen);
        try {
            h.dataBytes();
        } catch (ArithmeticException e) {
            throw new InputException(where + ": .npy shape " + Printable.excerpt(dims.toString()) + " is too large");
        }
        return h;
    }

    private static DType dtype(String descr, String where) {
        if (descr.length() != 3 || "<>|=".indexOf(descr.charAt(0)) < 0) {
            throw new InputException(where + ": unsupported .npy dtype '" + Printable.excerpt(descr) + "'");
        }
        DType t = switch (descr.substring(1)) {
            case "f2" -> DType.F16;
            case "f4" -> DType.F32;
            case "f8" -> DType.F64;
            case "i1" -> DType.I8;
            case "u1" -> DType.U8;
            case "i2" -> DType.I16;
            case "i4" -> DType.I32;
            case "i8" -> DType.I64;
            case "b1" -> DType.BOOL;
            default -> throw new InputException(where + ": unsupported .npy dtype '" + Printable.excerpt(descr)
                    + "' (supported: f2 f4 f8 i1 u1 i2 i4 i8 b1, either byte order)");
        };
        if (descr.charAt(0) == '|' && t.bytes() != 1) {
            throw new InputException(where + ": .npy dtype '" + Printable.excerpt(descr) + "' has no byte order");
        }
        return t;
    }

    /** The Python literal subset numpy writes: dicts, tuples, lists, strings, ints, True/False/None. */
    private static final class Literal {
        private final String s;
        private final String where;
        private int i;
        private int depth;

        Literal(String s, String where) {
            this.s = s;
            this.where = where;
        }

        Map<String, Object> dict() {
            skipSpace();
            Object v = value();
            skipSpace();
            if (i != s.length()) {
                throw error("trailing characters");
            }
            if (!(v instanceof Map<?, ?> m)) {
                throw error("header is not a dict");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, val) -> out.put((String) k, val));
            return out;
        }

        private Object value() {
            skipSpace();
            if (i >= s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            if ((c == '{' || c == '(' || c == '[') && ++depth > 8) {
                throw error("nested too deeply");
            }
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                while (true) {
                    skipSpace();
                    if (peek('}')) {
                        i++;
                        return m;
                    }
                    if (!(value() instanceof String key)) {
                        throw error("dict key is not a string");
                    }
                    skipSpace();
                    expect(':');
                    if (m.put(key, value()) != null) {
                        throw error("duplicate key '" + Printable.excerpt(key) + "'");
                    }
                    skipSpace();
                    if (!peek('}')) {
                        expect(',');
                    }
                }
            }
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                i++;
                List<Object> items = new ArrayList<>();
                while (true) {
                    skipSpace();
                    if (peek(close)) {
                        i++;
                        return items;
                    }
                    items.add(value());
                    skipSpace();
                    if (!peek(close)) {
                        expect(',');
                    }
                }
            }
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) {
                    throw error("unterminated string");
                }
                String v = s.substring(i + 1, end);
                if (v.indexOf('\\') >= 0) {
                    throw error("escapes in strings are not supported");
                }
                i = end + 1;
                return v;
            }
            if (Character.isDigit(c) || c == '-') {
                int start = i++;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                String digits = s.substring(start, i);
                if (i < s.length() && s.charAt(i) == 'L') {
                    i++; // Python 2 long suffix in old headers
                }
                try {
                    return Long.parseLong(digits);
                } catch (NumberFormatException e) {
                    throw error("bad integer '" + Printable.excerpt(digits) + "'");
                }
            }
            for (String word : new String[] {"True", "False", "None"}) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("None") ? null : Boolean.valueOf(word.equals("True"));
                }
            }
            throw error("unexpected '" + Printable.excerpt(String.valueOf(c)) + "'");
        }

        private boolean peek(char c) {
            return i < s.length() && s.charAt(i) == c;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected '" + c + "'");
            }
            i++;
        }

        private void skipSpace() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private InputException error(String what) {
            return new InputException(where + ": malformed .npy header at character " + i + ": " + what);
        }
    }
}
