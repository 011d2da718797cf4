import org.colsparse.onnx.GeluFinder;
import org.colsparse.onnx.GraphBuilder;
import org.colsparse.onnx.GraphRewrite;
import org.colsparse.onnx.GraphSite;
import org.colsparse.onnx.HostTensor;
import org.colsparse.onnx.OnnxModel;
import org.colsparse.onnx.OnnxRunner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Cost of the GELU taps in ONNX Runtime: the same graph untapped and tapped (every site's output an
 * extra graph output, copied into Java as a profile does), on the same inputs, runs alternating so
 * background load hits both alike. Prints the median of the per-pair ratios, tapped / untapped.
 *
 * Graph: a ViT-sized encoder built in Java (layers x (attention: QKV, QK^T, softmax, PV, proj; FFN:
 * fc1, decomposed erf GELU as torch.onnx writes it, fc2; residuals)), or an .onnx file given as the
 * third argument (its float inputs are fed seeded noise; int64 inputs zeros).
 *
 * Usage: bench/onnx/tap-overhead.sh [pairs [layers [model.onnx]]]
 */
public final class TapOverhead {
    public static void main(String[] args) {
        int pairs = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int layers = args.length > 1 ? Integer.parseInt(args[1]) : 6;
        OnnxModel model;
        Map<String, HostTensor> inputs;
        if (args.length > 2) {
            model = OnnxModel.load(Path.of(args[2]));
            inputs = noiseFor(model);
        } else {
            int tokens = 197;
            int dim = 384;
            model = encoder(layers, tokens, dim, 4 * dim, 6);
            inputs = Map.of("x", HostTensor.ofFloats(new long[] {1, tokens, dim}, noise(tokens * dim, 1)));
        }
        List<GraphSite> sites = GeluFinder.find(model);
        try (OnnxRunner plain = new OnnxRunner(model); OnnxRunner tapped = new OnnxRunner(GraphRewrite.tap(model, sites))) {
            List<String> outs = model.graph().getOutputList().stream().map(o -> o.getName()).toList();
            List<String> withTaps = new ArrayList<>(outs);
            sites.forEach(s -> withTaps.add(s.output()));
            for (int i = 0; i < 5; i++) {
                plain.run(inputs, outs);
                tapped.run(inputs, withTaps);
            }
            double[] ratio = new double[pairs];
            double[] p = new double[pairs];
            double[] t = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                // alternate which goes first so drifting load favours neither
                boolean plainFirst = i % 2 == 0;
                if (plainFirst) {
                    p[i] = time(() -> plain.run(inputs, outs));
                    t[i] = time(() -> tapped.run(inputs, withTaps));
                } else {
                    t[i] = time(() -> tapped.run(inputs, withTaps));
                    p[i] = time(() -> plain.run(inputs, outs));
                }
                ratio[i] = t[i] / p[i];
            }
            System.out.printf("graph: %s, %d GELU sites, %d nodes%n", args.length > 2 ? args[2] : layers + "-layer ViT-S-sized encoder (197 tokens, dim 384)",
                    sites.size(), model.graph().getNodeCount());
            System.out.printf("untapped call: median %.2f ms, min %.2f ms%n", median(p) * 1e3, Arrays.stream(p).min().orElse(0) * 1e3);
            System.out.printf("tapped call:   median %.2f ms, min %.2f ms%n", median(t) * 1e3, Arrays.stream(t).min().orElse(0) * 1e3);
            System.out.printf("tap overhead: tapped / untapped = %.3f (median of %d alternating pairs; target <= 1.15)%n", median(ratio), pairs);
        }
    }

    static OnnxModel encoder(int layers, int tokens, int dim, int hidden, int heads) {
        GraphBuilder b = new GraphBuilder().input("x", 1, tokens, dim);
        String x = "x";
        int d = dim / heads;
        long seed = 1;
        for (int l = 0; l < layers; l++) {
            String s = "/blocks." + l;
            String q = heads(b, s + "/attn/q", b.node("MatMul", s + "/attn/q/MatMul", x, b.weight(s + ".q", seed++, 0.05, dim, dim)), tokens, heads, d);
            String k = heads(b, s + "/attn/k", b.node("MatMul", s + "/attn/k/MatMul", x, b.weight(s + ".k", seed++, 0.05, dim, dim)), tokens, heads, d);
            String v = heads(b, s + "/attn/v", b.node("MatMul", s + "/attn/v/MatMul", x, b.weight(s + ".v", seed++, 0.05, dim, dim)), tokens, heads, d);
            String kt = b.node("", "Transpose", s + "/attn/Transpose_k", new org.colsparse.onnx.proto.Onnx.AttributeProto[] {GraphBuilder.ints("perm", 0, 1, 3, 2)}, k);
            String att = b.node("", "Softmax", s + "/attn/Softmax", new org.colsparse.onnx.proto.Onnx.AttributeProto[] {GraphBuilder.integer("axis", -1)},
                    b.node("Mul", s + "/attn/Mul", b.node("MatMul", s + "/attn/MatMul", q, kt), b.scalar(1 / Math.sqrt(d))));
            String o = b.node("MatMul", s + "/attn/MatMul_1", att, v);
            o = b.node("", "Transpose", s + "/attn/Transpose_o", new org.colsparse.onnx.proto.Onnx.AttributeProto[] {GraphBuilder.ints("perm", 0, 2, 1, 3)}, o);
            o = b.node("Reshape", s + "/attn/Reshape_o", o, longs(b, s + ".shape_o", 1, tokens, dim));
            x = b.node("Add", s + "/Add", x, b.node("MatMul", s + "/attn/proj/MatMul", o, b.weight(s + ".proj", seed++, 0.05, dim, dim)));
            String h = b.node("Add", s + "/mlp/fc1/Add", b.node("MatMul", s + "/mlp/fc1/MatMul", x, b.weight(s + ".fc1", seed++, 0.05, dim, hidden)),
                    b.weight(s + ".fc1.bias", seed++, 0.05, hidden));
            String e = b.node("Erf", s + "/mlp/act/Erf", b.node("Div", s + "/mlp/act/Div", h, b.scalar(1.4142135381698608)));
            String g = b.node("Mul", s + "/mlp/act/Mul_1", b.node("Mul", s + "/mlp/act/Mul", h, b.node("Add", s + "/mlp/act/Add", e, b.scalar(1))), b.scalar(0.5));
            x = b.node("Add", s + "/Add_1", x, b.node("MatMul", s + "/mlp/fc2/MatMul", g, b.weight(s + ".fc2", seed++, 0.05, hidden, dim)));
        }
        return b.output(x).build();
    }

    static String heads(GraphBuilder b, String scope, String t, int tokens, int heads, int d) {
        String r = b.node("Reshape", scope + "/Reshape", t, longs(b, scope.replace('/', '.') + ".shape", 1, tokens, heads, d));
        return b.node("", "Transpose", scope + "/Transpose", new org.colsparse.onnx.proto.Onnx.AttributeProto[] {GraphBuilder.ints("perm", 0, 2, 1, 3)}, r);
    }

    static String longs(GraphBuilder b, String name, long... v) {
        return b.longTensor(name, v);
    }

    static Map<String, HostTensor> noiseFor(OnnxModel m) {
        Map<String, HostTensor> in = new java.util.HashMap<>();
        long seed = 1;
        for (var i : m.graph().getInputList()) {
            long[] shape = i.getType().getTensorType().getShape().getDimList().stream().mapToLong(dd -> dd.hasDimValue() ? dd.getDimValue() : 1).toArray();
            int n = (int) Arrays.stream(shape).reduce(1, (a, c) -> a * c);
            in.put(i.getName(), i.getType().getTensorType().getElemType() == 7 ? HostTensor.ofLongs(shape, new long[n]) : HostTensor.ofFloats(shape, noise(n, seed++)));
        }
        return in;
    }

    static float[] noise(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    static double time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
