package org.colsparse.denoiser.full;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.colsparse.tensor.TensorData;
import org.colsparse.tensor.TensorSource;
import org.colsparse.tensor.TensorSources;
import org.colsparse.train.SafetensorsWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
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

    /** A torch zip whose pickle names a class, as a Lightning checkpoint with OmegaConf hyper-parameters does. */
    static void writeCheckpointWithAnObject(Path file) throws IOException {
        byte[] pickle = "\u0080\u0002comegaconf.dictconfig\nDictConfig\nq\u0000)\u0081q\u0001.".getBytes(StandardCharsets.ISO_8859_1);
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            for (String[] entry : new String[][] {{"archive/data.pkl", null}, {"archive/byteorder", "little"}}) {
                byte[] data = entry[1] == null ? pickle : entry[1].getBytes(StandardCharsets.US_ASCII);
                ZipEntry e = new ZipEntry(entry[0]);
                e.setMethod(ZipEntry.STORED);
                e.setSize(data.length);
                CRC32 crc = new CRC32();
                crc.update(data);
                e.setCrc(crc.getValue());
                z.putNextEntry(e);
                z.write(data);
                z.closeEntry();
            }
        }
    }

    @Override
    public void close() {
        expected.close();
    }
}
