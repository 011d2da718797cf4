package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.train.SafetensorsWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NumPy reference outputs of one full workload's fixture ({@code expected.npz}, written by its
 * make_fixtures.py) and the checkpoints the loader tests write.
 */
final class FullFixtures implements AutoCloseable {
    private final TensorSource expected;
    private final NDManager manager;

    FullFixtures(Path npz, NDManager manager) {
        this.expected = TensorSources.open(npz);
        this.manager = manager;
    }

    double[] ref(String name) {
        TensorData d = expected.data(name);
        double[] v = new double[Math.toIntExact(d.info().elementCount())];
        d.readDoubles(0, v, 0, v.length);
        return v;
    }

    int[] ints(String name) {
        return Arrays.stream(ref(name)).mapToInt(x -> (int) x).toArray();
    }

    /** The reference tensor as an input, in its stored shape. */
    NDArray array(String name) {
        return manager.create(floats(ref(name)), new Shape(expected.data(name).info().shape()));
    }

    static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** max |a - b| relative to max |b|: the output's scale, not each element's, since many are near zero. */
    static void assertClose(double[] want, float[] got, double rel, String what) {
        assertEquals(want.length, got.length, what + " length");
        double err = 0;
        double scale = 0;
        for (int i = 0; i < want.length; i++) {
            err = Math.max(err, Math.abs(want[i] - got[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        assertTrue(err <= rel * scale, what + ": max abs error " + err + " vs max |ref| " + scale);
    }

    /**
     * A network's declared tensors, zero-filled, as a writer would save them under {@code prefix};
     * {@code skip} is left out and {@code reshape} gets one more element, for the loader's error tests.
     */
    static SafetensorsWriter zeros(Map<String, long[]> spec, String prefix, String skip, String reshape) {
        SafetensorsWriter w = new SafetensorsWriter();
        spec.forEach((name, declared) -> {
            if (!name.equals(skip)) {
                long[] shape = name.equals(reshape) ? new long[] {declared[0] + 1} : declared;
                w.put(prefix + name, new float[Math.toIntExact(new Shape(shape).size())], shape);
            }
        });
        return w;
    }

    /**
     * A copy of the torch zip {@code plain} whose pickle is {@code pickle.apply(plain's)}: how the loader
     * tests put Python objects beside real weights without a second copy of the weights.
     */
    static void rewritePickle(Path plain, Path out, UnaryOperator<byte[]> pickle) throws IOException {
        try (ZipFile in = new ZipFile(plain.toFile()); ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry e : Collections.list(in.entries())) {
                byte[] data = in.getInputStream(e).readAllBytes();
                stored(z, e.getName(), e.getName().endsWith("/data.pkl") ? pickle.apply(data) : data);
            }
        }
    }

    private static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }

    /** A protocol 2 pickle (as fixture_io.py writes) without its PROTO header and STOP: the opcodes that push its root. */
    static byte[] body(byte[] pickle) {
        assertTrue(pickle.length > 3 && (pickle[0] & 0xff) == 0x80 && pickle[1] == 2 && pickle[pickle.length - 1] == '.');
        return Arrays.copyOfRange(pickle, 2, pickle.length - 1);
    }

    /** {@code pickle}, whose root is a dict, with one more item: {@code key} -> an instance of {@code module.cls} ({@link #object}). */
    static byte[] withObject(byte[] pickle, String key, String module, String cls) {
        return concat(Arrays.copyOf(pickle, pickle.length - 1), unicode(key), object(module, cls), ascii("s."));
    }

    /**
     * An instance of {@code module.cls} as pickle protocol 2 writes one: NEWOBJ of the class, then
     * BUILD of its {@code __dict__}, here {@code {"lr": 1e-4, "mean": a float64 numpy array}} in
     * numpy's own pickled form (a {@code _reconstruct} call whose state names {@code numpy dtype}).
     */
    static byte[] object(String module, String cls) {
        byte[] lr = ByteBuffer.allocate(9).put((byte) 'G').putDouble(1e-4).array();
        byte[] array = concat(ascii("cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\u0000\u0085C\u0001b\u0087R(K\u0001K\u0002\u0085"
                + "cnumpy\ndtype\n"), unicode("f8"), ascii("\u0089\u0088\u0087R(K\u0003"), unicode("<"),
                ascii("NNNJ\u00ff\u00ff\u00ff\u00ffJ\u00ff\u00ff\u00ff\u00ffK\u0000tb\u0089C\u0010"), new byte[16], ascii("tb"));
        return concat(ascii("c" + module + "\n" + cls + "\n)\u0081}("), unicode("lr"), lr, unicode("mean"), array, ascii("ub"));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** BINUNICODE. */
    static byte[] unicode(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] {'X'}, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array(), b);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        expected.close();
    }
}
