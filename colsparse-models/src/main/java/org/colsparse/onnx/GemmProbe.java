package org.colsparse.onnx;

import org.colsparse.onnx.proto.Onnx.GraphProto;
import org.colsparse.onnx.proto.Onnx.NodeProto;
import org.colsparse.onnx.proto.Onnx.ValueInfoProto;
import org.colsparse.runtime.GemmRecorder;
import org.colsparse.workload.Gemm;
import org.colsparse.workload.SiteRole;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The GEMMs of one call, measured rather than inferred: a copy of the graph where a {@code Shape} node
 * on each operand of every MatMul, Gemm, Conv and ConvTranspose (and on each Conv's output) is a graph output, so one
 * run gives M, K, N as the call saw them, for a few bytes per GEMM. The values are the ones
 * {@link GemmRecorder} records for the built-in workloads, in graph order: convolutions as im2col GEMMs
 * (one instance per group), batched products (attention) with their batch as instances.
 *
 * @param model  the probing graph; run it once with the call's inputs
 * @param probes one per GEMM node, in graph order
 */
public record GemmProbe(OnnxModel model, List<Probe> probes) {
    /** One GEMM node and the names of the shape outputs that measure it. */
    public record Probe(String name, NodeProto node, String shapeA, String shapeB, String shapeOut, String consumesSite) {
    }

    /** A probe for every top-level GEMM of {@code model}; {@code sites} mark the GEMMs that consume a GELU site. */
    public static GemmProbe of(OnnxModel model, List<GraphSite> sites) {
        GraphProto graph = model.graph();
        GraphIndex index = new GraphIndex(graph);
        Map<String, GraphSite> byOutput = new HashMap<>();
        sites.forEach(s -> byOutput.put(s.output(), s));
        Set<String> taken = new HashSet<>();
        graph.getNodeList().forEach(n -> taken.addAll(n.getOutputList()));
        graph.getInputList().forEach(i -> taken.add(i.getName()));
        graph.getInitializerList().forEach(i -> taken.add(i.getName()));
        GraphProto.Builder g = graph.toBuilder();
        List<Probe> probes = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (NodeProto n : graph.getNodeList()) {
            boolean conv = GraphIndex.isOp(n, "Conv");
            if (!(conv || GraphIndex.isOp(n, "MatMul") || GraphIndex.isOp(n, "Gemm") || GraphIndex.isOp(n, "ConvTranspose"))
                    || n.getInputCount() < 2) {
                continue;
            }
            String base = dotted(GeluFinder.label(n));
            int seen = names.merge(base, 1, Integer::sum);
            String name = seen == 1 ? base : base + "#" + seen;
            String a = shape(g, n.getInput(0), "colsparse/shape/" + name + "/a", taken);
            String b = shape(g, n.getInput(1), "colsparse/shape/" + name + "/b", taken);
            String out = conv ? shape(g, n.getOutput(0), "colsparse/shape/" + name + "/out", taken) : "";
            GraphSite site = consumed(index, n, byOutput);
            probes.add(new Probe(name, n, a, b, out, site == null ? "" : site.name()));
        }
        return new GemmProbe(model.withGraph(g.build(), "GEMM shapes"), List.copyOf(probes));
    }

    /** The outputs to ask the probing run for. */
    public List<String> shapeOutputs() {
        List<String> out = new ArrayList<>();
        for (Probe p : probes) {
            out.add(p.shapeA());
            out.add(p.shapeB());
            if (!p.shapeOut().isEmpty()) {
                out.add(p.shapeOut());
            }
        }
        return out;
    }

    /** The call's GEMMs from the probing run's {@code shapes} (output name to the shape's values). */
    public List<GemmRecorder.Op> gemms(Map<String, long[]> shapes) {
        List<GemmRecorder.Op> ops = new ArrayList<>();
        for (Probe p : probes) {
            ops.add(op(p, need(shapes, p.shapeA()), need(shapes, p.shapeB()), p.shapeOut().isEmpty() ? null : need(shapes, p.shapeOut())));
        }
        return ops;
    }

    private static long[] need(Map<String, long[]> shapes, String name) {
        long[] s = shapes.get(name);
        if (s == null) {
            throw new IllegalStateException("the probing run did not return " + name);
        }
        return s;
    }

    static GemmRecorder.Op op(Probe p, long[] a, long[] b, long[] out) {
        NodeProto n = p.node();
        if (GraphIndex.isOp(n, "Conv")) {
            return conv(p, a, b, out);
        }
        if (GraphIndex.isOp(n, "ConvTranspose")) {
            // the GEMM of a transposed convolution: each input pixel's channels times the weight gives
            // that pixel's kernel-sized patch of every output channel (scattered and summed after)
            long group = GeluFinder.attrInt(n, "group", 1);
            return new GemmRecorder.Op(new Gemm(p.name(), a[0] * product(a, 2, a.length), b[1] * product(b, 2, b.length), b[0] / group, group, ""), null);
        }
        if (GraphIndex.isOp(n, "Gemm")) {
            boolean ta = GeluFinder.attrInt(n, "transA", 0) != 0;
            boolean tb = GeluFinder.attrInt(n, "transB", 0) != 0;
            long m = ta ? a[1] : a[0];
            long k = ta ? a[0] : a[1];
            long nn = tb ? b[0] : b[1];
            return new GemmRecorder.Op(new Gemm(p.name(), m, nn, k, 1, p.consumesSite()), null);
        }
        // MatMul, numpy semantics: a weight (2-D B) folds A's leading axes into M; batched operands
        // on both sides (attention) are instances of one (m x k)(k x n) product
        long k = a[a.length - 1];
        long nn = b.length == 1 ? 1 : b[b.length - 1];
        long m;
        long instances = 1;
        if (b.length <= 2) {
            m = a.length == 1 ? 1 : product(a, 0, a.length - 1);
        } else {
            m = a.length == 1 ? 1 : a[a.length - 2];
            int batchA = Math.max(0, a.length - 2);
            int batchB = b.length - 2;
            int rank = Math.max(batchA, batchB);
            for (int i = 0; i < rank; i++) {
                long da = i < rank - batchA ? 1 : a[i - (rank - batchA)];
                long db = i < rank - batchB ? 1 : b[i - (rank - batchB)];
                instances *= Math.max(da, db);
            }
        }
        String site = instances == 1 ? p.consumesSite() : "";
        return new GemmRecorder.Op(new Gemm(p.name(), m, nn, k, instances, site), null);
    }

    /**
     * Conv as im2col: rows (batch, output positions), columns (input channels of a group, kernel
     * positions), one GEMM per group. A consumer's mask can be mapped onto the im2col operand only
     * for the geometry {@link GemmRecorder.ConvGeometry} describes (2-D, square kernel, one stride,
     * equal padding on all sides, no dilation, one group); other convolutions are recorded without
     * their site (docs/onnx.md).
     */
    private static GemmRecorder.Op conv(Probe p, long[] x, long[] w, long[] out) {
        NodeProto n = p.node();
        long group = GeluFinder.attrInt(n, "group", 1);
        long outPositions = product(out, 2, out.length);
        long kernel = product(w, 2, w.length);
        long m = out[0] * outPositions;
        long k = w[1] * kernel;
        long nn = w[0] / group;
        GemmRecorder.ConvGeometry geometry = p.consumesSite().isEmpty() ? null : geometry(n, x, w, out, group);
        String site = geometry == null ? "" : p.consumesSite();
        return new GemmRecorder.Op(new Gemm(p.name(), m, nn, k, group, site), geometry);
    }

    private static GemmRecorder.ConvGeometry geometry(NodeProto n, long[] x, long[] w, long[] out, long group) {
        if (x.length != 4 || w[2] != w[3] || group != 1) {
            return null;
        }
        List<Long> strides = GeluFinder.attrInts(n, "strides");
        List<Long> dilations = GeluFinder.attrInts(n, "dilations");
        if (!strides.isEmpty() && !strides.get(0).equals(strides.get(1)) || dilations.stream().anyMatch(d -> d != 1)) {
            return null;
        }
        int kernel = (int) w[2];
        int stride = strides.isEmpty() ? 1 : strides.get(0).intValue();
        // padding from the shapes the call produced, so auto_pad needs no separate rule
        long total = (out[2] - 1) * stride + kernel - x[2];
        long totalW = (out[3] - 1) * stride + kernel - x[3];
        if (total != totalW || total < 0 || total % 2 != 0) {
            return null;
        }
        List<Long> pads = GeluFinder.attrInts(n, "pads");
        if (!pads.isEmpty() && pads.stream().anyMatch(q -> q != total / 2)) {
            return null;
        }
        GemmRecorder.ConvGeometry g = new GemmRecorder.ConvGeometry((int) x[0], (int) x[1], (int) x[2], (int) x[3], kernel, stride, (int) (total / 2));
        return g.outHeight() == out[2] && g.outWidth() == out[3] ? g : null;
    }

    /** The site whose output is {@code gemm}'s activation: directly, or as the GEGLU product {@code value * gelu(gate)}. */
    private static GraphSite consumed(GraphIndex index, NodeProto gemm, Map<String, GraphSite> byOutput) {
        String a = gemm.getInput(0);
        if (!GeluFinder.readsAsActivation(gemm, a)) {
            return null;
        }
        GraphSite direct = byOutput.get(a);
        if (direct != null) {
            return direct;
        }
        int p = index.producerOf(a);
        if (p < 0 || !GraphIndex.isOp(index.node(p), "Mul") || GraphIndex.isOp(gemm, "Conv")) {
            return null;
        }
        for (String in : index.node(p).getInputList()) {
            GraphSite s = byOutput.get(in);
            if (s != null && (s.role() == SiteRole.GEGLU_GATE || s.role() == SiteRole.TEMPORAL_GEGLU_GATE)) {
                return s;
            }
        }
        return null;
    }

    private static String shape(GraphProto.Builder g, String value, String base, Set<String> taken) {
        String out = GraphRewrite.fresh(base, taken);
        g.addNode(GraphRewrite.node("Shape", out, List.of(value), out));
        g.addOutput(ValueInfoProto.newBuilder().setName(out));
        return out;
    }

    private static long product(long[] s, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= s[i];
        }
        return p;
    }

    /** {@code /blocks.0/attn/MatMul_1} -> {@code blocks.0.attn.MatMul_1}. */
    static String dotted(String label) {
        String s = label;
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        return s.replace('/', '.');
    }
}
