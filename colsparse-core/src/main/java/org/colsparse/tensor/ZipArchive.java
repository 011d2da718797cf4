package org.colsparse.tensor;

import org.colsparse.util.InputException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A zip archive read from its central directory (ZIP64 included) over a memory-mapped file. Stored
 * entries are views of the mapping, never copied. Deflated entries are inflated whole into heap
 * memory the first time their bytes are needed (so at most 2 GiB each) and their CRC is checked.
 */
final class ZipArchive {
    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    static final int STORED = 0;
    static final int DEFLATED = 8;

    record Entry(String name, int method, long crc, long compressedSize, long size, long dataOffset) {
    }

    private final String file;
    private final ByteSource bytes;
    private final Map<String, Entry> entries;
    private final Map<String, ByteSource> inflated = new ConcurrentHashMap<>();

    private ZipArchive(String file, ByteSource bytes, Map<String, Entry> entries) {
        this.file = file;
        this.bytes = bytes;
        this.entries = entries;
    }

    static boolean looksLikeZip(ByteSource b) {
        return b.length() >= 4 && le(b, 0, 4) == LOCAL;
    }

    static ZipArchive read(String file, ByteSource b) {
        long len = b.length();
        long eocd = -1;
        for (long p = len - 22; p >= Math.max(0, len - 22 - 65535); p--) {
            if (le(b, p, 4) == EOCD) {
                eocd = p;
                break;
            }
        }
        if (eocd < 0) {
            throw new InputException(file + ": not a zip archive or truncated (no end-of-central-directory record)");
        }
        long count = le(b, eocd + 10, 2);
        long cdSize = le(b, eocd + 12, 4);
        long cdOffset = le(b, eocd + 16, 4);
        if (count == 0xffff || cdSize == 0xffffffffL || cdOffset == 0xffffffffL) {
            long loc = eocd - 20;
            if (loc < 0 || le(b, loc, 4) != ZIP64_LOCATOR) {
                throw new InputException(file + ": zip64 archive without a zip64 locator");
            }
            long z = le(b, loc + 8, 8);
            if (z < 0 || z + 56 > len || le(b, z, 4) != ZIP64_EOCD) {
                throw new InputException(file + ": corrupt zip64 end-of-central-directory record");
            }
            count = le(b, z + 32, 8);
            cdSize = le(b, z + 40, 8);
            cdOffset = le(b, z + 48, 8);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > len) {
            throw new InputException(file + ": zip central directory lies beyond the end of the file (truncated?)");
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        long p = cdOffset;
        for (long i = 0; i < count; i++) {
            if (p + 46 > cdOffset + cdSize || le(b, p, 4) != CENTRAL) {
                throw new InputException(file + ": corrupt zip central directory (entry " + i + ")");
            }
            int flags = (int) le(b, p + 8, 2);
            int method = (int) le(b, p + 10, 2);
            long crc = le(b, p + 16, 4);
            long comp = le(b, p + 20, 4);
            long size = le(b, p + 24, 4);
            int nameLen = (int) le(b, p + 28, 2);
            int extraLen = (int) le(b, p + 30, 2);
            int commentLen = (int) le(b, p + 32, 2);
            long local = le(b, p + 42, 4);
            if (p + 46 + nameLen + extraLen + commentLen > cdOffset + cdSize) {
                throw new InputException(file + ": corrupt zip central directory (entry " + i + ")");
            }
            String name = new String(b.bytes(p + 46, nameLen), StandardCharsets.UTF_8);
            // ZIP64 extra field: the 64-bit values, present only for fields saturated above
            long e = p + 46 + nameLen;
            long eEnd = e + extraLen;
            while (e + 4 <= eEnd) {
                int id = (int) le(b, e, 2);
                int sz = (int) le(b, e + 2, 2);
                long q = e + 4;
                if (id == 0x0001) {
                    if (size == 0xffffffffL && q + 8 <= e + 4 + sz) {
                        size = le(b, q, 8);
                        q += 8;
                    }
                    if (comp == 0xffffffffL && q + 8 <= e + 4 + sz) {
                        comp = le(b, q, 8);
                        q += 8;
                    }
                    if (local == 0xffffffffL && q + 8 <= e + 4 + sz) {
                        local = le(b, q, 8);
                    }
                }
                e += 4 + sz;
            }
            p += 46 + nameLen + extraLen + commentLen;
            if ((flags & 1) != 0) {
                throw new InputException(file + ": zip entry '" + name + "' is encrypted");
            }
            if (name.endsWith("/")) {
                continue;
            }
            if (method != STORED && method != DEFLATED) {
                throw new InputException(file + ": zip entry '" + name + "' uses compression method " + method
                        + " (only stored and deflated are supported)");
            }
            if (local < 0 || local + 30 > len || le(b, local, 4) != LOCAL) {
                throw new InputException(file + ": zip entry '" + name + "' has no local header (truncated or corrupt)");
            }
            long data = local + 30 + le(b, local + 26, 2) + le(b, local + 28, 2);
            if (comp < 0 || size < 0 || data + comp > len) {
                throw new InputException(file + ": zip entry '" + name + "' extends beyond the end of the file (truncated?)");
            }
            if (method == STORED && comp != size) {
                throw new InputException(file + ": stored zip entry '" + name + "' has compressed size " + comp
                        + " but size " + size);
            }
            if (out.put(name, new Entry(name, method, crc, comp, size, data)) != null) {
                throw new InputException(file + ": zip entry '" + name + "' appears twice");
            }
        }
        return new ZipArchive(file, b, Collections.unmodifiableMap(out));
    }

    List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    Entry entry(String name) {
        return entries.get(name);
    }

    /** The entry's uncompressed bytes: a view for stored entries, inflated once for deflated ones. */
    ByteSource bytes(Entry e) {
        if (e.method() == STORED) {
            return bytes.slice(e.dataOffset(), e.size());
        }
        return inflated.computeIfAbsent(e.name(), k -> ByteSource.of(inflate(e, e.size(), true)));
    }

    /** The first {@code n} uncompressed bytes (fewer if the entry is shorter), without inflating all of it. */
    byte[] prefix(Entry e, int n) {
        int want = (int) Math.min(n, e.size());
        if (e.method() == STORED) {
            return bytes.bytes(e.dataOffset(), want);
        }
        ByteSource done = inflated.get(e.name());
        return done != null ? done.bytes(0, want) : inflate(e, want, false);
    }

    private byte[] inflate(Entry e, long want, boolean whole) {
        String where = file + ": zip entry '" + e.name() + "'";
        if (want > Integer.MAX_VALUE - 16) {
            throw new InputException(where + " inflates to " + want
                    + " bytes; deflated entries above 2 GiB are not supported (store it uncompressed)");
        }
        byte[] out = new byte[(int) want];
        Inflater inf = new Inflater(true);
        try {
            long in = 0;
            int got = 0;
            while (got < out.length) {
                if (inf.needsInput()) {
                    if (in >= e.compressedSize()) {
                        throw new InputException(where + " is truncated (deflate stream ends early)");
                    }
                    ByteBuffer s = bytes.span(e.dataOffset() + in, Math.min(1 << 20, e.compressedSize() - in));
                    in += s.remaining();
                    inf.setInput(s);
                }
                int n = inf.inflate(out, got, out.length - got);
                got += n;
                if (n == 0 && (inf.finished() || inf.needsDictionary())) {
                    throw new InputException(where + " inflates to " + got + " bytes, header says " + e.size());
                }
            }
            if (whole) {
                CRC32 crc = new CRC32();
                crc.update(out);
                if (crc.getValue() != e.crc()) {
                    throw new InputException(where + " is corrupt (CRC mismatch)");
                }
            }
            return out;
        } catch (DataFormatException ex) {
            throw new InputException(where + " is corrupt (" + ex.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    private static long le(ByteSource b, long pos, int n) {
        if (pos < 0 || pos + n > b.length()) {
            return -1;
        }
        ByteBuffer s = ByteBuffer.wrap(b.bytes(pos, n)).order(ByteOrder.LITTLE_ENDIAN);
        return switch (n) {
            case 2 -> s.getShort() & 0xffff;
            case 4 -> s.getInt() & 0xffffffffL;
            default -> s.getLong();
        };
    }
}
