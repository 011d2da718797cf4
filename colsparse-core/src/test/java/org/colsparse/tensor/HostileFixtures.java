package org.colsparse.tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The crafted files of issue 22's hostile-input campaign, built byte by byte (no Python, no torch).
 * The small ones are committed in {@code src/test/resources/hostile/} for the CLI's tests too;
 * {@code HostileCheckpointTest} checks that they are what this class builds, and running
 * {@link #main} writes them again. The zip bombs are real: valid deflate streams with correct
 * CRCs, a megabyte per GiB of zeros, built here in milliseconds ({@link #zerosDeflate}).
 */
final class HostileFixtures {
    static final Path DIR = Path.of("src/test/resources/hostile");

    private HostileFixtures() {
    }

    /** Writes every committed fixture into {@link #DIR} (run from the colsparse-core directory). */
    public static void main(String[] args) throws IOException {
        Files.createDirectories(DIR);
        for (Map.Entry<String, byte[]> e : committed().entrySet()) {
            Files.write(DIR.resolve(e.getKey()), e.getValue());
        }
    }

    /** File name to bytes of every committed fixture, each a few hundred bytes but the two 1 MB bombs. */
    static Map<String, byte[]> committed() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("long4.pt", torch(dict("big", long4(2048))));
        m.put("memo-dag.pt", torch(memoDag(60)));
        m.put("container-dag.pt", torch(containerDag(60)));
        m.put("long-names.pt", torch(longNames(300_000, 60)));
        m.put("copy-bomb.pt", torch(copyBomb(100_000, 10_000)));
        m.put("stride0.pt", torch(dict("w", tensor(new long[] {1L << 40, 1L << 20}, new long[] {0, 0}, 1, 0))));
        m.put("self-key.pt", torch(selfKey()));
        m.put("deep-key.pt", torch(deepKey(10_000)));
        m.put("count-overflow.pt", torch(dict("w", tensor(new long[] {1L << 62}, new long[] {1}, 1L << 62, 0)), new byte[0]));
        // 5b: offset 2^62 in a storage of 2^62 + 6 floats, whose byte size wrapped to 24
        m.put("offset-wrap.pt", torch(dict("w", tensor(new long[] {6}, new long[] {1}, (1L << 62) + 6, 1L << 62))));
        m.put("bomb-1gib.npz", zerosNpz(1, 1L << 30));
        m.put("bomb-1gib.pt", zerosTorch(1L << 30));
        return m;
    }

    // ------------------------------------------------------------------ pickles (protocol 2, by hand)

    private static final byte[] SIX_FLOATS = floats(1, 2, 3, 4, 5, 6);

    /** A torch.save zip: archive/data.pkl, archive/byteorder, archive/data/0 (six floats 1..6 unless given). */
    static byte[] torch(byte[] pickle, byte[]... storage0) {
        List<RawZip.Item> items = new ArrayList<>();
        items.add(RawZip.stored("archive/data.pkl", pickle));
        items.add(RawZip.stored("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII)));
        items.add(RawZip.stored("archive/data/0", storage0.length > 0 ? storage0[0] : SIX_FLOATS));
        return RawZip.write(items);
    }

    /** {key: value} around a value's opcodes. */
    static byte[] dict(String key, byte[] value) {
        Pickle p = new Pickle().proto().op('}', '(').str(key).raw(value).op('u', '.');
        return p.bytes();
    }

    /** An integer of {@code n} bytes (LONG4). */
    static byte[] long4(int n) {
        byte[] v = new byte[n];
        java.util.Arrays.fill(v, (byte) 0x55);
        return new Pickle().op(0x8b).i32(n).raw(v).bytes();
    }

    /** _rebuild_tensor_v2 of storage '0' (F32, {@code numel} elements) with the given view. */
    static byte[] tensor(long[] size, long[] stride, long numel, long offset) {
        Pickle p = new Pickle().ascii("ctorch._utils\n_rebuild_tensor_v2\n((").str("storage")
                .ascii("ctorch\nFloatStorage\n").str("0").str("cpu").integer(numel).op('t', 'Q').integer(offset);
        p.op('(');
        for (long s : size) {
            p.integer(s);
        }
        p.op('t', '(');
        for (long s : stride) {
            p.integer(s);
        }
        return p.op('t', 0x89, '}', 't', 'R').bytes();
    }

    static long[] ones(int n) {
        long[] v = new long[n];
        java.util.Arrays.fill(v, 1);
        return v;
    }

    /** t0 = a tensor; t(i+1) = (t(i), t(i)) through the memo: 2^levels paths to one tensor in ~6 bytes a level. */
    static byte[] memoDag(int levels) {
        Pickle p = new Pickle().proto().raw(tensor(new long[] {6}, new long[] {1}, 6, 0)).op('q', 0);
        for (int i = 0; i < levels; i++) {
            p.op('0', 'h', i, 'h', i, 0x86, 'q', i + 1);
        }
        return p.op('.').bytes();
    }

    /** The same with lists of nothing at the bottom: no tensor, only paths. */
    static byte[] containerDag(int levels) {
        Pickle p = new Pickle().proto().op(']', 'q', 0);
        for (int i = 0; i < levels; i++) {
            p.op('0', '(', 'h', i, 'h', i, 'l', 'q', i + 1);
        }
        return p.op('.').bytes();
    }

    /** {k: {k: ... {"w": tensor}}}, {@code levels} deep with one memoized key of {@code keyChars}: names of levels x keyChars. */
    static byte[] longNames(int keyChars, int levels) {
        Pickle p = new Pickle().proto().op('}').str("k".repeat(keyChars)).op('q', 0);
        for (int i = 1; i < levels; i++) {
            p.op('}', 'h', 0);
        }
        p.op('}', '(').str("w").raw(tensor(new long[] {6}, new long[] {1}, 6, 0)).op('u');
        for (int i = 0; i < levels; i++) {
            p.op('s');
        }
        return p.op('.').bytes();
    }

    /** A list of {@code n} items copied {@code times} times by list(x), the copies kept: n x times items from 7 bytes a copy. */
    static byte[] copyBomb(int n, int times) {
        Pickle p = new Pickle().proto().op(']', '(');
        for (int i = 0; i < n; i++) {
            p.op('N');
        }
        p.op('e', 'q', 0, '0').ascii("c__builtin__\nlist\n").op('q', 1, '0', ']');
        for (int i = 0; i < times; i++) {
            p.op('h', 1, 'h', 0, 0x85, 'R', 'a');
        }
        return p.op('.').bytes();
    }

    /** l = []; t = (l,); l.append(t); {t: 1}: a key that contains itself. */
    static byte[] selfKey() {
        return new Pickle().proto().op('}', ']', 'q', 0, 'h', 0, 0x85, 'q', 1, 'a', '0', 'h', 1, 'K', 1, 's', '.').bytes();
    }

    /** {((((1,),),)...): 1}, {@code depth} tuples deep. */
    static byte[] deepKey(int depth) {
        Pickle p = new Pickle().proto().op('}', 'K', 1);
        for (int i = 0; i < depth; i++) {
            p.op(0x85);
        }
        return p.op('K', 1, 's', '.').bytes();
    }

    /** {"a": (None,)}: legitimate, and refused (a NullPointerException) before issue 22. */
    static byte[] noneTuple() {
        return dict("a", new Pickle().op('N', 0x85).bytes());
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /** Opcodes, written as a pickle is: small helpers, nothing clever. */
    static final class Pickle {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickle proto() {
            return op(0x80, 2);
        }

        Pickle op(int... ops) {
            for (int o : ops) {
                out.write(o);
            }
            return this;
        }

        Pickle raw(byte[] b) {
            out.writeBytes(b);
            return this;
        }

        Pickle ascii(String s) {
            return raw(s.getBytes(StandardCharsets.ISO_8859_1));
        }

        Pickle i32(int v) {
            return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }

        /** BINUNICODE. */
        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return op('X').i32(b.length).raw(b);
        }

        /** BININT1 below 256, else LONG1 of 8 bytes. */
        Pickle integer(long v) {
            if (v >= 0 && v < 256) {
                return op('K', (int) v);
            }
            return op(0x8a, 8).raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    // ------------------------------------------------------------------ zip bombs

    /** An .npz of {@code entries} deflated float32 arrays, each {@code bytes} of zeros after its .npy header. */
    static byte[] zerosNpz(int entries, long bytes) {
        long n = bytes / 4;
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + n + ",), }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        byte[] header = ByteBuffer.allocate(10 + dict.length() + pad + 1).order(ByteOrder.LITTLE_ENDIAN)
                .put(NpyHeader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) (dict.length() + pad + 1))
                .put((dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII)).array();
        byte[] stream = zerosDeflate(header, n * 4);
        long crc = zerosCrc(header, n * 4);
        List<RawZip.Item> items = new ArrayList<>();
        for (int i = 0; i < entries; i++) {
            items.add(new RawZip.Item("a" + i + ".npy", 8, crc, stream, header.length + n * 4));
        }
        return RawZip.write(items);
    }

    /** A torch.save zip whose storage '0' is {@code bytes} of deflated zeros, viewed as one float tensor "w". */
    static byte[] zerosTorch(long bytes) {
        byte[] pickle = dict("w", tensor(new long[] {bytes / 4}, new long[] {1}, bytes / 4, 0));
        List<RawZip.Item> items = new ArrayList<>();
        items.add(RawZip.stored("archive/data.pkl", pickle));
        items.add(RawZip.stored("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII)));
        items.add(new RawZip.Item("archive/data/0", 8, zerosCrc(new byte[0], bytes), zerosDeflate(new byte[0], bytes), bytes));
        return RawZip.write(items);
    }

    /**
     * A raw deflate stream of {@code prefix} (a stored block) then {@code zeros} zero bytes in one
     * dynamic-Huffman block whose only codes are literal 0, end of block and the match (length 258,
     * distance 1), the match being 1 bit and its distance 1 bit: 258 zeros cost 2 bits, and the
     * body of the block is nothing but zero bytes. (zlib itself reaches the same 1,032:1.)
     */
    static byte[] zerosDeflate(byte[] prefix, long zeros) {
        Bits b = new Bits();
        if (prefix.length > 0) {
            b.put(0, 1).put(0, 2).align();                 // not final, stored
            b.out.write(prefix.length & 0xff);
            b.out.write(prefix.length >>> 8);
            b.out.write(~prefix.length & 0xff);
            b.out.write((~prefix.length >>> 8) & 0xff);
            b.out.writeBytes(prefix);
        }
        b.put(1, 1).put(2, 2);                             // final, dynamic
        b.put(286 - 257, 5).put(0, 5).put(18 - 4, 4);      // HLIT, HDIST, HCLEN
        int[] order = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1};
        for (int sym : order) {
            b.put(sym == 18 ? 1 : sym == 1 || sym == 2 ? 2 : 0, 3);
        }
        // code-length codes, canonical: 18 -> 0, 1 -> 10, 2 -> 11
        b.huff(3, 2);                                      // literal 0: length 2
        b.huff(0, 1).put(138 - 11, 7).huff(0, 1).put(117 - 11, 7); // 1..255 unused
        b.huff(3, 2);                                      // 256 (end of block): length 2
        b.huff(0, 1).put(28 - 11, 7);                      // 257..284 unused
        b.huff(2, 2);                                      // 285 (length 258): length 1
        b.huff(2, 2);                                      // distance code 0: length 1
        // literal/length codes, canonical: 285 -> 0, literal 0 -> 10, 256 -> 11; distance 0 -> 0
        if (zeros > 0) {
            b.huff(2, 2);
            long matches = (zeros - 1) / 258;
            for (long i = (zeros - 1) % 258; i > 0; i--) {
                b.huff(2, 2);
            }
            for (; matches > 0 && b.n != 0; matches--) {
                b.put(0, 2);
            }
            b.out.write(new byte[(int) (matches / 4)], 0, (int) (matches / 4));
            for (long i = matches % 4; i > 0; i--) {
                b.put(0, 2);
            }
        }
        b.huff(3, 2);
        return b.align().out.toByteArray();
    }

    /** Bits of a deflate stream, least significant first; Huffman codes go most significant bit first. */
    private static final class Bits {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int n;

        Bits put(int v, int bits) {
            acc |= v << n;
            n += bits;
            while (n >= 8) {
                out.write(acc & 0xff);
                acc >>>= 8;
                n -= 8;
            }
            return this;
        }

        Bits huff(int code, int bits) {
            for (int i = bits - 1; i >= 0; i--) {
                put((code >>> i) & 1, 1);
            }
            return this;
        }

        Bits align() {
            if (n > 0) {
                out.write(acc & 0xff);
                acc = 0;
                n = 0;
            }
            return this;
        }
    }

    /** CRC-32 of {@code prefix} then {@code zeros} zero bytes, without the zeros: zlib's crc32_combine. */
    static long zerosCrc(byte[] prefix, long zeros) {
        CRC32 c = new CRC32();
        c.update(prefix);
        return combine(c.getValue(), crcOfZeros(zeros), zeros);
    }

    private static long crcOfZeros(long n) {
        long crc = 0; // of nothing
        CRC32 c = new CRC32();
        c.update(0);
        long one = c.getValue();
        for (int bit = 62; bit >= 0; bit--) {
            long len = n >>> bit;
            if (len == 0) {
                continue;
            }
            long half = len >>> 1;
            crc = combine(crc, crc, half); // zeros of length 2 * half
            if ((len & 1) != 0) {
                crc = combine(crc, one, 1);
            }
        }
        return crc;
    }

    /** CRC of A then B from their CRCs and B's length (zlib, crc32_combine). */
    private static long combine(long crc1, long crc2, long len2) {
        if (len2 <= 0) {
            return crc1;
        }
        long[] even = new long[32];
        long[] odd = new long[32];
        odd[0] = 0xedb88320L;
        long row = 1;
        for (int i = 1; i < 32; i++) {
            odd[i] = row;
            row <<= 1;
        }
        square(even, odd);
        square(odd, even);
        do {
            square(even, odd);
            if ((len2 & 1) != 0) {
                crc1 = times(even, crc1);
            }
            len2 >>= 1;
            if (len2 == 0) {
                break;
            }
            square(odd, even);
            if ((len2 & 1) != 0) {
                crc1 = times(odd, crc1);
            }
            len2 >>= 1;
        } while (len2 != 0);
        return crc1 ^ crc2;
    }

    private static long times(long[] mat, long vec) {
        long sum = 0;
        for (int i = 0; vec != 0; i++, vec >>>= 1) {
            if ((vec & 1) != 0) {
                sum ^= mat[i];
            }
        }
        return sum;
    }

    private static void square(long[] square, long[] mat) {
        for (int n = 0; n < 32; n++) {
            square[n] = times(mat, mat[n]);
        }
    }

    /** A zip written field by field (no timestamps, so the bytes are always the same), ZIP64 where sizes need it. */
    static final class RawZip {
        record Item(String name, int method, long crc, byte[] data, long size) {
        }

        static Item stored(String name, byte[] data) {
            CRC32 c = new CRC32();
            c.update(data);
            return new Item(name, 0, c.getValue(), data, data.length);
        }

        static byte[] write(List<Item> items) {
            ByteBuffer cd = ByteBuffer.allocate(items.size() * 200 + 1024).order(ByteOrder.LITTLE_ENDIAN);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Item it : items) {
                byte[] name = it.name().getBytes(StandardCharsets.UTF_8);
                long off = out.size();
                boolean z64 = it.size() >= 0xffffffffL;
                ByteBuffer local = ByteBuffer.allocate(30 + name.length + (z64 ? 20 : 0)).order(ByteOrder.LITTLE_ENDIAN);
                local.putInt(0x04034b50).putShort((short) 45).putShort((short) 0).putShort((short) it.method())
                        .putShort((short) 0).putShort((short) 0).putInt((int) it.crc())
                        .putInt(z64 ? -1 : it.data().length).putInt(z64 ? -1 : (int) it.size())
                        .putShort((short) name.length).putShort((short) (z64 ? 20 : 0)).put(name);
                if (z64) {
                    local.putShort((short) 1).putShort((short) 16).putLong(it.size()).putLong(it.data().length);
                }
                out.writeBytes(local.array());
                out.writeBytes(it.data());
                cd.putInt(0x02014b50).putShort((short) 45).putShort((short) 45).putShort((short) 0)
                        .putShort((short) it.method()).putShort((short) 0).putShort((short) 0).putInt((int) it.crc())
                        .putInt(z64 ? -1 : it.data().length).putInt(z64 ? -1 : (int) it.size())
                        .putShort((short) name.length).putShort((short) (z64 ? 20 : 0)).putShort((short) 0)
                        .putShort((short) 0).putShort((short) 0).putInt(0).putInt((int) off).put(name);
                if (z64) {
                    cd.putShort((short) 1).putShort((short) 16).putLong(it.size()).putLong(it.data().length);
                }
            }
            int cdOffset = out.size();
            out.write(cd.array(), 0, cd.position());
            ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
            end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) items.size())
                    .putShort((short) items.size()).putInt(cd.position()).putInt(cdOffset).putShort((short) 0);
            out.writeBytes(end.array());
            return out.toByteArray();
        }
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            return Files.write(dir.resolve(name), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
