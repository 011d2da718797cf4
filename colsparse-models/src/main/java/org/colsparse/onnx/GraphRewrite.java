package org.colsparse.onnx;

import org.colsparse.onnx.proto.Onnx.GraphProto;
import org.colsparse.onnx.proto.Onnx.NodeProto;
import org.colsparse.onnx.proto.Onnx.TensorProto;
import org.colsparse.onnx.proto.Onnx.TensorShapeProto;
import org.colsparse.onnx.proto.Onnx.TypeProto;
import org.colsparse.onnx.proto.Onnx.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites of a graph that leave every original output as it was: taps (site outputs as extra graph
 * outputs) and the accuracy sweep's zeroing of near-zero GELU outputs.
 */
public final class GraphRewrite {
    /** The graph input that holds the sweep's threshold (a float32 scalar). */
    public static final String TAU_INPUT = "colsparse_tau";

    private GraphRewrite() {
    }

    /**
     * {@code model} with each site's output also a graph output, under its own value name. No node is
     * added: ONNX Runtime computes what it computed before and hands the site's buffer out as well.
     */
    public static OnnxModel tap(OnnxModel model, List<GraphSite> sites) {
        GraphProto.Builder g = model.graph().toBuilder();
        Set<String> outputs = new HashSet<>();
        g.getOutputList().forEach(o -> outputs.add(o.getName()));
        for (GraphSite s : sites) {
            if (outputs.add(s.output())) {
                g.addOutput(ValueInfoProto.newBuilder().setName(s.output()));
            }
        }
        return model.withGraph(g.build(), "tapped");
    }

    /**
     * {@code model} with each site's output {@code g} replaced, for every node that reads it, by
     * {@code Where(|g| <= tau, 0, g)}: near zero as docs/definitions.md defines it (inclusive). {@code tau}
     * is the float32 graph input {@link #TAU_INPUT}, so one session serves every threshold; the caller
     * passes the largest float32 not above the decimal threshold. Site outputs that are graph outputs
     * stay unthresholded there. Float32 sites only.
     */
    public static OnnxModel threshold(OnnxModel model, List<GraphSite> sites) {
        GraphProto graph = model.graph();
        Set<String> taken = new HashSet<>();
        graph.getNodeList().forEach(n -> {
            taken.addAll(n.getOutputList());
            taken.add(n.getName());
        });
        graph.getInputList().forEach(i -> taken.add(i.getName()));
        graph.getInitializerList().forEach(i -> taken.add(i.getName()));
        if (taken.contains(TAU_INPUT)) {
            throw new org.colsparse.util.InputException(model.source() + ": the graph already has a value named " + TAU_INPUT);
        }
        String zero = fresh("colsparse/zero", taken);
        boolean lessOrEqual = model.opset("") >= 12;
        Map<Integer, List<NodeProto>> after = new HashMap<>();
        Map<String, String> replaced = new HashMap<>();
        for (GraphSite s : sites) {
            String prefix = "colsparse/" + s.name() + "/";
            String abs = fresh(prefix + "abs", taken);
            String near = fresh(prefix + "near_zero", taken);
            String out = fresh(prefix + "thresholded", taken);
            List<NodeProto> nodes = new ArrayList<>();
            nodes.add(node("Abs", prefix + "Abs", List.of(s.output()), abs));
            if (lessOrEqual) {
                nodes.add(node("LessOrEqual", prefix + "LessOrEqual", List.of(abs, TAU_INPUT), near));
            } else {
                String above = fresh(prefix + "above", taken);
                nodes.add(node("Greater", prefix + "Greater", List.of(abs, TAU_INPUT), above));
                nodes.add(node("Not", prefix + "Not", List.of(above), near));
            }
            nodes.add(node("Where", prefix + "Where", List.of(near, zero, s.output()), out));
            after.computeIfAbsent(s.position(), k -> new ArrayList<>()).addAll(nodes);
            replaced.put(s.output(), out);
        }
        GraphProto.Builder g = graph.toBuilder().clearNode();
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto n = graph.getNode(i);
            NodeProto.Builder b = n.toBuilder();
            for (int k = 0; k < n.getInputCount(); k++) {
                String r = replaced.get(n.getInput(k));
                if (r != null) {
                    b.setInput(k, r);
                }
            }
            g.addNode(b);
            after.getOrDefault(i, List.of()).forEach(g::addNode);
        }
        g.addInitializer(TensorProto.newBuilder().setName(zero).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(com.google.protobuf.ByteString.copyFrom(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0f).array())));
        g.addInput(ValueInfoProto.newBuilder().setName(TAU_INPUT).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE).setShape(TensorShapeProto.newBuilder()))));
        return model.withGraph(g.build(), "thresholded");
    }

    /**
     * {@code model} with each com.microsoft {@code BiasSplitGelu} (ONNX Runtime's fused GEGLU:
     * {@code (x + bias)} split in halves on the last axis, {@code left * gelu(right)}) written out as
     * Add, two Slices, com.microsoft {@code Gelu} and Mul, so that {@code gelu(gate)} is a tensor that
     * can be tapped. The node's output keeps its name. The bias must be an initializer (it always is:
     * the fusion takes it from the projection), which gives the split point. Other graphs are returned as they are.
     */
    public static OnnxModel unfuseSplitGelu(OnnxModel model) {
        GraphProto graph = model.graph();
        if (graph.getNodeList().stream().noneMatch(GraphRewrite::isSplitGelu)) {
            return model;
        }
        Set<String> taken = new HashSet<>();
        graph.getNodeList().forEach(n -> {
            taken.addAll(n.getOutputList());
            taken.add(n.getName());
        });
        graph.getInitializerList().forEach(i -> taken.add(i.getName()));
        Map<String, TensorProto> inits = new HashMap<>();
        graph.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        GraphProto.Builder g = graph.toBuilder().clearNode();
        String axes = fresh("colsparse/split_gelu/axes", taken);
        g.addInitializer(longs(axes, -1));
        for (NodeProto n : graph.getNodeList()) {
            if (!isSplitGelu(n)) {
                g.addNode(n);
                continue;
            }
            TensorProto bias = inits.get(n.getInput(1));
            if (bias == null || bias.getDimsCount() != 1 || bias.getDims(0) % 2 != 0) {
                throw new org.colsparse.util.InputException(model.source() + ": BiasSplitGelu node '" + n.getName()
                        + "' has no even-length bias initializer to split at");
            }
            long half = bias.getDims(0) / 2;
            String y = n.getOutput(0);
            String scope = y.lastIndexOf('/') > 0 ? y.substring(0, y.lastIndexOf('/')) : "/" + n.getName();
            String p = scope + "/colsparse_unfused_";
            String sum = fresh(p + "Add_output", taken);
            String value = fresh(p + "Slice_value_output", taken);
            String gate = fresh(p + "Slice_gate_output", taken);
            String gelu = fresh(p + "Gelu_output", taken);
            String zero = fresh(p + "start0", taken);
            String mid = fresh(p + "half", taken);
            String end = fresh(p + "end", taken);
            g.addInitializer(longs(zero, 0)).addInitializer(longs(mid, half)).addInitializer(longs(end, 2 * half));
            g.addNode(node("Add", p + "Add", List.of(n.getInput(0), n.getInput(1)), sum));
            g.addNode(node("Slice", p + "Slice", List.of(sum, zero, mid, axes), value));
            g.addNode(node("Slice", p + "Slice_1", List.of(sum, mid, end, axes), gate));
            g.addNode(node("Gelu", p + "Gelu", List.of(gate), gelu).toBuilder().setDomain(GeluFinder.MS).build());
            g.addNode(node("Mul", p + "Mul", List.of(value, gelu), y));
        }
        return model.withGraph(g.build(), "BiasSplitGelu unfused");
    }

    private static boolean isSplitGelu(NodeProto n) {
        return n.getOpType().equals("BiasSplitGelu") && n.getDomain().equals(GeluFinder.MS) && n.getInputCount() == 2;
    }

    private static TensorProto longs(String name, long v) {
        return TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE).addDims(1)
                .setRawData(com.google.protobuf.ByteString.copyFrom(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array())).build();
    }

    static NodeProto node(String op, String name, List<String> inputs, String output) {
        return NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output).build();
    }

    static String fresh(String base, Set<String> taken) {
        String name = base;
        for (int i = 2; !taken.add(name); i++) {
            name = base + "#" + i;
        }
        return name;
    }
}
