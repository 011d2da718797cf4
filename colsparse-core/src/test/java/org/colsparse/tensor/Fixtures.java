package org.colsparse.tensor;

import org.colsparse.util.InputException;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Fixture paths and helpers shared by the reader tests (surefire runs in the module directory). */
final class Fixtures {
    private Fixtures() {
    }

    static Path fixture(String name) {
        return Path.of("src/test/resources/fixtures", name);
    }

    static double[] doubles(TensorSource src, String name) {
        TensorData d = src.data(name);
        double[] out = new double[(int) d.info().elementCount()];
        d.readDoubles(0, out, 0, out.length);
        return out;
    }

    static float[] floats(TensorSource src, String name) {
        TensorData d = src.data(name);
        float[] out = new float[(int) d.info().elementCount()];
        d.readFloats(0, out, 0, out.length);
        return out;
    }

    /** The reader must fail with one line that names the file and contains {@code fragment}. */
    static void assertRejected(Path file, String fragment) {
        InputException e = assertThrows(InputException.class, () -> TensorSources.open(file).close());
        assertMessage(e, file, fragment);
    }

    static void assertMessage(InputException e, Path file, String fragment) {
        String m = e.getMessage();
        assertTrue(m.startsWith(file.toString()), "message should name the file: " + m);
        assertTrue(m.contains(fragment), "message should say '" + fragment + "': " + m);
        assertEquals(-1, m.indexOf('\n'), "one line: " + m);
    }
}
