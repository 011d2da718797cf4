package org.colsparse.denoiser.tiny;

import ai.djl.ndarray.NDManager;
import org.colsparse.catalog.Catalog;
import org.colsparse.denoiser.LoadedWorkload;
import org.colsparse.denoiser.Workload;
import org.colsparse.runtime.Torch;
import org.colsparse.sampler.StepListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every tiny workload conditions sample i on its own condition whatever batch it runs in (issue 22
 * item 2: one sample per call made every dit sample one garment and every mdm / mld sample "walk",
 * under previews labelled "hop").
 */
class TinyConditionsTest {
    private static final List<String> ALL = List.of("dit", "sd15", "animatediff", "audioldm", "mdm", "mld", "edge");

    @BeforeAll
    static void home() {
        System.setProperty("colsparse.home", "..");
    }

    private static TinySpec spec(String id) {
        return ((TinyWorkload) Catalog.runtime(id)).spec();
    }

    @Test
    void sampleIsConditionIsTheSameAloneAndInAnyBatch() {
        for (String id : ALL) {
            try (NDManager m = Torch.manager()) {
                TinySpec spec = spec(id);
                float[] twelve = spec.sampleCond(m, 0, 12).toFloatArray();
                int width = twelve.length / 12;
                for (int first : new int[] {0, 1, 3, 11}) {
                    assertArrayEquals(Arrays.copyOfRange(twelve, first * width, (first + 1) * width), spec.sampleCond(m, first, 1).toFloatArray(),
                            id + ": sample " + first + " alone");
                }
                assertArrayEquals(Arrays.copyOfRange(twelve, 5 * width, 8 * width), spec.sampleCond(m, 5, 3).toFloatArray(), id + ": samples 5..7");
            }
        }
    }

    /** The one-hot class of each of the first {@code n} samples. */
    private static int[] classes(TinySpec spec, int n) {
        try (NDManager m = Torch.manager()) {
            float[] v = spec.sampleCond(m, 0, n).toFloatArray();
            int width = v.length / n;
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < width; k++) {
                    if (v[i * width + k] == 1f) {
                        out[i] = k;
                    }
                }
            }
            return out;
        }
    }

    @Test
    void theClassesActionsAndBeatsAsked() {
        int[] garments = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1};
        for (String id : List.of("dit", "sd15", "animatediff")) {
            assertArrayEquals(garments, classes(spec(id), 12), id + ": sample k asks for garment k mod 10");
        }
        assertArrayEquals(new int[5], classes(spec("audioldm"), 5), "audioldm: the one 'speech' label");
        for (String id : List.of("mdm", "mld")) {
            MotionSpec spec = (MotionSpec) spec(id);
            int[] actions = classes(spec, 5);
            for (int k = 0; k < 5; k++) {
                String asked = k % 2 == 0 ? "walk" : "hop";
                assertEquals(asked, MotionData.ACTIONS[actions[k]], id + ": sample " + k + " is conditioned on " + asked);
                assertEquals(asked, spec.conditionLabel(k), id + ": sample " + k + "'s preview label");
            }
        }
        // van der Corput: 0, 1/2, 1/4, 3/4, 1/8, 5/8, 3/8, 7/8 of the held-out windows
        int[] of40 = new int[8];
        int[] of7 = new int[8];
        for (int k = 0; k < 8; k++) {
            of40[k] = EdgeSpec.window(k, 40);
            of7[k] = EdgeSpec.window(k, 7);
        }
        assertArrayEquals(new int[] {0, 20, 10, 30, 5, 25, 15, 35}, of40);
        assertArrayEquals(new int[] {0, 3, 1, 5, 0, 4, 2, 6}, of7);
        EdgeSpec edge = (EdgeSpec) spec("edge");
        int windows = edge.motion().heldCount();
        assertEquals("beats " + windows / 2, edge.conditionLabel(1));
        try (NDManager m = Torch.manager()) {
            float[] dance = edge.motion().dance(m, true, new int[] {windows / 2}).toFloatArray();
            float[] cond = edge.sampleCond(m, 1, 1).toFloatArray();
            // the features of the window the label names, then the "condition dropped" flag channel, 0
            int features = MotionData.DANCE_FEATURES;
            for (int f = 0; f < dance.length / features; f++) {
                assertArrayEquals(Arrays.copyOfRange(dance, f * features, (f + 1) * features),
                        Arrays.copyOfRange(cond, f * (features + 1), f * (features + 1) + features), "frame " + f);
                assertEquals(0f, cond[f * (features + 1) + features]);
            }
        }
    }

    @Test
    void aSampleRunAloneIsConditionedByItsNumber() {
        // same seed, so only the condition can tell two single-sample runs apart
        for (Object[] w : new Object[][] {{"dit", 10}, {"mdm", 2}, {"mld", 2}}) {
            String id = (String) w[0];
            int period = (int) w[1];
            Workload workload = Catalog.runtime(id);
            try (NDManager m = Torch.manager(); LoadedWorkload model = workload.load(m, null)) {
                float[] one = model.sample(1, 1, 2, 9, null, StepListener.NONE).values();
                assertArrayEquals(one, model.sample(1 + period, 1, 2, 9, null, StepListener.NONE).values(), id + ": same condition, same sample");
                assertFalse(Arrays.equals(one, model.sample(0, 1, 2, 9, null, StepListener.NONE).values()), id + ": samples 0 and 1 differ in condition");
            }
        }
    }
}
