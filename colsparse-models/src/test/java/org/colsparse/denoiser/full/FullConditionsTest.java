package org.colsparse.denoiser.full;

import org.colsparse.tensor.NpyWriter;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.colsparse.denoiser.full.FullConditions.ROWS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FullConditionsTest {
    private static final long[] PER_ROW = {ROWS, 3};
    private static final long[] ONE = {3};

    @Test
    void rowsOrOneRowByShape(@TempDir Path dir) {
        Path rows = dir.resolve("rows.npy");
        NpyWriter.write(rows, new long[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        float[][] r = FullConditions.floats("c", rows, PER_ROW, ONE);
        assertEquals(2, r.length);
        assertArrayEquals(new float[] {4, 5, 6}, r[1]);
        // sample i takes row i mod N
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 1, 2, 3}, FullConditions.cycled(r, 0, 3));

        Path one = dir.resolve("one.npy");
        NpyWriter.write(one, new long[] {3}, new float[] {7, 8, 9});
        float[][] o = FullConditions.floats("c", one, PER_ROW, ONE);
        assertArrayEquals(new float[][] {{7, 8, 9}}, o);
        // a guided batch of 3: the conditional rows cycled, then the unconditional one three times
        FullConditions.CfgPair pair = new FullConditions.CfgPair(r, o);
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 1, 2, 3, 7, 8, 9, 7, 8, 9, 7, 8, 9}, pair.batch(0, 3));
        assertEquals("text row 0", pair.label(2));
    }

    @Test
    void sampleITakesRowIModNInAnyBatch() {
        float[][] rows = {{1, 2}, {3, 4}, {5, 6}};
        // samples 2, 3, 4 alone or together: rows 2, 0, 1
        assertArrayEquals(new float[] {5, 6, 1, 2, 3, 4}, FullConditions.cycled(rows, 2, 3));
        assertArrayEquals(new float[] {1, 2}, FullConditions.cycled(rows, 3, 1));
        FullConditions.CfgPair pair = new FullConditions.CfgPair(rows, new float[][] {{7, 8}, {9, 10}});
        // sample 4 alone: its prompt row 1, its negative prompt row 0
        assertArrayEquals(new float[] {3, 4, 7, 8}, pair.batch(4, 1));
        assertEquals("text row 1", pair.label(4));
    }

    @Test
    void everyRefusalIsOneLineNamingTheCond(@TempDir Path dir) {
        Path wide = dir.resolve("wide.npy");
        NpyWriter.write(wide, new long[] {1, 4}, new float[4]);
        InputException e = assertThrows(InputException.class, () -> FullConditions.floats("music", wide, PER_ROW, ONE, new long[] {1, 1, 3}));
        assertEquals("--cond music: " + wide + " has shape [1, 4], expected (N, 3), (3) or (1, 1, 3)", e.getMessage());

        Path ints = dir.resolve("ints.npy");
        NpyWriter.write(ints, new long[] {3}, new long[] {1, 2, 3});
        e = assertThrows(InputException.class, () -> FullConditions.floats("music", ints, ONE));
        assertEquals("--cond music: " + ints + " is I64, expected float features", e.getMessage());

        Path inf = dir.resolve("inf.npy");
        NpyWriter.write(inf, new long[] {2, 3}, new float[] {0, 0, 0, 0, Float.POSITIVE_INFINITY, 0});
        e = assertThrows(InputException.class, () -> FullConditions.floats("music", inf, PER_ROW));
        assertEquals("--cond music: " + inf + " holds NaN or Inf (row 1)", e.getMessage());

        Path labels = dir.resolve("labels.npy");
        NpyWriter.write(labels, new long[] {2}, new int[] {3, -1});
        e = assertThrows(InputException.class, () -> FullConditions.classIds("class", labels, 10));
        assertEquals("--cond class: " + labels + " element 1 is -1, expected a class id in [0, 9]", e.getMessage());
    }

    @Test
    void namesAndRequiredFiles() {
        Map<String, Path> given = Map.of("mean", Path.of("m.npy"), "txt", Path.of("t.npy"));
        InputException e = assertThrows(InputException.class, () -> FullConditions.onlyKnown(given, "mdm", List.of("text", "mean", "std")));
        assertEquals("--cond txt: mdm takes only --cond text=FILE, --cond mean=FILE and --cond std=FILE", e.getMessage());
        e = assertThrows(InputException.class, () -> FullConditions.required(given, "mdm", "text"));
        assertEquals("--cond text: required by the full-size mdm (see 'colsparse workloads --preset full')", e.getMessage());
        assertEquals(Path.of("m.npy"), FullConditions.required(given, "mdm", "mean"));
    }
}
