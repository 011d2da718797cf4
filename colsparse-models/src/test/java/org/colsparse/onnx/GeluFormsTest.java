package org.colsparse.onnx;

import org.colsparse.runtime.SiteLayout;
import org.colsparse.workload.SiteRole;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every GELU form an exporter writes, each in a graph {@code x -> GELU -> MatMul} with torch.onnx's
 * node names: found once, named from its scope, with its consumer and role; its tap equals an
 * independent float64 GELU of its input, and tapping leaves the graph's output bit for bit.
 */
class GeluFormsTest {
    static final String SCOPE = "/blocks.0/mlp/act/";

    enum Form {
        ONNX_GELU("Gelu", GeluKind.EXACT, false, (b, x) -> b.node("", "Gelu", SCOPE + "Gelu", new org.colsparse.onnx.proto.Onnx.AttributeProto[0], x)),
        ONNX_GELU_TANH("Gelu(approximate=tanh)", GeluKind.TANH, false, (b, x) -> b.node("", "Gelu", SCOPE + "Gelu",
                new org.colsparse.onnx.proto.Onnx.AttributeProto[] {GraphBuilder.string("approximate", "tanh")}, x)),
        MS_GELU("com.microsoft.Gelu", GeluKind.EXACT, false, (b, x) -> ms(b, "Gelu", x)),
        MS_FAST_GELU("com.microsoft.FastGelu", GeluKind.TANH, true, (b, x) -> ms(b, "FastGelu", x, "bias")),
        MS_BIAS_GELU("com.microsoft.BiasGelu", GeluKind.EXACT, true, (b, x) -> ms(b, "BiasGelu", x, "bias")),
        MS_QUICK_GELU("com.microsoft.QuickGelu", GeluKind.SIGMOID, false, (b, x) -> ms(b, "QuickGelu", x)),
        // torch.onnx 1.13+ (TorchScript): ((x * (erf(x / 1.4142135) + 1)) * 0.5)
        ERF_TORCHSCRIPT("erf-pattern", GeluKind.EXACT, false, (b, x) -> {
            String e = b.node("Erf", SCOPE + "Erf", b.node("Div", SCOPE + "Div", x, b.scalar(1.4142135381698608)));
            String a = b.node("Add", SCOPE + "Add", e, b.scalar(1));
            return b.node("Mul", SCOPE + "Mul_1", b.node("Mul", SCOPE + "Mul", x, a), b.scalar(0.5));
        }),
        // torch 2.x dynamo: (x * 0.5) * (erf(x * 0.70710678) + 1), constants as Constant nodes
        ERF_DYNAMO("erf-pattern", GeluKind.EXACT, false, (b, x) -> {
            String half = b.node("Mul", SCOPE + "mul", x, b.constantNode(0.5));
            String e = b.node("Erf", SCOPE + "erf", b.node("Mul", SCOPE + "mul_1", x, b.constantNode(0.7071067811865476)));
            return b.node("Mul", SCOPE + "mul_2", half, b.node("Add", SCOPE + "add", e, b.constantNode(1)));
        }),
        // tf2onnx: x * ((1 + erf(0.70710678 * x)) * 0.5), constants first
        ERF_TF2ONNX("erf-pattern", GeluKind.EXACT, false, (b, x) -> {
            String e = b.node("Erf", SCOPE + "Erf", b.node("Mul", SCOPE + "mul", b.scalar(0.7071067811865476), x));
            String a = b.node("Add", SCOPE + "add", b.scalar(1), e);
            return b.node("Mul", SCOPE + "mul_2", x, b.node("Mul", SCOPE + "mul_1", a, b.scalar(0.5)));
        }),
        // torch's tanh GELU (opset < 20): 0.5 * (x * (1 + tanh(0.79788456 * (x + 0.044715 * (x * (x * x))))))
        TANH_CUBE_MUL("tanh-pattern", GeluKind.TANH, false, (b, x) -> {
            String cube = b.node("Mul", SCOPE + "Mul_1", x, b.node("Mul", SCOPE + "Mul", x, x));
            String inner = b.node("Add", SCOPE + "Add", x, b.node("Mul", SCOPE + "Mul_2", b.scalar(0.044715), cube));
            String t = b.node("Tanh", SCOPE + "Tanh", b.node("Mul", SCOPE + "Mul_3", b.scalar(0.7978845608), inner));
            String a = b.node("Add", SCOPE + "Add_1", b.scalar(1), t);
            return b.node("Mul", SCOPE + "Mul_5", b.scalar(0.5), b.node("Mul", SCOPE + "Mul_4", x, a));
        }),
        // HF NewGELU: 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * pow(x, 3))))
        TANH_POW("tanh-pattern", GeluKind.TANH, false, (b, x) -> {
            String cube = b.node("Pow", SCOPE + "Pow", x, b.scalar(3));
            String inner = b.node("Add", SCOPE + "Add", b.node("Mul", SCOPE + "Mul_1", cube, b.scalar(0.044715)), x);
            String t = b.node("Tanh", SCOPE + "Tanh", b.node("Mul", SCOPE + "Mul_2", inner, b.scalar(0.7978845608028654)));
            String a = b.node("Add", SCOPE + "Add_1", t, b.scalar(1));
            return b.node("Mul", SCOPE + "Mul_3", b.node("Mul", SCOPE + "Mul", b.scalar(0.5), x), a);
        }),

        // HF QuickGELUActivation via torch.onnx: x * sigmoid(1.702 * x)
        QUICK_TORCHSCRIPT("quickgelu-pattern", GeluKind.SIGMOID, false, (b, x) -> {
            String s = b.node("Sigmoid", SCOPE + "Sigmoid", b.node("Mul", SCOPE + "Mul", x, b.scalar(1.702)));
            return b.node("Mul", SCOPE + "Mul_1", x, s);
        }),
        // the same with the operands the other way round and constants as Constant nodes
        QUICK_REVERSED("quickgelu-pattern", GeluKind.SIGMOID, false, (b, x) -> {
            String s = b.node("Sigmoid", SCOPE + "sigmoid", b.node("Mul", SCOPE + "mul", b.constantNode(1.702), x));
            return b.node("Mul", SCOPE + "mul_1", s, x);
        });

        final String form;
        final GeluKind kind;
        final boolean biased;
        final BiFunction<GraphBuilder, String, String> write;

        Form(String form, GeluKind kind, boolean biased, BiFunction<GraphBuilder, String, String> write) {
            this.form = form;
            this.kind = kind;
            this.biased = biased;
            this.write = write;
        }
    }

    static String ms(GraphBuilder b, String op, String... inputs) {
        return b.node(GeluFinder.MS, op, SCOPE + op, new org.colsparse.onnx.proto.Onnx.AttributeProto[0], inputs);
    }

    static final long[] X_SHAPE = {2, 3, 8};
    static final String FC2 = "/blocks.0/mlp/fc2/MatMul";

    static OnnxModel graph(Form f) {
        GraphBuilder b = new GraphBuilder().input("x", X_SHAPE);
        b.weight("bias", 7, 0.5, 8);
        String g = f.write.apply(b, "x");
        String y = b.node("MatMul", FC2, g, b.weight("w", 3, 0.5, 8, 4));
        return b.output(y).build();
    }

    /** x in [-4, 4) with exact 0 among them. */
    static float[] xs() {
        SplittableRandom r = new SplittableRandom(11);
        float[] x = new float[48];
        for (int i = 0; i < x.length; i++) {
            x[i] = i == 5 ? 0f : (float) (r.nextDouble() * 8 - 4);
        }
        return x;
    }

    @ParameterizedTest
    @EnumSource(Form.class)
    void findsTheSiteWithScopeNameRoleAndConsumer(Form f) {
        List<GraphSite> sites = GeluFinder.find(graph(f));
        assertEquals(1, sites.size(), sites.toString());
        GraphSite s = sites.get(0);
        assertEquals("blocks.0.mlp.act", s.name());
        assertEquals(f.form, s.form());
        assertEquals(f.kind, s.kind());
        assertEquals("x", s.input());
        assertEquals(f.biased ? "bias" : "", s.bias());
        assertEquals(SiteRole.MLP, s.role());
        assertEquals(FC2, s.consumer());
        assertEquals(SiteLayout.CHANNEL_LAST, s.layout());
    }

    /**
     * Float tolerance of the taps against float64: 2e-6 absolute + 2e-6 relative (ONNX Runtime's float32
     * erf, tanh and exp, and float32 rounding of the pattern's constants and intermediate products).
     */
    @ParameterizedTest
    @EnumSource(Form.class)
    void tapEqualsFloat64GeluAndOutputsAreBitIdentical(Form f) {
        OnnxModel model = graph(f);
        List<GraphSite> sites = GeluFinder.find(model);
        float[] x = xs();
        Map<String, HostTensor> in = Map.of("x", HostTensor.ofFloats(X_SHAPE, x));
        String y = model.graph().getOutput(0).getName();
        float[] plain;
        try (OnnxRunner r = new OnnxRunner(model)) {
            plain = r.run(in).get(y).floats();
        }
        Map<String, HostTensor> tapped;
        try (OnnxRunner r = new OnnxRunner(GraphRewrite.tap(model, sites))) {
            tapped = r.run(in);
        }
        assertArrayEquals(plain, tapped.get(y).floats(), "tapping changed the output");
        float[] tap = tapped.get(sites.get(0).output()).floats();
        float[] bias = f.biased ? biasValues() : new float[8];
        DoubleUnaryOperator gelu = switch (f.kind) {
            case EXACT -> v -> 0.5 * v * (1 + erf(v / Math.sqrt(2)));
            case TANH -> v -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            case SIGMOID -> v -> v / (1 + Math.exp(-1.702 * v));
        };
        for (int i = 0; i < x.length; i++) {
            double v = (double) (float) (x[i] + bias[i % 8]);
            double want = gelu.applyAsDouble(v);
            assertTrue(Math.abs(tap[i] - want) <= 2e-6 + 2e-6 * Math.abs(want), f + " element " + i + ": " + tap[i] + " vs " + want);
        }
    }

    static float[] biasValues() {
        // same generator as GraphBuilder.weight, re-derived here so the test does not read the graph it checks
        SplittableRandom r = new SplittableRandom(7);
        float[] v = new float[8];
        for (int i = 0; i < 8; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * 0.5);
        }
        return v;
    }

    /** erf by its Taylor series (|z| < 3 here), exact to ~1e-12. */
    static double erf(double z) {
        double term = z;
        double sum = z;
        for (int n = 1; n < 200; n++) {
            term *= -z * z / n;
            sum += term / (2 * n + 1);
        }
        return 2 / Math.sqrt(Math.PI) * sum;
    }
}
