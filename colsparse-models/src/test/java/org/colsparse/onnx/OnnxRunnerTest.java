package org.colsparse.onnx;

import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Calls through reused output tensors give what fresh ones gave, and each call's arrays are its own. */
class OnnxRunnerTest {
    @Test
    void repeatedAndInterleavedCallsGiveTheFirstCallsValues() {
        OnnxModel m = ThresholdAndFilesTest.identityAfterGelu();
        GraphSite s = GeluFinder.find(m).get(0);
        String y = m.graph().getOutput(0).getName();
        float[] x = GeluFormsTest.xs();
        float[] x2 = x.clone();
        for (int i = 0; i < x2.length; i++) {
            x2[i] = -x2[i];
        }
        Map<String, HostTensor> a = Map.of("x", HostTensor.ofFloats(new long[] {6, 8}, x));
        Map<String, HostTensor> b = Map.of("x", HostTensor.ofFloats(new long[] {6, 8}, x2));
        try (OnnxRunner r = new OnnxRunner(GraphRewrite.tap(m, List.of(s)), new OnnxRunner.Threads(2, 1))) {
            Map<String, HostTensor> first = r.run(a, List.of(y, s.output()));
            Map<String, HostTensor> firstB = r.run(b, List.of(y, s.output()));
            Map<String, HostTensor> again = r.run(a, List.of(y, s.output()));
            Map<String, HostTensor> onlyY = r.run(b, List.of(y));
            Map<String, HostTensor> againB = r.run(b, List.of(y, s.output()));
            assertArrayEquals(first.get(y).floats(), again.get(y).floats());
            assertArrayEquals(first.get(s.output()).floats(), again.get(s.output()).floats());
            assertArrayEquals(firstB.get(y).floats(), againB.get(y).floats());
            assertArrayEquals(firstB.get(y).floats(), onlyY.get(y).floats());
            assertNotSame(first.get(y).floats(), again.get(y).floats());
            assertEquals(List.of(6L, 8L), java.util.Arrays.stream(again.get(y).shape()).boxed().toList());
        }
    }

    @Test
    void threadCountsBelowOneAreInputErrors() {
        InputException e = assertThrows(InputException.class, () -> new OnnxRunner.Threads(0, 1));
        assertEquals("threads: must be at least 1, got intra-op 0, inter-op 1", e.getMessage());
    }
}
