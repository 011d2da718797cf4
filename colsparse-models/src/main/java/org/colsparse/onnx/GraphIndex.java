package org.colsparse.onnx;

import org.colsparse.onnx.proto.Onnx.AttributeProto;
import org.colsparse.onnx.proto.Onnx.GraphProto;
import org.colsparse.onnx.proto.Onnx.NodeProto;
import org.colsparse.onnx.proto.Onnx.TensorProto;
import org.colsparse.tensor.Elements;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** Who produces and who reads each value of a graph's top level, and the scalar constants. */
final class GraphIndex {
    private final GraphProto graph;
    private final Map<String, Integer> producer = new HashMap<>();
    private final Map<String, List<Integer>> consumers = new HashMap<>();
    private final Map<String, TensorProto> initializers = new HashMap<>();

    GraphIndex(GraphProto graph) {
        this.graph = graph;
        for (TensorProto t : graph.getInitializerList()) {
            initializers.put(t.getName(), t);
        }
        for (int i = 0; i < graph.getNodeCount(); i++) {
            NodeProto n = graph.getNode(i);
            for (String o : n.getOutputList()) {
                if (!o.isEmpty()) {
                    producer.put(o, i);
                }
            }
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(i);
                }
            }
        }
    }

    GraphProto graph() {
        return graph;
    }

    NodeProto node(int index) {
        return graph.getNode(index);
    }

    /** Position of the node producing {@code value}, or -1 for graph inputs, initializers and unknown names. */
    int producerOf(String value) {
        return producer.getOrDefault(value, -1);
    }

    /** The node producing {@code value} if it is {@code opType} in the default domain, else null. */
    NodeProto producedBy(String value, String opType) {
        int p = producerOf(value);
        if (p < 0) {
            return null;
        }
        NodeProto n = graph.getNode(p);
        return isOp(n, opType) ? n : null;
    }

    List<Integer> consumersOf(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    boolean isInitializer(String value) {
        return initializers.containsKey(value);
    }

    static boolean isOp(NodeProto n, String opType) {
        return n.getOpType().equals(opType) && isDefaultDomain(n.getDomain());
    }

    static boolean isDefaultDomain(String domain) {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }

    /**
     * The value of {@code name} when it is a constant holding one number (any shape with one element):
     * an initializer or the output of a {@code Constant} node.
     */
    OptionalDouble scalar(String name) {
        TensorProto t = initializers.get(name);
        if (t == null) {
            NodeProto c = producedBy(name, "Constant");
            if (c == null) {
                return OptionalDouble.empty();
            }
            for (AttributeProto a : c.getAttributeList()) {
                switch (a.getName()) {
                    case "value":
                        t = a.getT();
                        break;
                    case "value_float":
                        return OptionalDouble.of(a.getF());
                    case "value_int":
                        return OptionalDouble.of(a.getI());
                    default:
                        break;
                }
            }
            if (t == null) {
                return OptionalDouble.empty();
            }
        }
        return scalar(t);
    }

    static OptionalDouble scalar(TensorProto t) {
        long count = 1;
        for (long d : t.getDimsList()) {
            count *= d;
        }
        if (count != 1) {
            return OptionalDouble.empty();
        }
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean hasRaw = t.hasRawData();
        switch (t.getDataType()) {
            case TensorProto.DataType.FLOAT_VALUE:
                return hasRaw ? OptionalDouble.of(raw.getFloat(0)) : first(t.getFloatDataCount() > 0, () -> t.getFloatData(0));
            case TensorProto.DataType.DOUBLE_VALUE:
                return hasRaw ? OptionalDouble.of(raw.getDouble(0)) : first(t.getDoubleDataCount() > 0, () -> t.getDoubleData(0));
            case TensorProto.DataType.FLOAT16_VALUE:
                return hasRaw ? OptionalDouble.of(Elements.halfToFloat(raw.getShort(0)))
                        : first(t.getInt32DataCount() > 0, () -> Elements.halfToFloat((short) t.getInt32Data(0)));
            case TensorProto.DataType.BFLOAT16_VALUE:
                return hasRaw ? OptionalDouble.of(Elements.bfloat16ToFloat(raw.getShort(0)))
                        : first(t.getInt32DataCount() > 0, () -> Elements.bfloat16ToFloat((short) t.getInt32Data(0)));
            case TensorProto.DataType.INT64_VALUE:
                return hasRaw ? OptionalDouble.of(raw.getLong(0)) : first(t.getInt64DataCount() > 0, () -> t.getInt64Data(0));
            case TensorProto.DataType.INT32_VALUE:
                return hasRaw ? OptionalDouble.of(raw.getInt(0)) : first(t.getInt32DataCount() > 0, () -> t.getInt32Data(0));
            default:
                return OptionalDouble.empty();
        }
    }

    private static OptionalDouble first(boolean present, java.util.function.DoubleSupplier v) {
        return present ? OptionalDouble.of(v.getAsDouble()) : OptionalDouble.empty();
    }

    /** Whether {@code name} is a one-number constant within a relative 1e-3 of {@code expected}. */
    boolean isConstant(String name, double expected) {
        OptionalDouble v = scalar(name);
        return v.isPresent() && Math.abs(v.getAsDouble() - expected) <= 1e-3 * Math.abs(expected);
    }
}
