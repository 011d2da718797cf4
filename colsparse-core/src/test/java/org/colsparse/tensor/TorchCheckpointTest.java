package org.colsparse.tensor;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.colsparse.tensor.Fixtures.assertMessage;
import static org.colsparse.tensor.Fixtures.assertRejected;
import static org.colsparse.tensor.Fixtures.doubles;
import static org.colsparse.tensor.Fixtures.fixture;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Expected names, shapes and sums of the real checkpoints come from an independent reader: a Python
 * script using Python's own pickle.Unpickler (restricted find_class, persistent_load over zipfile),
 * numpy.lib.stride_tricks.as_strided for the views and np.cumsum over float64 for the sums (the same
 * element-order double summation Tensors.sum does), run on the files in ../shared/fixtures/pytorch.
 */
class TorchCheckpointTest {
    @TempDir
    Path tmp;

    private record Row(String name, long[] shape, double sum) {
    }

    private static Row row(String name, long[] shape, double sum) {
        return new Row(name, shape, sum);
    }

    private static final Row[] TINY_MLP = {
            row("time_emb.emb", new long[] {16}, 2.179336292829248),
            row("input_emb1.emb", new long[] {16}, 2.179336292829248),
            row("input_emb2.emb", new long[] {16}, 2.179336292829248),
            row("joint_mlp.0.weight", new long[] {32, 96}, -11.981297475486826),
            row("joint_mlp.0.bias", new long[] {32}, -0.022100104368291795),
            row("joint_mlp.2.ln.weight", new long[] {32}, 29.139612793922424),
            row("joint_mlp.2.ln.bias", new long[] {32}, 0.5702937906607985),
            row("joint_mlp.2.ff.weight", new long[] {32, 32}, -10.051927863998571),
            row("joint_mlp.2.ff.bias", new long[] {32}, 0.24075452715624124),
            row("joint_mlp.3.weight", new long[] {32}, 25.43770942091942),
            row("joint_mlp.3.bias", new long[] {32}, -0.2564431772334501),
            row("joint_mlp.4.weight", new long[] {2, 32}, 0.10761386158992536),
            row("joint_mlp.4.bias", new long[] {2}, 0.07565115951001644),
    };

    private static final Row[] DDPM_MNIST = {
            row("beta_t", new long[] {1001}, 10.060049762709241),
            row("alpha_t", new long[] {1001}, 275.6488237960475),
            row("gt.frequencies", new long[] {16}, 5490.170506954193),
            row("gt.blocks.0.net.0.weight", new long[] {16, 1, 7, 7}, 0.8878090103971772),
            row("gt.blocks.0.net.0.bias", new long[] {16}, 0.07555843866430223),
            row("gt.blocks.0.net.1.weight", new long[] {16, 28, 28}, 12400.259964168072),
            row("gt.blocks.0.net.1.bias", new long[] {16, 28, 28}, 379.42883509375406),
            row("gt.blocks.1.net.0.weight", new long[] {32, 16, 7, 7}, -61.7804877716012),
            row("gt.blocks.1.net.0.bias", new long[] {32}, -0.08506413793656975),
            row("gt.blocks.1.net.1.weight", new long[] {32, 28, 28}, 25076.33488982916),
            row("gt.blocks.1.net.1.bias", new long[] {32, 28, 28}, 56.96962673303642),
            row("gt.blocks.2.net.0.weight", new long[] {32, 32, 7, 7}, -41.97729894103122),
            row("gt.blocks.2.net.0.bias", new long[] {32}, 0.12585260695777833),
            row("gt.blocks.2.net.1.weight", new long[] {32, 28, 28}, 25061.083142638206),
            row("gt.blocks.2.net.1.bias", new long[] {32, 28, 28}, 6.159512581260515),
            row("gt.blocks.3.net.0.weight", new long[] {16, 32, 7, 7}, -7.255966064259155),
            row("gt.blocks.3.net.0.bias", new long[] {16}, 0.14845525234704837),
            row("gt.blocks.3.net.1.weight", new long[] {16, 28, 28}, 12600.423137545586),
            row("gt.blocks.3.net.1.bias", new long[] {16, 28, 28}, 200.7933167858082),
            row("gt.blocks.4.weight", new long[] {1, 16, 3, 3}, 0.05833250447176397),
            row("gt.blocks.4.bias", new long[] {1}, -0.014674150384962559),
            row("gt.time_embed.0.weight", new long[] {128, 32}, -2.891374832543079),
            row("gt.time_embed.0.bias", new long[] {128}, 0.7675136255566031),
            row("gt.time_embed.2.weight", new long[] {128, 128}, -12.010300734851626),
            row("gt.time_embed.2.bias", new long[] {128}, 0.4123036168566614),
            row("gt.time_embed.4.weight", new long[] {128, 128}, -11.069016402737361),
            row("gt.time_embed.4.bias", new long[] {128}, 0.6929323903750628),
            row("gt.time_embed.6.weight", new long[] {16, 128}, -0.9725691045314306),
            row("gt.time_embed.6.bias", new long[] {16}, 0.266063995892182),
    };

    @Test
    void tinyMlpCheckpoint() {
        assertCheckpoint(fixture("tiny_mlp_2d.pth"), TINY_MLP);
    }

    @Test
    void ddpmMnistCheckpoint() {
        assertCheckpoint(Path.of("../models/ddpm-mnist/ddpm_mnist.pth"), DDPM_MNIST);
        try (TensorSource s = TensorSources.open(Path.of("../models/ddpm-mnist/ddpm_mnist.pth"))) {
            // beta_t runs linearly from 1e-4 to 0.02 (per the checkpoint's README); index 0 is the padding step
            double[] beta = doubles(s, "beta_t");
            assertEquals(0.02, beta[1000], 1e-7);
        }
    }

    private static void assertCheckpoint(Path file, Row[] rows) {
        try (TensorSource s = TensorSources.open(file)) {
            List<TensorInfo> infos = s.tensors();
            assertEquals(rows.length, infos.size());
            for (int i = 0; i < rows.length; i++) {
                TensorInfo t = infos.get(i);
                assertEquals(rows[i].name(), t.name());
                assertEquals(DType.F32, t.dtype(), t.name());
                assertArrayEquals(rows[i].shape(), t.shape(), t.name());
                assertEquals(rows[i].sum(), Tensors.sum(s.data(t.name())), 0.0, t.name());
            }
        }
    }

    /**
     * crafted.pth / crafted_big.pth (make_fixtures.py): a {"state_dict": OrderedDict, "epoch", "lr",
     * "name", "layers": [tensor, {"deep": tensor}]} tree with a transposed Parameter, an offset view
     * sharing its storage, a strided column, Half/Long/Bool/BFloat16/Double storages and one deflated
     * storage entry; crafted_big.pth has byteorder "big", crafted_p4.pth is pickle protocol 4 (FRAME,
     * MEMOIZE, STACK_GLOBAL). Values from the independent Python reader described above.
     */
    @Test
    void nestedContainersStridesOffsetsAndDtypes() {
        // per file: the random float64 storage "5" seen through dbl.col, layers.1.deep and the latter's sum
        Object[][] files = {
            {"crafted.pth", new double[] {2.28735800629467, -1.1444455299838616},
                new double[] {0.05155421174482167, 2.28735800629467, -0.1754488092836672, -1.1444455299838616}, 1.0190178787719628},
            {"crafted_big.pth", new double[] {-0.11360785357583347, 0.5487748919765437},
                new double[] {-1.327614402206779, -0.11360785357583347, -1.478903426546485, 0.5487748919765437}, -2.371350790352554},
            {"crafted_p4.pth", new double[] {1.4138851325396713, -1.280154944563052},
                new double[] {-2.030153798747776, 1.4138851325396713, 1.397436518920924, -1.280154944563052}, -0.4989870918502326},
        };
        for (Object[] c : files) {
            String f = (String) c[0];
            try (TensorSource s = TensorSources.open(fixture(f))) {
                assertEquals(List.of(
                        new TensorInfo("state_dict.enc.weight", DType.F32, new long[] {2, 3}),
                        new TensorInfo("state_dict.enc.bias", DType.F32, new long[] {3}),
                        new TensorInfo("state_dict.half", DType.F16, new long[] {2, 2}),
                        new TensorInfo("state_dict.steps", DType.I64, new long[] {3}),
                        new TensorInfo("state_dict.mask", DType.BOOL, new long[] {2, 2}),
                        new TensorInfo("state_dict.bf", DType.BF16, new long[] {2}),
                        new TensorInfo("state_dict.dbl.col", DType.F64, new long[] {2}),
                        new TensorInfo("layers.0", DType.F16, new long[] {2}),
                        new TensorInfo("layers.1.deep", DType.F64, new long[] {2, 2})), s.tensors(), f);
                assertArrayEquals(new double[] {-0.75, 0.25, 1.25, -0.25, 0.75, 1.75}, doubles(s, "state_dict.enc.weight"), 0.0);
                float[] part = new float[2];
                s.data("state_dict.enc.weight").readFloats(2, part, 0, 2); // crosses a row of the transposed view
                assertArrayEquals(new float[] {1.25f, -0.25f}, part, 0.0f);
                assertArrayEquals(new double[] {0.25, 0.75, 1.25}, doubles(s, "state_dict.enc.bias"), 0.0);
                assertArrayEquals(new double[] {1.0, -0.5, 2048.0, 0.0999755859375}, doubles(s, "state_dict.half"), 0.0);
                assertArrayEquals(new double[] {3, -4, 35184372088832.0}, doubles(s, "state_dict.steps"), 0.0);
                assertArrayEquals(new double[] {1, 0, 0, 1}, doubles(s, "state_dict.mask"), 0.0);
                assertArrayEquals(new double[] {1.5, -0.15625}, doubles(s, "state_dict.bf"), 0.0);
                assertArrayEquals(new double[] {-0.5, 2048.0}, doubles(s, "layers.0"), 0.0);
                assertArrayEquals((double[]) c[1], doubles(s, "state_dict.dbl.col"), 0.0, f);
                assertArrayEquals((double[]) c[2], doubles(s, "layers.1.deep"), 0.0, f);
                assertEquals((double) c[3], Tensors.sum(s.data("layers.1.deep")), 0.0, f);
                assertEquals(35184372088831.0, Tensors.sum(s.data("state_dict.steps")), 0.0);
            }
        }
    }

    @Test
    void refusesOsSystemAndNothingRuns() throws IOException {
        Path marker = tmp.resolve("pwned");
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[] {(byte) 0x80, 2});
        p.write("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        unicode(p, "touch " + marker);
        p.write(new byte[] {(byte) 0x85, 'R', '.'});
        Path file = checkpoint("evil.pth", p.toByteArray());

        InputException e = assertThrows(InputException.class, () -> TensorSources.open(file));
        assertEquals(file + ": refuses pickle global 'os system' (only tensors, storages and plain containers are allowed)",
                e.getMessage());
        assertFalse(Files.exists(marker), "the pickled command must never run");
    }

    @Test
    void refusesEveryOtherGlobalEvenInsideAValidCheckpoint() throws IOException {
        String[][] globals = {{"builtins", "eval"}, {"posix", "system"}, {"__builtin__", "exec"},
            {"numpy.core.multiarray", "_reconstruct"}, {"torch", "load"}, {"copyreg", "_reconstructor"}};
        for (String[] g : globals) {
            // protocol 4 STACK_GLOBAL, after a harmless dict opens
            ByteArrayOutputStream p = new ByteArrayOutputStream();
            p.write(new byte[] {(byte) 0x80, 4, '}', '('});
            unicode(p, "x");
            unicode(p, g[0]);
            unicode(p, g[1]);
            p.write(new byte[] {(byte) 0x93, ')', 'R', 'u', '.'});
            Path file = checkpoint(g[1] + ".ckpt", p.toByteArray());
            InputException e = assertThrows(InputException.class, () -> TensorSources.open(file));
            assertMessage(e, file, "refuses pickle global '" + g[0] + " " + g[1] + "'");
        }
        // INST names a class to instantiate: refused by name too
        Path inst = checkpoint("inst.pt", "(ios\nsystem\n.".getBytes(StandardCharsets.US_ASCII));
        assertMessage(assertThrows(InputException.class, () -> TensorSources.open(inst)), inst, "refuses pickle global 'os system'");
    }

    @Test
    void corruptCheckpointsAreRejected() throws IOException {
        byte[] good = Files.readAllBytes(fixture("crafted.pth"));
        Path cut = tmp.resolve("cut.pth");
        Files.write(cut, Arrays.copyOf(good, good.length / 2));
        assertRejected(cut, "no end-of-central-directory");

        Path legacy = tmp.resolve("legacy.pt");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10});
        assertRejected(legacy, "legacy (pre-1.6, non-zip) PyTorch format");

        // a tensor reaching past its storage: size 7 on the 6-element storage '0'
        byte[] storage = new byte[24];
        assertRejected(checkpoint("over.pth", tensorPickle(7), storage), "reaches beyond its storage of 6 elements");
        assertRejected(checkpoint("missing.pth", tensorPickle(6)), "storage '0' is missing");
        assertRejected(checkpoint("short.pth", tensorPickle(6), new byte[20]), "storage '0' has 20 bytes, needs 24");
        assertRejected(checkpoint("trunc.pth", Arrays.copyOf(tensorPickle(6), 40), storage), "truncated pickle");
        try (TensorSource s = TensorSources.open(checkpoint("ok.pth", tensorPickle(6), storage))) {
            assertEquals(List.of(new TensorInfo("w", DType.F32, new long[] {6})), s.tensors());
        }
    }

    /** {"w": _rebuild_tensor_v2(storage '0' of 6 floats, 0, (size,), (1,), False, {})}, protocol 2 by hand. */
    private static byte[] tensorPickle(int size) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[] {(byte) 0x80, 2, '}', '('});
        tensorItem(p, size);
        p.write(new byte[] {'u', '.'});
        return p.toByteArray();
    }

    /** The key "w" and its tensor, inside a dict's SETITEMS. */
    private static void tensorItem(ByteArrayOutputStream p, int size) throws IOException {
        unicode(p, "w");
        p.write("ctorch._utils\n_rebuild_tensor_v2\n((".getBytes(StandardCharsets.US_ASCII));
        unicode(p, "storage");
        p.write("ctorch\nFloatStorage\n".getBytes(StandardCharsets.US_ASCII));
        unicode(p, "0");
        unicode(p, "cpu");
        p.write(new byte[] {'K', 6, 't', 'Q', 'K', 0, 'K', (byte) size, (byte) 0x85, 'K', 1, (byte) 0x85, (byte) 0x89, '}', 't', 'R'});
    }

    /** os.system("touch marker") as a REDUCE, the call a malicious pickle makes. */
    private static void osSystem(ByteArrayOutputStream p, Path marker) throws IOException {
        p.write("cos\nsystem\n".getBytes(StandardCharsets.US_ASCII));
        unicode(p, "touch " + marker);
        p.write(new byte[] {(byte) 0x85, 'R'});
    }

    private static void ascii(ByteArrayOutputStream p, String s) throws IOException {
        p.write(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static final byte[] SIX_FLOATS = littleEndianFloats(1, 2, 3, 4, 5, 6);

    private static byte[] littleEndianFloats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    /**
     * A training checkpoint's shape by hand: {"evil": os.system(...), "args": NEWOBJ argparse.Namespace
     * + BUILD whose state calls os.system again, "kw": NEWOBJ_EX, "obj": OBJ, "inst": INST + BUILD(None),
     * "dd": a defaultdict REDUCE + SETITEMS, "lst"/"l2": a list subclass + APPEND/APPENDS, "w": tensor}.
     */
    private static byte[] trainingPickle(Path marker) throws IOException {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[] {(byte) 0x80, 2, '}', '('});
        unicode(p, "evil");
        osSystem(p, marker);
        unicode(p, "args");
        ascii(p, "cargparse\nNamespace\n)");
        p.write(new byte[] {(byte) 0x81, '}', '('});
        unicode(p, "lr");
        p.write(new byte[] {'K', 3});
        unicode(p, "cmd");
        osSystem(p, marker);
        p.write(new byte[] {'u', 'b'});
        unicode(p, "kw");
        ascii(p, "cnumpy\ndtype\n)}");
        p.write(0x92);
        unicode(p, "obj");
        ascii(p, "(comegaconf.dictconfig\nDictConfig\nK\001o");
        unicode(p, "inst");
        ascii(p, "(K\001inormalizer\nNormalizer\nNb");
        unicode(p, "dd");
        ascii(p, "ccollections\ndefaultdict\n)R(");
        unicode(p, "k");
        ascii(p, "K\001u");
        unicode(p, "lst");
        ascii(p, "cmodule\nMyList\n)");
        p.write(new byte[] {(byte) 0x81, 'K', 2, 'a'});
        unicode(p, "l2");
        ascii(p, "cmodule\nMyList\n)");
        p.write(new byte[] {(byte) 0x81, '(', 'K', 1, 'K', 2, 'e'});
        tensorItem(p, 6);
        p.write(new byte[] {'u', '.'});
        return p.toByteArray();
    }

    @Test
    void weightsModeKeepsForeignObjectsAsNamesAndReadsTheTensorsBesideThem() throws IOException {
        Path marker = tmp.resolve("pwned");
        byte[] pickle = trainingPickle(marker);
        Object root = RestrictedUnpickler.load("t.pt", RestrictedUnpickler.Mode.WEIGHTS, pickle);
        Map<?, ?> m = (Map<?, ?>) root;
        assertEquals(List.of("evil", "args", "kw", "obj", "inst", "dd", "lst", "l2", "w"), List.copyOf(m.keySet()));
        assertEquals(new RestrictedUnpickler.Foreign("os system"), m.get("evil"));
        assertEquals(new RestrictedUnpickler.Foreign("argparse Namespace"), m.get("args"));
        assertEquals(new RestrictedUnpickler.Foreign("numpy dtype"), m.get("kw"));
        assertEquals(new RestrictedUnpickler.Foreign("omegaconf.dictconfig DictConfig"), m.get("obj"));
        assertEquals(new RestrictedUnpickler.Foreign("normalizer Normalizer"), m.get("inst"));
        assertEquals(new RestrictedUnpickler.Foreign("collections defaultdict"), m.get("dd"));
        assertEquals(new RestrictedUnpickler.Foreign("module MyList"), m.get("lst"));
        assertEquals(new RestrictedUnpickler.Foreign("module MyList"), m.get("l2"));

        Path file = checkpoint("train.pt", pickle, SIX_FLOATS);
        try (TensorSource s = TensorSources.openWeights(file)) {
            assertEquals(List.of(new TensorInfo("w", DType.F32, new long[] {6})), s.tensors());
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, doubles(s, "w"), 0.0);
        }
        // the default (inspect, analyze) still refuses the file, with the same message as ever
        InputException e = assertThrows(InputException.class, () -> TensorSources.open(file));
        assertEquals(file + ": refuses pickle global 'os system' (only tensors, storages and plain containers are allowed)",
                e.getMessage());
        assertFalse(Files.exists(marker), "the pickled command must never run");
    }

    @Test
    void weightsModeLoadsAPickleThatIsOnlyOsSystemAsNothing() throws IOException {
        Path marker = tmp.resolve("pwned");
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[] {(byte) 0x80, 2});
        osSystem(p, marker);
        p.write('.');
        Path file = checkpoint("evil.pth", p.toByteArray());
        try (TensorSource s = TensorSources.openWeights(file)) {
            assertEquals(List.of(), s.tensors());
        }
        assertFalse(Files.exists(marker), "the pickled command must never run");
    }

    @Test
    void weightsModeStillRefusesWhatIsNotAForeignObjectAndMalformedPickles() throws IOException {
        // creating an object from a class on the list is refused in both modes, with the same message
        String[][] creations = {{"cbuiltins\ndict\n)\u0081.", "NEWOBJ"}, {"cbuiltins\ndict\n)}\u0092.", "NEWOBJ_EX"},
            {"(cbuiltins\ndict\no.", "OBJ"}};
        for (String[] c : creations) {
            Path file = checkpoint(c[1] + ".pt", c[0].getBytes(StandardCharsets.ISO_8859_1));
            String m = file + ": unsupported pickle opcode " + c[1] + " (creates an arbitrary object)";
            assertEquals(m, assertThrows(InputException.class, () -> TensorSources.open(file)).getMessage());
            assertEquals(m, assertThrows(InputException.class, () -> TensorSources.openWeights(file)).getMessage());
        }
        Path inst = checkpoint("inst.pt", "(ibuiltins\ndict\n.".getBytes(StandardCharsets.US_ASCII));
        assertWeightsRejected(inst, "unsupported pickle opcode INST");
        assertWeightsRejected(checkpoint("build.pt", "cbuiltins\ndict\n}b.".getBytes(StandardCharsets.US_ASCII)),
                "pickle BUILD on an unsupported object");
        // storage types stay checked: an unknown one is not a Foreign
        assertWeightsRejected(checkpoint("storage.pt", "ctorch\nComplexFloatStorage\n.".getBytes(StandardCharsets.US_ASCII)),
                "unsupported storage type 'torch ComplexFloatStorage'");

        Path marker = tmp.resolve("pwned");
        byte[] good = trainingPickle(marker);
        assertWeightsRejected(checkpoint("cut.pt", Arrays.copyOf(good, good.length - 30), SIX_FLOATS), "truncated pickle");
        assertWeightsRejected(checkpoint("under.pt", new byte[] {(byte) 0x80, 2, (byte) 0x81, '.'}), "malformed pickle (stack underflow)");
        assertWeightsRejected(checkpoint("unmarked.pt", "ios\nsystem\n.".getBytes(StandardCharsets.US_ASCII)), "malformed pickle (no MARK)");
        assertWeightsRejected(checkpoint("twice.pt", "cos\nsystem\nK\001.".getBytes(StandardCharsets.ISO_8859_1)),
                "stack not balanced at STOP");
        assertFalse(Files.exists(marker));
    }

    private static void assertWeightsRejected(Path file, String fragment) {
        assertMessage(assertThrows(InputException.class, () -> TensorSources.openWeights(file).close()), file, fragment);
    }

    @Test
    void torchSizeParameterWithStateAndCycles() throws IOException {
        // {"w": _rebuild_parameter_with_state(_rebuild_tensor_v2(storage, 0, torch.Size((2, 3)), (3, 1), False, {}), True, {}, {})}
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.write(new byte[] {(byte) 0x80, 2, '}', '('});
        unicode(p, "w");
        p.write("ctorch._utils\n_rebuild_parameter_with_state\n(ctorch._utils\n_rebuild_tensor_v2\n((".getBytes(StandardCharsets.US_ASCII));
        unicode(p, "storage");
        p.write("ctorch\nFloatStorage\n".getBytes(StandardCharsets.US_ASCII));
        unicode(p, "0");
        unicode(p, "cpu");
        p.write(new byte[] {'K', 6, 't', 'Q', 'K', 0});
        p.write("ctorch\nSize\n(".getBytes(StandardCharsets.US_ASCII));
        p.write(new byte[] {'K', 2, 'K', 3, 't', (byte) 0x85, 'R'});
        p.write(new byte[] {'K', 3, 'K', 1, (byte) 0x86, (byte) 0x89, '}', 't', 'R', (byte) 0x88, '}', '}', 't', 'R', 'u', '.'});
        float[] values = {1, 2, 3, 4, 5, 6};
        ByteBuffer storage = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            storage.putFloat(v);
        }
        try (TensorSource s = TensorSources.open(checkpoint("sized.pth", p.toByteArray(), storage.array()))) {
            assertEquals(List.of(new TensorInfo("w", DType.F32, new long[] {2, 3})), s.tensors());
            assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, doubles(s, "w"), 0.0);
        }

        // a list that contains itself: [l] with l appended to l
        Path cyclic = checkpoint("cyclic.pth", new byte[] {(byte) 0x80, 2, ']', 'q', 0, 'h', 0, 'a', '.'});
        assertRejected(cyclic, "cyclic");
    }

    private static void unicode(ByteArrayOutputStream p, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.write('X');
        p.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        p.write(b);
    }

    /** A torch-style zip: archive/data.pkl, archive/byteorder and optionally storage archive/data/0. */
    private Path checkpoint(String name, byte[] pickle, byte[]... storage0) throws IOException {
        Path file = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(pickle);
            z.putNextEntry(new ZipEntry("archive/byteorder"));
            z.write("little".getBytes(StandardCharsets.US_ASCII));
            for (byte[] s : storage0) {
                z.putNextEntry(new ZipEntry("archive/data/0"));
                z.write(s);
            }
        }
        return file;
    }
}
