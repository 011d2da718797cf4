package org.colsparse.onnx;

import org.colsparse.onnx.proto.Onnx.TensorProto;
import org.colsparse.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The accuracy sweep's in-graph zeroing, and files that are not what they claim. */
class ThresholdAndFilesTest {
    /** x -> Gelu -> MatMul by the identity, so the output is the (thresholded) GELU exactly. */
    static OnnxModel identityAfterGelu() {
        return identityAfterGelu(20);
    }

    /** Below opset 20 the GELU is com.microsoft's, and below 12 the threshold needs Not(Greater). */
    static OnnxModel identityAfterGelu(long opset) {
        float[] eye = new float[64];
        for (int i = 0; i < 8; i++) {
            eye[i * 9] = 1;
        }
        GraphBuilder b = new GraphBuilder().input("x", 6, 8);
        String g = opset >= 20 ? b.node("Gelu", "/mlp/act/Gelu", "x")
                : b.node(GeluFinder.MS, "Gelu", "/mlp/act/Gelu", new org.colsparse.onnx.proto.Onnx.AttributeProto[0], "x");
        return b.output(b.node("MatMul", "/mlp/fc2/MatMul", g, b.tensor("eye", eye, 8, 8))).build(opset);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {20, 11})
    void zeroesExactlyTheOutputsAtOrBelowTauForEveryTauInOneSession(long opset) {
        OnnxModel m = identityAfterGelu(opset);
        List<GraphSite> sites = GeluFinder.find(m);
        float[] x = GeluFormsTest.xs();
        Map<String, HostTensor> in = Map.of("x", HostTensor.ofFloats(new long[] {6, 8}, x));
        String y = m.graph().getOutput(0).getName();
        float[] gelu;
        try (OnnxRunner r = new OnnxRunner(GraphRewrite.tap(m, sites))) {
            gelu = r.run(in).get(sites.get(0).output()).floats();
        }
        try (OnnxRunner r = new OnnxRunner(GraphRewrite.threshold(m, sites))) {
            // tau equal to one element's magnitude: that element counts as near zero (inclusive)
            float atTau = Math.abs(gelu[3]);
            for (float tau : new float[] {0f, 0.01f, atTau, 0.1f}) {
                float[] out = r.run(Map.of("x", in.get("x"), GraphRewrite.TAU_INPUT, HostTensor.ofFloats(new long[0], new float[] {tau}))).get(y).floats();
                int zeroed = 0;
                for (int i = 0; i < gelu.length; i++) {
                    float want = Math.abs(gelu[i]) <= tau ? 0f : gelu[i];
                    assertEquals(want, out[i], 0f, "tau " + tau + " element " + i);
                    zeroed += Math.abs(gelu[i]) <= tau ? 1 : 0;
                }
                assertTrue(tau != atTau || out[3] == 0f, "an output equal to tau is near zero");
                assertTrue(zeroed >= 1, "x holds an exact 0, so every tau zeroes something");
            }
        }
    }

    @Test
    void truncatedGarbageMissingAndExternalDataFilesAreOneLineInputErrors(@TempDir Path dir) throws Exception {
        byte[] good = identityAfterGelu().toBytes();
        Path truncated = dir.resolve("truncated.onnx");
        Files.write(truncated, Arrays.copyOf(good, good.length / 2));
        assertMessage(truncated, truncated + ": truncated ONNX file");
        Path garbage = dir.resolve("garbage.onnx");
        byte[] junk = new byte[4096];
        new java.util.SplittableRandom(1).nextBytes(junk);
        Files.write(garbage, junk);
        assertMessage(garbage, garbage + ": ");
        Path text = dir.resolve("model.onnx");
        Files.writeString(text, "import os\nos.system('echo pwned')\n");
        assertMessage(text, text + ": ");
        assertMessage(dir.resolve("absent.onnx"), dir.resolve("absent.onnx") + ": no such file");
        OnnxModel m = identityAfterGelu();
        var proto = m.proto().toBuilder();
        proto.getGraphBuilder().getInitializerBuilder(0).clearRawData().setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(org.colsparse.onnx.proto.Onnx.StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin"));
        Path external = dir.resolve("external.onnx");
        Files.write(external, proto.build().toByteArray());
        assertMessage(external, external + ": tensor 'eye' is stored as external data");
    }

    @Test
    void aFileOverTwoGibibytesIsRefusedBeforeReading(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.onnx");
        try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(OnnxModel.MAX_BYTES + 1); // sparse: no disk used
        }
        assertMessage(big, big + ": 2147483648 bytes, more than an ONNX file can hold inline (2 GiB)");
    }

    static void assertMessage(Path file, String start) {
        InputException e = assertThrows(InputException.class, () -> OnnxModel.load(file));
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void aLoadedModelRoundTripsByteForByteIncludingFieldsColsparseDoesNotDeclare(@TempDir Path dir) throws Exception {
        // field 14 of ModelProto (metadata_props, here {key: "k"}) is not in colsparse's schema
        byte[] base = identityAfterGelu().toBytes();
        byte[] meta = {(byte) 0x72, 3, 0x0a, 1, 'k'};
        byte[] file = new byte[base.length + meta.length];
        System.arraycopy(base, 0, file, 0, base.length);
        System.arraycopy(meta, 0, file, base.length, meta.length);
        Path p = dir.resolve("m.onnx");
        Files.write(p, file);
        OnnxModel m = OnnxModel.load(p);
        assertTrue(Arrays.equals(file, m.toBytes()));
    }
}
