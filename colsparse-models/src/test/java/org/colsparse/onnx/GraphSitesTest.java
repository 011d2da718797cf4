package org.colsparse.onnx;

import org.colsparse.onnx.proto.Onnx.AttributeProto;
import org.colsparse.runtime.GemmRecorder;
import org.colsparse.runtime.SiteLayout;
import org.colsparse.util.InputException;
import org.colsparse.workload.Gemm;
import org.colsparse.workload.SiteRole;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sites in whole blocks (GEGLU, time MLP, conv), their names and roles, and the GEMMs of a call as measured. */
class GraphSitesTest {
    static final AttributeProto[] NONE = new AttributeProto[0];

    /** diffusers' GEGLU: proj -> (value, gate) -> value * gelu(gate) -> down-projection. */
    static OnnxModel geglu(String block) {
        GraphBuilder b = new GraphBuilder().input("x", 1, 4, 8);
        String value = b.node("MatMul", block + "/ff/net.0/proj/MatMul", "x", b.weight("wv", 1, 0.5, 8, 16));
        String gate = b.node("MatMul", block + "/ff/net.0/proj/MatMul_1", "x", b.weight("wg", 2, 0.5, 8, 16));
        String g = b.node("Gelu", block + "/ff/net.0/Gelu", gate);
        String h = b.node("Mul", block + "/ff/net.0/Mul", value, g);
        return b.output(b.node("MatMul", block + "/ff/net.2/MatMul", h, b.weight("w2", 3, 0.5, 16, 8))).build();
    }

    @Test
    void gegluSiteIsTheGateGeluAndTheDownProjectionConsumesIt() {
        OnnxModel m = geglu("/down_blocks.0/attentions.0/transformer_blocks.0");
        GraphSite s = GeluFinder.find(m).get(0);
        assertEquals("down_blocks.0.attentions.0.transformer_blocks.0.ff.net.0", s.name());
        assertEquals(SiteRole.GEGLU_GATE, s.role());
        assertEquals("/down_blocks.0/attentions.0/transformer_blocks.0/ff/net.2/MatMul", s.consumer());
        assertEquals("/down_blocks.0/attentions.0/transformer_blocks.0/ff/net.0/proj/MatMul_1_output_0", s.input());
        List<GemmRecorder.Op> ops = gemms(m, Map.of("x", HostTensor.ofFloats(new long[] {1, 4, 8}, new float[32])));
        assertEquals(List.of("", "", s.name()), ops.stream().map(o -> o.gemm().consumesSite()).toList());
        assertEquals(new Gemm("down_blocks.0.attentions.0.transformer_blocks.0.ff.net.2.MatMul", 4, 8, 16, 1, s.name()), ops.get(2).gemm());
    }

    @Test
    void temporalBlocksGiveTemporalGegluGates() {
        assertEquals(SiteRole.TEMPORAL_GEGLU_GATE, GeluFinder.find(geglu("/down_blocks.0/motion_modules.0/temporal_transformer/transformer_blocks.0")).get(0).role());
    }

    /** Time MLP: t -> Gemm -> GELU -> Gemm, added to the sample's features; an FFN on the sample after it. */
    static OnnxModel timeAndSample(String timeScope) {
        GraphBuilder b = new GraphBuilder().input("sample", 2, 8).input("t", 2, 8);
        String h = b.node("Gemm", timeScope + "/linear_1/Gemm", "t", b.weight("t1", 1, 0.5, 8, 8));
        String g = b.node("Gelu", timeScope + "/act/Gelu", h);
        String temb = b.node("Gemm", timeScope + "/linear_2/Gemm", g, b.weight("t2", 2, 0.5, 8, 8));
        String x = b.node("Add", "/add/Add", "sample", temb);
        String f = b.node("Gelu", "/ff/act/Gelu", x);
        return b.output(b.node("MatMul", "/ff/out/MatMul", f, b.weight("w", 3, 0.5, 8, 8))).build();
    }

    @Test
    void rolesFromWhatASiteDependsOnOrFromItsScope() {
        List<GraphSite> hinted = GeluFinder.find(timeAndSample("/emb"), new GeluFinder.RoleHints("sample", "t"));
        assertEquals(List.of(SiteRole.TIME_MLP, SiteRole.FFN), hinted.stream().map(GraphSite::role).toList());
        assertEquals(List.of("emb.act", "ff.act"), hinted.stream().map(GraphSite::name).toList());
        List<GraphSite> named = GeluFinder.find(timeAndSample("/time_embedding"));
        assertEquals(List.of(SiteRole.TIME_MLP, SiteRole.FFN), named.stream().map(GraphSite::role).toList());
        // a GELU that reads neither the sample nor the timestep runs once per condition: cond-ffn
        List<GraphSite> cond = GeluFinder.find(timeAndSample("/emb"), new GeluFinder.RoleHints("sample", "other"));
        assertEquals(SiteRole.COND_FFN, cond.get(0).role());
    }

    @Test
    void aGeluFeedingAConvIsAConvSiteWithChannelsFirst() {
        GraphBuilder b = new GraphBuilder().input("x", 1, 4, 6, 6);
        String g = b.node("Gelu", "/res/act/Gelu", "x");
        String y = b.node("", "Conv", "/res/conv/Conv", new AttributeProto[] {GraphBuilder.ints("pads", 1, 1, 1, 1)}, g, b.weight("k", 1, 0.3, 5, 4, 3, 3));
        OnnxModel m = b.output(y).build();
        GraphSite s = GeluFinder.find(m).get(0);
        assertEquals(SiteRole.CONV, s.role());
        assertEquals(SiteLayout.CHANNEL_FIRST, s.layout());
        GemmRecorder.Op op = gemms(m, Map.of("x", HostTensor.ofFloats(new long[] {1, 4, 6, 6}, new float[144]))).get(0);
        assertEquals(new Gemm("res.conv.Conv", 36, 5, 36, 1, "res.act"), op.gemm());
        assertEquals(new GemmRecorder.ConvGeometry(1, 4, 6, 6, 3, 1, 1), op.conv());
    }

    @Test
    void namesAreUniqueInGraphOrderAndFallBackToValueNames() {
        GraphBuilder b = new GraphBuilder().input("x", 2, 8);
        String a = b.node("Gelu", "/blk/act/Gelu", "x");
        String c = b.node("Gelu", "/blk/act/Gelu_1", a);
        String d = b.node("", "Gelu", "", NONE, c);
        OnnxModel m = b.output(d).build();
        List<GraphSite> sites = GeluFinder.find(m);
        assertEquals(List.of("blk.act.gelu", "blk.act.gelu#2", "Gelu_2_out"), sites.stream().map(GraphSite::name).toList());
        assertEquals(List.of(0, 1, 2), sites.stream().map(GraphSite::index).toList());
        // no consumer GEMM: reported, but no GEMM can skip its columns
        assertEquals("", sites.get(2).consumer());
    }

    @Test
    void roundedExporterConstantsMatchButOtherConstantsDoNot() {
        for (double c : new double[] {1.4142, 1.41421356}) {
            GraphBuilder b = new GraphBuilder().input("x", 2, 8);
            String e = b.node("Erf", "/a/Erf", b.node("Div", "/a/Div", "x", b.scalar(c)));
            String g = b.node("Mul", "/a/Mul_1", b.node("Mul", "/a/Mul", "x", b.node("Add", "/a/Add", e, b.scalar(1))), b.scalar(0.5));
            assertEquals(1, GeluFinder.find(b.output(g).build()).size());
        }
        GraphBuilder b = new GraphBuilder().input("x", 2, 8);
        String e = b.node("Erf", "/a/Erf", b.node("Div", "/a/Div", "x", b.scalar(2.0)));
        String g = b.node("Mul", "/a/Mul_1", b.node("Mul", "/a/Mul", "x", b.node("Add", "/a/Add", e, b.scalar(1))), b.scalar(0.5));
        OnnxModel notGelu = b.output(g).build();
        InputException ex = assertThrows(InputException.class, () -> GeluFinder.find(notGelu));
        assertTrue(ex.getMessage().startsWith("test.onnx: no GELU found in the graph"), ex.getMessage());
    }

    /** SiLU, x * sigmoid(x), and x * sigmoid(2 x) are not QuickGELU: only the 1.702 scale is. */
    @Test
    void siluIsNotAGelu() {
        GraphBuilder silu = new GraphBuilder().input("x", 2, 8);
        String s = silu.node("Mul", "/a/Mul", "x", silu.node("Sigmoid", "/a/Sigmoid", "x"));
        OnnxModel siluGraph = silu.output(s).build();
        assertTrue(assertThrows(InputException.class, () -> GeluFinder.find(siluGraph)).getMessage().contains("no GELU found"));
        GraphBuilder scaled = new GraphBuilder().input("x", 2, 8);
        String t = scaled.node("Mul", "/a/Mul_1", "x", scaled.node("Sigmoid", "/a/Sigmoid", scaled.node("Mul", "/a/Mul", "x", scaled.scalar(2.0))));
        OnnxModel scaledGraph = scaled.output(t).build();
        assertThrows(InputException.class, () -> GeluFinder.find(scaledGraph));
    }

    @Test
    void gemmShapesOfBatchedMatMulGemmTransBAndGroupedStridedConv() {
        GraphBuilder b = new GraphBuilder().input("q", 2, 3, 5, 7).input("k", 2, 3, 7, 4).input("a", 6, 8).input("x", 1, 4, 9, 9).input("h", 2, 5, 8);
        String qk = b.node("MatMul", "/attn/MatMul", "q", "k");
        String gm = b.node("", "Gemm", "/proj/Gemm", new AttributeProto[] {GraphBuilder.integer("transB", 1)}, "a", b.weight("wg", 1, 0.5, 5, 8));
        String cv = b.node("", "Conv", "/conv/Conv", new AttributeProto[] {GraphBuilder.ints("pads", 1, 1, 1, 1),
                GraphBuilder.ints("strides", 2, 2), GraphBuilder.integer("group", 2)}, "x", b.weight("wc", 2, 0.5, 6, 2, 3, 3));
        String lin = b.node("MatMul", "/lin/MatMul", "h", b.weight("wl", 3, 0.5, 8, 3));
        OnnxModel m = b.output(qk).output(gm).output(cv).output(lin).build();
        Map<String, HostTensor> in = new HashMap<>();
        in.put("q", HostTensor.ofFloats(new long[] {2, 3, 5, 7}, new float[210]));
        in.put("k", HostTensor.ofFloats(new long[] {2, 3, 7, 4}, new float[168]));
        in.put("a", HostTensor.ofFloats(new long[] {6, 8}, new float[48]));
        in.put("x", HostTensor.ofFloats(new long[] {1, 4, 9, 9}, new float[324]));
        in.put("h", HostTensor.ofFloats(new long[] {2, 5, 8}, new float[80]));
        GemmProbe probe = GemmProbe.of(m, List.of());
        List<Gemm> gemms = gemms(probe, in).stream().map(GemmRecorder.Op::gemm).toList();
        assertEquals(List.of(
                new Gemm("attn.MatMul", 5, 4, 7, 6, ""),
                new Gemm("proj.Gemm", 6, 5, 8, 1, ""),
                new Gemm("conv.Conv", 25, 3, 18, 2, ""),
                new Gemm("lin.MatMul", 10, 3, 8, 1, "")), gemms);
        assertNull(gemms(probe, in).get(2).conv());
    }

    static List<GemmRecorder.Op> gemms(OnnxModel m, Map<String, HostTensor> in) {
        return gemms(GemmProbe.of(m, GeluFinder.find(m)), in);
    }

    static List<GemmRecorder.Op> gemms(GemmProbe probe, Map<String, HostTensor> in) {
        try (OnnxRunner r = new OnnxRunner(probe.model())) {
            Map<String, long[]> shapes = new HashMap<>();
            r.run(in, probe.shapeOutputs()).forEach((k, v) -> shapes.put(k, v.longs()));
            return probe.gemms(shapes);
        }
    }
}
