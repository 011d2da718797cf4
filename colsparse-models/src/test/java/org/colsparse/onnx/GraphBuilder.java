package org.colsparse.onnx;

import com.google.protobuf.ByteString;
import org.colsparse.onnx.proto.Onnx.AttributeProto;
import org.colsparse.onnx.proto.Onnx.GraphProto;
import org.colsparse.onnx.proto.Onnx.ModelProto;
import org.colsparse.onnx.proto.Onnx.NodeProto;
import org.colsparse.onnx.proto.Onnx.OperatorSetIdProto;
import org.colsparse.onnx.proto.Onnx.TensorProto;
import org.colsparse.onnx.proto.Onnx.TensorShapeProto;
import org.colsparse.onnx.proto.Onnx.TypeProto;
import org.colsparse.onnx.proto.Onnx.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/** Small ONNX graphs written by hand, the way exporters write them, for tests and the tap benchmark. */
public final class GraphBuilder {
    private final GraphProto.Builder g = GraphProto.newBuilder().setName("test");
    private int constants;

    public GraphBuilder input(String name, long... dims) {
        g.addInput(value(name, TensorProto.DataType.FLOAT_VALUE, dims));
        return this;
    }

    public GraphBuilder longInput(String name, long... dims) {
        g.addInput(value(name, TensorProto.DataType.INT64_VALUE, dims));
        return this;
    }

    public GraphBuilder output(String name) {
        g.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(TensorProto.DataType.FLOAT_VALUE))));
        return this;
    }

    /** A float32 initializer of random values in [-scale, scale), seeded. */
    public String weight(String name, long seed, double scale, long... dims) {
        SplittableRandom r = new SplittableRandom(seed);
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return tensor(name, v, dims);
    }

    public String tensor(String name, float[] v, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            b.putFloat(f);
        }
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.FLOAT_VALUE)
                .setRawData(ByteString.copyFrom(b.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        g.addInitializer(t);
        return name;
    }

    /** An int64 initializer (Reshape shapes). */
    public String longTensor(String name, long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.INT64_VALUE)
                .addDims(v.length).setRawData(ByteString.copyFrom(b.array())));
        return name;
    }

    /** A scalar float constant as an initializer (as torch.onnx writes them). */
    public String scalar(double v) {
        return tensor("const_" + constants++, new float[] {(float) v});
    }

    /** A scalar float constant as a Constant node (as other exporters write them). */
    public String constantNode(double v) {
        String name = "constnode_" + constants++;
        TensorProto t = TensorProto.newBuilder().setDataType(TensorProto.DataType.FLOAT_VALUE).addFloatData((float) v).build();
        g.addNode(NodeProto.newBuilder().setOpType("Constant").setName("/" + name).addOutput(name)
                .addAttribute(AttributeProto.newBuilder().setName("value").setType(AttributeProto.AttributeType.TENSOR).setT(t)));
        return name;
    }

    public String node(String op, String name, String... inputs) {
        return node("", op, name, new AttributeProto[0], inputs);
    }

    public String node(String domain, String op, String name, AttributeProto[] attrs, String... inputs) {
        String out = name.isEmpty() ? op + "_" + g.getNodeCount() + "_out" : name + "_output_0";
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).setDomain(domain).addOutput(out);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        g.addNode(n);
        return out;
    }

    public static AttributeProto ints(String name, long... v) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    public static AttributeProto integer(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static AttributeProto string(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(v)).build();
    }

    public OnnxModel build() {
        return build(20);
    }

    public OnnxModel build(long opset) {
        ModelProto m = ModelProto.newBuilder().setIrVersion(opset >= 20 ? 9 : 6).setProducerName("colsparse-test").setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("com.microsoft").setVersion(1)).build();
        return new OnnxModel(m, "test.onnx");
    }

    private static ValueInfoProto value(String name, int type, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(type).setShape(s))).build();
    }
}
