package org.colsparse.tensor;

import org.colsparse.util.InputException;
import org.colsparse.util.Printable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A zip archive read from its central directory (ZIP64 included) over a memory-mapped file. Stored
 * entries are views of the mapping, never copied. A deflated entry is inflated the first time its
 * bytes are needed and its CRC is checked: into the heap when it is small (a cache of at most
 * {@link #HEAP_CACHE} bytes, the least recently used entry dropped first), else into a temporary
 * file that is memory-mapped and deleted at once, so an entry of any size is read without holding
 * it on the heap.
 *
 * <p>A zip bomb is refused when the archive is read, before anything is inflated: deflate can
 * shrink zeros 1,032 times, so 8 MB of a hostile file claimed 8 GiB. Beyond a grace of
 * {@link #ENTRY_GRACE} bytes an entry may inflate to at most {@link #MAX_RATIO} times its
 * compressed size, all deflated entries together likewise beyond {@link #ARCHIVE_GRACE}, and to at
 * most {@link #MAX_INFLATED} bytes in all. Real arrays compress 1-10 times (float activations
 * barely at all, boolean masks about ten times); np.savez stores them uncompressed, and torch.save
 * always does.
 */
final class ZipArchive {
    /** Entries in the central directory: a torch.save checkpoint has one per storage (SD 1.5: ~1,100), an .npz one per array. */
    static final long MAX_ENTRIES = 1L << 20;
    static final long MAX_RATIO = 100;
    static final long ENTRY_GRACE = 64L << 20;
    static final long ARCHIVE_GRACE = 256L << 20;
    /** Inflated bytes of one archive (disk space for the temporary files): np.savez_compressed of more is not a use case. */
    static final long MAX_INFLATED = 16L << 30;
    /** Deflated entries up to this size are inflated into the heap, larger ones into a temporary file. */
    static final long HEAP_ENTRY = 64L << 20;
    static final long HEAP_CACHE = 256L << 20;
    private static final int INFLATE_BUFFER = 1 << 20;

    private static final int EOCD = 0x06054b50;
    private static final int ZIP64_LOCATOR = 0x07064b50;
    private static final int ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50;
    private static final int LOCAL = 0x04034b50;
    static final int STORED = 0;
    static final int DEFLATED = 8;

    /** {@code localOffset}: where the entry's local header starts; its data runs from {@code dataOffset} for {@code compressedSize} bytes. */
    record Entry(String name, int method, long crc, long compressedSize, long size, long localOffset, long dataOffset) {
    }

    private final String file;
    private final ByteSource bytes;
    private final Map<String, Entry> entries;
    private final long heapEntry;
    /** Small inflated entries, least recently used first; guarded by this. */
    private final LinkedHashMap<String, ByteSource> inHeap = new LinkedHashMap<>(16, 0.75f, true);
    private long inHeapBytes;
    /** Large inflated entries: mappings of deleted temporary files, so no heap and nothing left behind. */
    private final Map<String, ByteSource> inFile = new ConcurrentHashMap<>();

    private ZipArchive(String file, ByteSource bytes, Map<String, Entry> entries, long heapEntry) {
        this.file = file;
        this.bytes = bytes;
        this.entries = entries;
        this.heapEntry = heapEntry;
    }

    static boolean looksLikeZip(ByteSource b) {
        return b.length() >= 4 && le(b, 0, 4) == LOCAL;
    }

    static ZipArchive read(String file, ByteSource b) {
        return read(file, b, HEAP_ENTRY);
    }

    /** {@code heapEntry}: largest entry inflated into the heap; tests send small entries through a file. */
    static ZipArchive read(String file, ByteSource b, long heapEntry) {
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
            if (z < 0 || z > len - 56 || le(b, z, 4) != ZIP64_EOCD) {
                throw new InputException(file + ": corrupt zip64 end-of-central-directory record");
            }
            count = le(b, z + 32, 8);
            cdSize = le(b, z + 40, 8);
            cdOffset = le(b, z + 48, 8);
        }
        // subtractions, not sums: the 64-bit fields of a hostile file overflowed a sum into a pass
        if (cdOffset < 0 || cdSize < 0 || cdSize > len - cdOffset) {
            throw new InputException(file + ": zip central directory lies beyond the end of the file (truncated?)");
        }
        if (count < 0 || count > MAX_ENTRIES) {
            throw new InputException(file + ": zip central directory lists " + Long.toUnsignedString(count)
                    + " entries (at most " + MAX_ENTRIES + " are read)");
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
            String shown = Printable.excerpt(name);
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
                throw new InputException(file + ": zip entry '" + shown + "' is encrypted");
            }
            if (name.endsWith("/")) {
                continue;
            }
            if (method != STORED && method != DEFLATED) {
                throw new InputException(file + ": zip entry '" + shown + "' uses compression method " + method
                        + " (only stored and deflated are supported)");
            }
            if (local < 0 || local > len - 30 || le(b, local, 4) != LOCAL) {
                throw new InputException(file + ": zip entry '" + shown + "' has no local header (truncated or corrupt)");
            }
            long data = local + 30 + le(b, local + 26, 2) + le(b, local + 28, 2);
            if (comp < 0 || size < 0 || data > len || comp > len - data) {
                throw new InputException(file + ": zip entry '" + shown + "' extends beyond the end of the file (truncated?)");
            }
            if (method == STORED && comp != size) {
                throw new InputException(file + ": stored zip entry '" + shown + "' has compressed size " + comp
                        + " but size " + size);
            }
            if (out.put(name, new Entry(name, method, crc, comp, size, local, data)) != null) {
                throw new InputException(file + ": zip entry '" + shown + "' appears twice");
            }
        }
        checkNoOverlap(file, out.values());
        checkInflation(file, out.values());
        return new ZipArchive(file, b, Collections.unmodifiableMap(out), heapEntry);
    }

    /**
     * Entries whose data overlap are how a zip bomb multiplies one compressed stream into many
     * entries; no zip writer produces them.
     */
    private static void checkNoOverlap(String file, Collection<Entry> entries) {
        List<Entry> byStart = new ArrayList<>(entries);
        byStart.sort(Comparator.comparingLong(Entry::localOffset));
        for (int i = 1; i < byStart.size(); i++) {
            Entry prev = byStart.get(i - 1);
            Entry e = byStart.get(i);
            if (e.localOffset() < prev.dataOffset() + prev.compressedSize()) {
                throw new InputException(file + ": zip entries '" + Printable.excerpt(prev.name()) + "' and '"
                        + Printable.excerpt(e.name()) + "' overlap (corrupt, or a zip bomb)");
            }
        }
    }

    /** The zip-bomb limits of the class comment, on the sizes the directory claims (nothing is inflated yet). */
    private static void checkInflation(String file, Iterable<Entry> entries) {
        long size = 0;
        long comp = 0;
        for (Entry e : entries) {
            if (e.method() != DEFLATED) {
                continue;
            }
            if ((e.size() - ENTRY_GRACE) / MAX_RATIO > e.compressedSize()) {
                throw new InputException(file + ": zip entry '" + Printable.excerpt(e.name()) + "' claims to inflate "
                        + e.compressedSize() + " bytes to " + e.size() + " (" + ratio(e.size(), e.compressedSize())
                        + "); beyond " + (ENTRY_GRACE >> 20) + " MiB at most " + MAX_RATIO + ":1 is read (a zip bomb?)");
            }
            comp += e.compressedSize(); // entries do not overlap: at most the file's length
            if (e.size() > MAX_INFLATED - size) {
                throw new InputException(file + ": deflated zip entries inflate to more than " + (MAX_INFLATED >> 30)
                        + " GiB in all (at most that is read; store large arrays uncompressed, e.g. np.savez)");
            }
            size += e.size();
        }
        if ((size - ARCHIVE_GRACE) / MAX_RATIO > comp) {
            throw new InputException(file + ": deflated zip entries claim to inflate " + comp + " bytes to " + size
                    + " (" + ratio(size, comp) + "); beyond " + (ARCHIVE_GRACE >> 20) + " MiB at most " + MAX_RATIO
                    + ":1 is read (a zip bomb?)");
        }
    }

    private static String ratio(long size, long comp) {
        return comp == 0 ? "from nothing" : (size / comp) + ":1";
    }

    List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    Entry entry(String name) {
        return entries.get(name);
    }

    /** The entry's uncompressed bytes: a view for stored entries, inflated once for deflated ones (see the class comment). */
    ByteSource bytes(Entry e) {
        if (e.method() == STORED) {
            return bytes.slice(e.dataOffset(), e.size());
        }
        if (e.size() > heapEntry) {
            return inFile.computeIfAbsent(e.name(), k -> inflateToFile(e));
        }
        return inHeap(e);
    }

    private synchronized ByteSource inHeap(Entry e) {
        ByteSource done = inHeap.get(e.name());
        if (done != null) {
            return done;
        }
        done = ByteSource.of(inflate(e, e.size(), true));
        inHeap.put(e.name(), done);
        inHeapBytes += e.size();
        // readers still holding a dropped entry keep it alive until they finish; it is inflated again if needed
        for (Iterator<Map.Entry<String, ByteSource>> it = inHeap.entrySet().iterator(); inHeapBytes > HEAP_CACHE && inHeap.size() > 1; ) {
            inHeapBytes -= it.next().getValue().length();
            it.remove();
        }
        return done;
    }

    /** The first {@code n} uncompressed bytes (fewer if the entry is shorter), without inflating all of it. */
    byte[] prefix(Entry e, int n) {
        int want = (int) Math.min(n, e.size());
        if (e.method() == STORED) {
            return bytes.bytes(e.dataOffset(), want);
        }
        return inflate(e, want, false);
    }

    private interface Sink {
        void write(byte[] b, int len) throws IOException;
    }

    private byte[] inflate(Entry e, long want, boolean whole) {
        if (want > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("entries above " + HEAP_ENTRY + " bytes are inflated into a file");
        }
        byte[] out = new byte[(int) want];
        int[] at = {0};
        try {
            inflate(e, want, whole, (b, len) -> {
                System.arraycopy(b, 0, out, at[0], len);
                at[0] += len;
            });
        } catch (IOException ex) {
            throw new IllegalStateException("a heap buffer cannot fail to be written", ex);
        }
        return out;
    }

    /** Inflates to a temporary file, maps it and deletes it: the mapping keeps the bytes readable, and nothing is left behind. */
    private ByteSource inflateToFile(Entry e) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("colsparse-inflate-", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                inflate(e, e.size(), true, (b, len) -> {
                    ByteBuffer buf = ByteBuffer.wrap(b, 0, len);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                });
                return ByteSource.map(ch, e.size());
            }
        } catch (IOException ex) {
            throw new InputException(where(e) + " (" + e.size() + " bytes) cannot be inflated into a temporary file in "
                    + System.getProperty("java.io.tmpdir") + ": " + ex.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ex) {
                    tmp.toFile().deleteOnExit(); // a system that cannot delete a mapped file
                }
            }
        }
    }

    private String where(Entry e) {
        return file + ": zip entry '" + Printable.excerpt(e.name()) + "'";
    }

    /** Inflates the first {@code want} bytes of the entry into {@code sink} a buffer at a time; {@code whole}: all of it, CRC checked. */
    private void inflate(Entry e, long want, boolean whole, Sink sink) throws IOException {
        String where = where(e);
        byte[] buf = new byte[(int) Math.min(INFLATE_BUFFER, Math.max(want, 1))];
        CRC32 crc = new CRC32();
        Inflater inf = new Inflater(true);
        try {
            long in = 0;
            long got = 0;
            while (got < want) {
                if (inf.needsInput()) {
                    if (in >= e.compressedSize()) {
                        throw new InputException(where + " is truncated (deflate stream ends early)");
                    }
                    ByteBuffer s = bytes.span(e.dataOffset() + in, Math.min(1 << 20, e.compressedSize() - in));
                    in += s.remaining();
                    inf.setInput(s);
                }
                int n = inf.inflate(buf, 0, (int) Math.min(buf.length, want - got));
                if (n == 0 && (inf.finished() || inf.needsDictionary())) {
                    throw new InputException(where + " inflates to " + got + " bytes, header says " + e.size());
                }
                if (n > 0) {
                    crc.update(buf, 0, n);
                    sink.write(buf, n);
                    got += n;
                }
            }
            if (whole && crc.getValue() != e.crc()) {
                throw new InputException(where + " is corrupt (CRC mismatch)");
            }
        } catch (DataFormatException ex) {
            throw new InputException(where + " is corrupt (" + ex.getMessage() + ")");
        } finally {
            inf.end();
        }
    }

    private static long le(ByteSource b, long pos, int n) {
        if (pos < 0 || pos > b.length() - n) {
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
