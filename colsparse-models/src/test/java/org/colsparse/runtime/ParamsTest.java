package org.colsparse.runtime;

import ai.djl.ndarray.NDManager;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParamsTest {
    private static Params declared(NDManager m) {
        Params p = new Params(m);
        p.declare("a.weight", 2, 3);
        p.declare("a.bias", 2);
        p.declare("b.weight", 4);
        p.declare("c.weight", 1);
        return p;
    }

    @Test
    void loadsMatchingCheckpoint() {
        try (NDManager m = Torch.manager(); Params p = declared(m)) {
            p.load(new MapTensorSource("ok.pth").put("a.weight", new float[] {1, 2, 3, 4, 5, 6}, 2, 3)
                    .put("a.bias", 2).put("b.weight", 4).put("c.weight", 1), "toy");
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, p.floats("a.weight"));
        }
    }

    @Test
    void reportsEveryMissingUnexpectedAndMisshapenKeyInOneLine() {
        try (NDManager m = Torch.manager(); Params p = declared(m)) {
            MapTensorSource src = new MapTensorSource("bad.pth")
                    .put("a.weight", 3, 2)      // transposed
                    .put("b.weight", 5)         // wrong length
                    .put("extra.one", 1)
                    .put("extra.two", 1);       // a.bias and c.weight missing
            InputException e = assertThrows(InputException.class, () -> p.load(src, "toy"));
            assertEquals("bad.pth: not a toy checkpoint: 2 missing key(s) [a.bias, c.weight]; "
                    + "2 unexpected key(s) [extra.one, extra.two]; "
                    + "2 wrong shape(s) [a.weight is [3, 2], expected [2, 3]; b.weight is [5], expected [4]]", e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void aRebuildableBufferIsRebuiltOnlyWhereTheRestOfTheFileFits() {
        try (NDManager m = Torch.manager(); Params p = new Params(m)) {
            p.declare("w", 2);
            p.declareRebuildable("schedule", () -> new float[] {0.5f, 0.25f}, 2);
            assertEquals(java.util.List.of("schedule"), p.load(new MapTensorSource("no-schedule.pth").put("w", new float[] {1, 2}, 2), "toy"));
            assertArrayEquals(new float[] {0.5f, 0.25f}, p.floats("schedule"));
            // a file that holds it is read as usual
            assertEquals(java.util.List.of(), p.load(new MapTensorSource("full.pth").put("w", 2).put("schedule", new float[] {9, 8}, 2), "toy"));
            assertArrayEquals(new float[] {9, 8}, p.floats("schedule"));
            // a file that does not fit names every key it lacks, the rebuildable one too
            InputException e = assertThrows(InputException.class, () -> p.load(new MapTensorSource("other.pth").put("v", 2), "toy"));
            assertEquals("other.pth: not a toy checkpoint: 2 missing key(s) [schedule, w]; 1 unexpected key(s) [v]", e.getMessage());
        }
    }

    @Test
    void rejectsNaNWeights() {
        try (NDManager m = Torch.manager(); Params p = declared(m)) {
            MapTensorSource src = new MapTensorSource("nan.pth").put("a.weight", new float[] {1, 2, Float.NaN, 4, 5, 6}, 2, 3)
                    .put("a.bias", 2).put("b.weight", 4).put("c.weight", 1);
            assertEquals("nan.pth: tensor a.weight holds NaN or Inf", assertThrows(InputException.class, () -> p.load(src, "toy")).getMessage());
        }
    }
}
