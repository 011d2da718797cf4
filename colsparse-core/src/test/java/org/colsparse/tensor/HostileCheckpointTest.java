package org.colsparse.tensor;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import static org.colsparse.tensor.Fixtures.assertMessage;
import static org.colsparse.tensor.Fixtures.doubles;
import static org.colsparse.tensor.HostileFixtures.Pickle;
import static org.colsparse.tensor.HostileFixtures.RawZip;
import static org.colsparse.tensor.HostileFixtures.dict;
import static org.colsparse.tensor.HostileFixtures.tensor;
import static org.colsparse.tensor.HostileFixtures.torch;
import static org.colsparse.tensor.HostileFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 22's hostile checkpoints and archives (HostileFixtures): each is refused with one line
 * naming the file, in well under the time limit here (which only catches a hang: before the
 * limits each of these ran for minutes, overflowed the stack or ran out of heap), by both the
 * strict reader (inspect, analyze) and the weights reader (profile --checkpoint).
 */
class HostileCheckpointTest {
    private static final Duration QUICK = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    @Test
    void committedFixturesAreWhatTheGeneratorBuilds() throws IOException {
        for (Map.Entry<String, byte[]> e : HostileFixtures.committed().entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(HostileFixtures.DIR.resolve(e.getKey())),
                    e.getKey() + " differs from what HostileFixtures builds (run its main)");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "long4.pt          | pickle integer of 2048 bytes (at most 1024 are read)",
        "memo-dag.pt       | lists one tensor under more than 64 names",
        "long-names.pt     | walking the object tree takes more than 16777216 objects and name characters",
        "copy-bomb.pt      | pickle creates more than 8388608 objects",
        "stride0.pt        | views 1152921504606846976 elements of a storage of 1",
        "self-key.pt       | unsupported dict key type in pickle (a tuple holding a list of 1)",
        "deep-key.pt       | dict key tuple nested more than 16 deep",
        "count-overflow.pt | storage '0' declares 4611686018427387904 elements of F32, more bytes than any file holds",
        "offset-wrap.pt    | storage '0' declares 4611686018427387910 elements of F32",
        "bomb-1gib.npz     | zip entry 'a0.npy' claims to inflate",
        "bomb-1gib.pt      | zip entry 'archive/data/0' claims to inflate",
    })
    void committedHostileFilesAreRefusedQuicklyWithOneLine(String name, String fragment) {
        Path file = HostileFixtures.DIR.resolve(name);
        assertTimeoutPreemptively(QUICK, () -> {
            assertMessage(assertThrows(InputException.class, () -> TensorSources.open(file).close()), file, fragment);
            assertMessage(assertThrows(InputException.class, () -> TensorSources.openWeights(file).close()), file, fragment);
        });
    }

    @Test
    void aGraphOfSharedContainersIsWalkedOncePerContainer() {
        // 2^60 paths through 60 lists and no tensor: listed (as nothing) at once, not walked path by path
        Path file = HostileFixtures.DIR.resolve("container-dag.pt");
        assertTimeoutPreemptively(QUICK, () -> {
            try (TensorSource s = TensorSources.open(file)) {
                assertEquals(List.of(), s.tensors());
            }
        });
    }

    @Test
    void hugeIntegersAreRefusedBeforeTheyAreParsedOrPrinted() {
        // 20 MB integers: as a value (parsed for 6 s), a dict key (its name took minutes to print)
        // and a storage offset (printed in the error message)
        byte[] big = HostileFixtures.long4(20_000_000);
        Path value = write(tmp, "value.pt", torch(dict("a", big)));
        Path key = write(tmp, "key.pt", torch(new Pickle().proto().op('}').raw(big).op('K', 1, 's', '.').bytes()));
        byte[] t = dict("w", tensor(new long[] {6}, new long[] {1}, 6, 0));
        int at = indexOf(t, new byte[] {'t', 'Q', 'K', 0}) + 2; // the storage offset, K 0
        byte[] spliced = new Pickle().raw(Arrays.copyOf(t, at)).raw(big).raw(Arrays.copyOfRange(t, at + 2, t.length)).bytes();
        Path offset = write(tmp, "offset.pt", torch(spliced));
        assertTimeoutPreemptively(QUICK, () -> {
            for (Path p : List.of(value, key, offset)) {
                assertMessage(assertThrows(InputException.class, () -> TensorSources.open(p)), p,
                        "pickle integer of 20000000 bytes (at most 1024 are read)");
            }
        });
        // protocol 0: a decimal integer of 3,000 digits
        Path text = write(tmp, "text.pt", torch(("I" + "7".repeat(3000) + "\n.").getBytes()));
        assertMessage(assertThrows(InputException.class, () -> TensorSources.open(text)), text, "pickle integer of 3000 digits");
    }

    private static int indexOf(byte[] b, byte[] what) {
        for (int i = 0; i + what.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    @Test
    void zipBombsAreRefusedBeforeAnythingIsInflated() {
        assertTimeoutPreemptively(QUICK, () -> {
            // 5b: eight deflated 1 GiB arrays (8 MB) ran analyze out of heap, and sites came out with 0 rows
            Path npz = write(tmp, "eight.npz", HostileFixtures.zerosNpz(8, 1L << 30));
            assertMessage(assertThrows(InputException.class, () -> TensorSources.open(npz)), npz,
                    "zip entry 'a0.npy' claims to inflate 1040595 bytes to 1073741952 (1031:1); beyond 64 MiB at most"
                            + " 100:1 is read (a zip bomb?)");
            // 8 GiB of zeros as one storage (ZIP64): OutOfMemoryError at ZipArchive.inflate, 4.3 GB resident
            Path pt = write(tmp, "eight.pt", HostileFixtures.zerosTorch(8L << 30));
            assertMessage(assertThrows(InputException.class, () -> TensorSources.open(pt)), pt, "claims to inflate 8323602 bytes to 8589934592 (1031:1)");
        });
    }

    @Test
    void theBombsAreRealDeflateStreams() throws Exception {
        // the generator itself: its streams inflate to exactly the zeros (after the prefix) it claims, CRC included
        byte[] prefix = "header\n".getBytes();
        for (long zeros : new long[] {0, 1, 258, 259, 1000, 1 << 20, (1 << 20) + 7}) {
            Inflater inf = new Inflater(true);
            inf.setInput(HostileFixtures.zerosDeflate(prefix, zeros));
            byte[] out = new byte[(int) (prefix.length + zeros + 1)];
            int n = 0;
            while (!inf.finished()) {
                n += inf.inflate(out, n, out.length - n);
            }
            inf.end();
            byte[] expected = Arrays.copyOf(prefix, (int) (prefix.length + zeros));
            assertArrayEquals(expected, Arrays.copyOf(out, n), "zeros " + zeros);
            CRC32 crc = new CRC32();
            crc.update(expected);
            assertEquals(crc.getValue(), HostileFixtures.zerosCrc(prefix, zeros), "zeros " + zeros);
        }
    }

    @Test
    void aLyingOrOverlappingArchiveCostsNoMoreThanItClaims() {
        // a storage entry that claims 1 MiB over a stream of 1 GiB of zeros: inflation stops at the claim
        byte[] pickle = dict("w", tensor(new long[] {1 << 18}, new long[] {1}, 1 << 18, 0));
        Path liar = write(tmp, "liar.pt", RawZip.write(List.of(RawZip.stored("archive/data.pkl", pickle),
                new RawZip.Item("archive/data/0", 8, HostileFixtures.zerosCrc(new byte[0], 1 << 20),
                        HostileFixtures.zerosDeflate(new byte[0], 1L << 30), 1 << 20))));
        assertTimeoutPreemptively(QUICK, () -> {
            try (TensorSource s = TensorSources.open(liar)) {
                assertEquals(0.0, Tensors.sum(s.data("w")));
            }
        });
        // two directory entries for one stream: how a zip multiplies one compressed stream
        byte[] two = RawZip.write(List.of(RawZip.stored("a.npy", new byte[100]), RawZip.stored("b.npy", new byte[100])));
        ByteBuffer b = ByteBuffer.wrap(two).order(ByteOrder.LITTLE_ENDIAN);
        int cd = b.getInt(two.length - 22 + 16);
        int second = cd + 46 + "a.npy".length();
        b.putInt(second + 42, 0); // b.npy's local header is a.npy's
        Path overlap = write(tmp, "overlap.npz", two);
        assertMessage(assertThrows(InputException.class, () -> TensorSources.open(overlap)), overlap,
                "zip entries 'a.npy' and 'b.npy' overlap (corrupt, or a zip bomb)");
    }

    @Test
    void aLargeDeflatedEntryIsInflatedIntoATemporaryFileThatIsGoneAtOnce() throws IOException {
        // (a real 1 GiB deflated array goes this way; 3 MiB and a lower limit show the same)
        // random bytes that deflate to about half: no bomb, and larger than the heap limit given
        byte[] data = new byte[3 << 20];
        Random rnd = new Random(22);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (rnd.nextInt(16) * 16);
        }
        Deflater d = new Deflater(Deflater.BEST_SPEED, true);
        d.setInput(data);
        d.finish();
        byte[] comp = new byte[data.length + 1024];
        int n = d.deflate(comp);
        d.end();
        CRC32 crc = new CRC32();
        crc.update(data);
        byte[] zip = RawZip.write(List.of(new RawZip.Item("x", 8, crc.getValue(), Arrays.copyOf(comp, n), data.length)));
        Set<Path> before = inflateFiles();
        ZipArchive za = ZipArchive.read("t.zip", ByteSource.of(zip), 1 << 20);
        ByteSource inflated = za.bytes(za.entry("x"));
        assertEquals(data.length, inflated.length());
        assertArrayEquals(data, inflated.bytes(0, data.length));
        assertEquals(before, inflateFiles(), "the temporary file is deleted once mapped");
        // the same archive through the heap
        ZipArchive heap = ZipArchive.read("t.zip", ByteSource.of(zip));
        assertArrayEquals(data, heap.bytes(heap.entry("x")).bytes(0, data.length));
        // a stream that ends early fails, and leaves no file behind either
        byte[] cut = RawZip.write(List.of(new RawZip.Item("x", 8, crc.getValue(), Arrays.copyOf(comp, n / 2), data.length)));
        ZipArchive bad = ZipArchive.read("cut.zip", ByteSource.of(cut), 1 << 20);
        InputException e = assertThrows(InputException.class, () -> bad.bytes(bad.entry("x")));
        assertTrue(e.getMessage().startsWith("cut.zip: zip entry 'x' "), e.getMessage());
        assertEquals(before, inflateFiles());
    }

    private static Set<Path> inflateFiles() throws IOException {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return s.filter(p -> p.getFileName().toString().startsWith("colsparse-inflate-")).collect(Collectors.toSet());
        }
    }

    @Test
    void otherLimitsOfThePickleAndTheTree() {
        // a tensor of 65 dimensions
        long[] ones = HostileFixtures.ones(65);
        Path rank = write(tmp, "rank.pt", torch(dict("w", tensor(ones, ones, 6, 0))));
        assertMessage(assertThrows(InputException.class, () -> TensorSources.open(rank)), rank,
                "tensor size has 65 dimensions (at most 64 are read)");
        // a key tuple of 300 items
        Pickle wide = new Pickle().proto().op('}', '(');
        for (int i = 0; i < 300; i++) {
            wide.op('K', 1);
        }
        Path key = write(tmp, "key.pt", torch(wide.op('t', 'K', 1, 's', '.').bytes()));
        assertMessage(assertThrows(InputException.class, () -> TensorSources.open(key)), key, "dict key tuple of more than 256 items");
        // a data.pkl that claims 65 MiB (deflated: the ratio is no bomb's)
        byte[] pkl = HostileFixtures.zerosDeflate(new byte[0], 65L << 20);
        Path big = write(tmp, "big.pt", RawZip.write(List.of(new RawZip.Item("archive/data.pkl", 8,
                HostileFixtures.zerosCrc(new byte[0], 65L << 20), pkl, 65L << 20))));
        assertMessage(assertThrows(InputException.class, () -> TensorSources.open(big)), big,
                "data.pkl of 68157440 bytes is implausibly large (at most 64 MiB are read");
        // one storage of 6 floats viewed whole by 65 distinct tensors: the listed elements are bounded too
        Pickle many = new Pickle().proto().op('}', '(');
        for (int i = 0; i < 65; i++) {
            many.str("t" + i).raw(tensor(new long[] {6}, new long[] {1}, 6, 0));
        }
        Path views = write(tmp, "views.pt", torch(many.op('u', '.').bytes()));
        try (TensorSource s = TensorSources.open(views)) {
            assertEquals(65, s.tensors().size()); // 390 elements over 6: within 64 x 6 + 2^26
        }
    }

    @Test
    void aTupleHoldingNoneIsRead() throws IOException {
        // found by the campaign beside the limits: List.copyOf refused the null of (None,) with a NullPointerException
        Path file = write(tmp, "none.pt", torch(HostileFixtures.noneTuple()));
        try (TensorSource s = TensorSources.open(file)) {
            assertEquals(List.of(), s.tensors());
        }
    }

    @Test
    void legitimateCheckpointsStillLoad() {
        // the project's real fixtures are far inside every limit
        for (Path p : List.of(Fixtures.fixture("tiny_mlp_2d.pth"), Fixtures.fixture("crafted.pth"),
                Fixtures.fixture("crafted_big.pth"), Fixtures.fixture("deflated.npz"))) {
            try (TensorSource s = TensorSources.open(p)) {
                for (TensorInfo t : s.tensors()) {
                    Tensors.sum(s.data(t.name()));
                }
            }
        }
        try (TensorSource s = TensorSources.open(write(tmp, "tied.pt", torch(new Pickle().proto().op('}', '(')
                .str("a").raw(tensor(new long[] {6}, new long[] {1}, 6, 0)).op('q', 9).str("b").op('h', 9, 'u', '.').bytes())))) {
            // tied weights: one tensor under two names
            assertArrayEquals(doubles(s, "a"), doubles(s, "b"), 0.0);
        }
    }
}
