package org.colsparse.onnx;

import org.colsparse.onnx.proto.Onnx.AttributeProto;
import org.colsparse.onnx.proto.Onnx.GraphProto;
import org.colsparse.onnx.proto.Onnx.NodeProto;
import org.colsparse.onnx.proto.Onnx.ValueInfoProto;
import org.colsparse.runtime.SiteLayout;
import org.colsparse.util.InputException;
import org.colsparse.workload.SiteRole;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds every GELU of a graph's top level, in every form exporters write (docs/onnx.md "GELU forms"):
 * the ONNX {@code Gelu} op, the com.microsoft fused ops, and the decomposed erf and tanh patterns.
 * Patterns are matched by structure and by their constants (to a relative 1e-3, so {@code 1.4142}
 * matches sqrt 2), whatever the operand order of the commutative ops.
 */
public final class GeluFinder {
    static final String MS = "com.microsoft";
    private static final double SQRT2 = Math.sqrt(2);
    private static final double TANH_SCALE = Math.sqrt(2 / Math.PI);
    private static final double QUICK_SCALE = 1.702;
    private static final double TANH_CUBIC = 0.044715;

    /**
     * Which graph inputs carry the noisy sample and the timestep, when known (from a model card): a site
     * that does not depend on the sample runs once per sample, not once per position, and so is a
     * time-embedding MLP (it depends on the timestep) or a conditioning FFN. Without hints, scope names
     * decide (docs/onnx.md "Roles").
     */
    public record RoleHints(String sampleInput, String timestepInput) {
        public static final RoleHints NONE = new RoleHints("", "");
    }

    private final GraphIndex index;
    private final RoleHints hints;
    private final BitSet[] deps;
    private final Map<String, Integer> inputBit = new HashMap<>();

    private GeluFinder(GraphProto graph, RoleHints hints) {
        this.index = new GraphIndex(graph);
        this.hints = hints;
        this.deps = dependencies(graph);
    }

    /** Every GELU site of {@code model} in graph order; a graph without one is an {@link InputException}. */
    public static List<GraphSite> find(OnnxModel model, RoleHints hints) {
        if (model.graph().getNodeList().stream().anyMatch(n -> n.getOpType().equals("BiasSplitGelu") && n.getDomain().equals(MS))) {
            throw new IllegalArgumentException(model.source() + ": holds com.microsoft BiasSplitGelu; unfuse it first (GraphRewrite.unfuseSplitGelu)");
        }
        List<GraphSite> sites = new GeluFinder(model.graph(), hints).sites();
        if (sites.isEmpty()) {
            throw new InputException(model.source() + ": no GELU found in the graph (looked for Gelu, com.microsoft "
                    + "Gelu/FastGelu/BiasGelu/QuickGelu and the decomposed erf, tanh and x * sigmoid(1.702 x) patterns; see docs/onnx.md)");
        }
        return sites;
    }

    public static List<GraphSite> find(OnnxModel model) {
        return find(model, RoleHints.NONE);
    }

    /** A GELU before naming and roles: where it is and how it was written. */
    private record Match(int outputNode, String output, String input, String bias, GeluKind kind, String form, Set<Integer> nodes) {
    }

    private List<GraphSite> sites() {
        Map<String, Match> byOutput = new HashMap<>();
        GraphProto g = index.graph();
        for (int i = 0; i < g.getNodeCount(); i++) {
            Match m = match(i);
            if (m != null) {
                byOutput.putIfAbsent(m.output(), m);
            }
        }
        List<Match> matches = new ArrayList<>(byOutput.values());
        matches.sort(Comparator.comparingInt(Match::outputNode));
        List<Consumer> consumers = matches.stream().map(m -> consumer(m.output())).toList();
        List<String> names = uniqueNames(matches, consumers);
        List<GraphSite> sites = new ArrayList<>();
        for (int s = 0; s < matches.size(); s++) {
            Match m = matches.get(s);
            Consumer c = consumers.get(s);
            String name = names.get(s);
            List<String> nodes = m.nodes().stream().sorted().map(n -> label(g.getNode(n))).toList();
            sites.add(new GraphSite(s, name, m.output(), m.input(), m.bias(), m.kind(), m.form(), nodes, m.outputNode(),
                    role(m, c, name), c == null ? "" : label(g.getNode(c.node())),
                    c != null && GraphIndex.isOp(g.getNode(c.node()), "Conv") ? SiteLayout.CHANNEL_FIRST : SiteLayout.CHANNEL_LAST));
        }
        return sites;
    }

    private Match match(int i) {
        NodeProto n = index.node(i);
        String op = n.getOpType();
        if (n.getOutputCount() == 0 || n.getInputCount() == 0) {
            return null;
        }
        Set<Integer> self = Set.of(i);
        if (GraphIndex.isDefaultDomain(n.getDomain())) {
            switch (op) {
                case "Gelu":
                    boolean tanh = attrString(n, "approximate", "none").equals("tanh");
                    return new Match(i, n.getOutput(0), n.getInput(0), "", tanh ? GeluKind.TANH : GeluKind.EXACT,
                            tanh ? "Gelu(approximate=tanh)" : "Gelu", self);
                case "Erf":
                    return erfPattern(i);
                case "Tanh":
                    return tanhPattern(i);
                case "Sigmoid":
                    return sigmoidPattern(i);
                default:
                    return null;
            }
        }
        if (!n.getDomain().equals(MS)) {
            return null;
        }
        String bias = n.getInputCount() > 1 ? n.getInput(1) : "";
        return switch (op) {
            case "Gelu" -> new Match(i, n.getOutput(0), n.getInput(0), "", GeluKind.EXACT, MS + ".Gelu", self);
            case "BiasGelu" -> new Match(i, n.getOutput(0), n.getInput(0), bias, GeluKind.EXACT, MS + ".BiasGelu", self);
            case "FastGelu" -> new Match(i, n.getOutput(0), n.getInput(0), bias, GeluKind.TANH, MS + ".FastGelu", self);
            case "QuickGelu" -> new Match(i, n.getOutput(0), n.getInput(0), "", GeluKind.SIGMOID, MS + ".QuickGelu", self);
            default -> null;
        };
    }

    /** erf(x / sqrt 2) or erf(x * (1 / sqrt 2)), then 1 + it, then the product with x and 0.5. */
    private Match erfPattern(int erf) {
        NodeProto e = index.node(erf);
        int p = index.producerOf(e.getInput(0));
        if (p < 0) {
            return null;
        }
        NodeProto scale = index.node(p);
        String x = null;
        if (GraphIndex.isOp(scale, "Div") && index.isConstant(scale.getInput(1), SQRT2)) {
            x = scale.getInput(0);
        } else if (GraphIndex.isOp(scale, "Mul")) {
            x = operandBeside(scale, 1 / SQRT2);
        }
        if (x == null) {
            return null;
        }
        return product(erf, x, Set.of(p, erf), GeluKind.EXACT, "erf-pattern");
    }

    /** tanh(sqrt(2/pi) * (x + 0.044715 * x^3)), then 1 + it, then the product with x and 0.5. */
    private Match tanhPattern(int tanh) {
        NodeProto t = index.node(tanh);
        int p = index.producerOf(t.getInput(0));
        if (p < 0 || !GraphIndex.isOp(index.node(p), "Mul")) {
            return null;
        }
        String inner = operandBeside(index.node(p), TANH_SCALE);
        int q = inner == null ? -1 : index.producerOf(inner);
        if (q < 0 || !GraphIndex.isOp(index.node(q), "Add")) {
            return null;
        }
        NodeProto add = index.node(q);
        for (int side = 0; side < 2; side++) {
            String x = add.getInput(side);
            int r = index.producerOf(add.getInput(1 - side));
            if (r < 0 || !GraphIndex.isOp(index.node(r), "Mul")) {
                continue;
            }
            String cube = operandBeside(index.node(r), TANH_CUBIC);
            Set<Integer> cubeNodes = cube == null ? null : cubeOf(cube, x);
            if (cubeNodes != null) {
                Set<Integer> nodes = new TreeSet<>(cubeNodes);
                nodes.addAll(List.of(r, q, p, tanh));
                Match m = product(tanh, x, nodes, GeluKind.TANH, "tanh-pattern");
                if (m != null) {
                    return m;
                }
            }
        }
        return null;
    }

    /**
     * QuickGELU as exporters write {@code x * sigmoid(1.702 * x)} (CLIP, HF {@code QuickGELUActivation}):
     * Mul(x, 1.702) in either order, Sigmoid, then the product with x in either order. Without the
     * 1.702 it is SiLU ({@code x * sigmoid(x)}), not a GELU, and is left alone.
     */
    private Match sigmoidPattern(int sig) {
        NodeProto s = index.node(sig);
        int p = index.producerOf(s.getInput(0));
        if (p < 0 || !GraphIndex.isOp(index.node(p), "Mul")) {
            return null;
        }
        String x = operandBeside(index.node(p), QUICK_SCALE);
        if (x == null) {
            return null;
        }
        int m = multiplying(s.getOutput(0), x);
        if (m < 0) {
            return null;
        }
        return new Match(m, index.node(m).getOutput(0), x, "", GeluKind.SIGMOID, "quickgelu-pattern", new TreeSet<>(List.of(p, sig, m)));
    }

    /** The nodes computing {@code c = x^3} as Pow(x, 3), x * (x * x) or (x * x) * x; null if it is not that. */
    private Set<Integer> cubeOf(String c, String x) {
        int p = index.producerOf(c);
        if (p < 0) {
            return null;
        }
        NodeProto n = index.node(p);
        if (GraphIndex.isOp(n, "Pow") && n.getInput(0).equals(x) && index.isConstant(n.getInput(1), 3)) {
            return Set.of(p);
        }
        if (!GraphIndex.isOp(n, "Mul")) {
            return null;
        }
        for (int side = 0; side < 2; side++) {
            if (n.getInput(side).equals(x)) {
                int sq = index.producerOf(n.getInput(1 - side));
                if (sq >= 0 && GraphIndex.isOp(index.node(sq), "Mul")
                        && index.node(sq).getInput(0).equals(x) && index.node(sq).getInput(1).equals(x)) {
                    return Set.of(p, sq);
                }
            }
        }
        return null;
    }

    /**
     * From the erf or tanh node {@code f}: {@code a = 1 + f} and then {@code a * x * 0.5} in any of the
     * association orders exporters write ((x * a) * 0.5, (a * 0.5) * x, (x * 0.5) * a, also with / 2).
     */
    private Match product(int f, String x, Set<Integer> before, GeluKind kind, String form) {
        for (int addIdx : index.consumersOf(index.node(f).getOutput(0))) {
            NodeProto add = index.node(addIdx);
            if (!GraphIndex.isOp(add, "Add") || otherOperand(add, index.node(f).getOutput(0)) == null
                    || !index.isConstant(otherOperand(add, index.node(f).getOutput(0)), 1)) {
                continue;
            }
            String a = add.getOutput(0);
            for (int m1 : index.consumersOf(a)) {
                NodeProto mul1 = index.node(m1);
                String o1 = GraphIndex.isOp(mul1, "Mul") ? otherOperand(mul1, a) : null;
                if (o1 == null) {
                    continue;
                }
                int last = -1;
                int half = -1;
                if (o1.equals(x)) {
                    last = halving(mul1.getOutput(0));
                } else if (index.isConstant(o1, 0.5)) {
                    last = multiplying(mul1.getOutput(0), x);
                } else if ((half = index.producerOf(o1)) >= 0 && halves(index.node(half), x)) {
                    last = m1;
                }
                if (last >= 0) {
                    Set<Integer> nodes = new TreeSet<>(before);
                    nodes.addAll(List.of(addIdx, m1, last));
                    if (half >= 0 && last == m1) {
                        nodes.add(half);
                    }
                    return new Match(last, index.node(last).getOutput(0), x, "", kind, form, nodes);
                }
            }
        }
        return null;
    }

    /** The node computing {@code v * 0.5} or {@code v / 2}, or -1. */
    private int halving(String v) {
        for (int c : index.consumersOf(v)) {
            if (halves(index.node(c), v)) {
                return c;
            }
        }
        return -1;
    }

    private boolean halves(NodeProto n, String v) {
        if (GraphIndex.isOp(n, "Mul")) {
            String o = otherOperand(n, v);
            return o != null && index.isConstant(o, 0.5);
        }
        return GraphIndex.isOp(n, "Div") && n.getInput(0).equals(v) && index.isConstant(n.getInput(1), 2);
    }

    /** The Mul node computing {@code v * x} (either order), or -1. */
    private int multiplying(String v, String x) {
        for (int c : index.consumersOf(v)) {
            NodeProto n = index.node(c);
            if (GraphIndex.isOp(n, "Mul") && x.equals(otherOperand(n, v))) {
                return c;
            }
        }
        return -1;
    }

    /** For {@code mul = a * b}: the operand beside a constant equal to {@code constant}, or null. */
    private String operandBeside(NodeProto mul, double constant) {
        if (mul.getInputCount() != 2) {
            return null;
        }
        if (index.isConstant(mul.getInput(1), constant)) {
            return mul.getInput(0);
        }
        if (index.isConstant(mul.getInput(0), constant)) {
            return mul.getInput(1);
        }
        return null;
    }

    /** For a binary node reading {@code v}: its other input (v itself for v op v), or null if it does not read v. */
    static String otherOperand(NodeProto n, String v) {
        if (n.getInputCount() != 2) {
            return null;
        }
        if (n.getInput(0).equals(v)) {
            return n.getInput(1);
        }
        return n.getInput(1).equals(v) ? n.getInput(0) : null;
    }

    /** A GEMM reading a site's output unchanged: directly, or as {@code value * gelu(gate)} for GEGLU. */
    record Consumer(int node, boolean geglu) {
    }

    private Consumer consumer(String output) {
        for (int c : index.consumersOf(output)) {
            if (readsAsActivation(index.node(c), output)) {
                return new Consumer(c, false);
            }
        }
        for (int c : index.consumersOf(output)) {
            NodeProto n = index.node(c);
            if (GraphIndex.isOp(n, "Mul") && otherOperand(n, output) != null && !otherOperand(n, output).equals(output)
                    && index.scalar(otherOperand(n, output)).isEmpty()) {
                for (int d : index.consumersOf(n.getOutput(0))) {
                    NodeProto gemm = index.node(d);
                    if (!GraphIndex.isOp(gemm, "Conv") && readsAsActivation(gemm, n.getOutput(0))) {
                        return new Consumer(d, true);
                    }
                }
            }
        }
        return null;
    }

    /** Whether {@code n} is a MatMul, Gemm (A not transposed) or Conv whose activation (first) input is {@code v}. */
    static boolean readsAsActivation(NodeProto n, String v) {
        if (n.getInputCount() < 2 || !n.getInput(0).equals(v) || n.getInput(1).equals(v)) {
            return false;
        }
        if (GraphIndex.isOp(n, "MatMul") || GraphIndex.isOp(n, "Conv")) {
            return true;
        }
        return GraphIndex.isOp(n, "Gemm") && attrInt(n, "transA", 0) == 0;
    }

    private SiteRole role(Match m, Consumer c, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (c != null && GraphIndex.isOp(index.node(c.node()), "Conv")) {
            return SiteRole.CONV;
        }
        if (c != null && c.geglu()) {
            return lower.contains("temporal") || lower.contains("motion_module") ? SiteRole.TEMPORAL_GEGLU_GATE : SiteRole.GEGLU_GATE;
        }
        Boolean onSample = dependsOn(m.output(), hints.sampleInput());
        if (onSample != null && !onSample) {
            Boolean onTime = dependsOn(m.output(), hints.timestepInput());
            return onTime != null && onTime ? SiteRole.TIME_MLP : SiteRole.COND_FFN;
        }
        if (onSample == null && looksLikeTimeEmbedding(lower)) {
            return SiteRole.TIME_MLP;
        }
        return lower.contains("mlp") ? SiteRole.MLP : SiteRole.FFN;
    }

    private static boolean looksLikeTimeEmbedding(String scope) {
        for (String s : new String[] {"time_emb", "time_embed", "timestep", "t_embedder", "temb", "time_mlp", "time_proj"}) {
            if (scope.contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code value} depends on graph input {@code input}; null when that input is not named or not in the graph. */
    private Boolean dependsOn(String value, String input) {
        Integer bit = inputBit.get(input);
        if (input.isEmpty() || bit == null) {
            return null;
        }
        int p = index.producerOf(value);
        return p >= 0 && deps[p].get(bit);
    }

    /** For each node, the graph inputs (by bit) its outputs depend on; nodes are in topological order. */
    private BitSet[] dependencies(GraphProto graph) {
        for (ValueInfoProto in : graph.getInputList()) {
            if (!index.isInitializer(in.getName())) {
                inputBit.put(in.getName(), inputBit.size());
            }
        }
        BitSet[] out = new BitSet[graph.getNodeCount()];
        Map<String, BitSet> byValue = new HashMap<>();
        inputBit.forEach((name, bit) -> {
            BitSet b = new BitSet();
            b.set(bit);
            byValue.put(name, b);
        });
        for (int i = 0; i < graph.getNodeCount(); i++) {
            BitSet b = new BitSet();
            for (String in : graph.getNode(i).getInputList()) {
                BitSet d = byValue.get(in);
                if (d != null) {
                    b.or(d);
                }
            }
            out[i] = b;
            for (String o : graph.getNode(i).getOutputList()) {
                byValue.put(o, b);
            }
        }
        return out;
    }

    /**
     * Names from the scope of the nodes that compute each match (torch.onnx names nodes
     * {@code /blocks.0/mlp/act/Erf}: scope {@code blocks.0.mlp.act}, the {@code nn.GELU} module). A GELU
     * called as a function ({@code F.gelu} in a layer's forward, GEGLU) shares its scope with the layer's
     * other nodes and is named {@code <scope>.gelu}, as the built-in workloads name such sites; a GEGLU
     * gate is named after its GEGLU module ({@code ff.net.0} in diffusers), whose purpose it is. A node
     * without a scope falls back to the scope of its output value, then to the value's name. A name
     * taken twice gets {@code #2}, {@code #3}, ...
     */
    private List<String> uniqueNames(List<Match> matches, List<Consumer> consumers) {
        Map<String, Integer> nodesInScope = new HashMap<>();
        for (NodeProto n : index.graph().getNodeList()) {
            if (!GraphIndex.isOp(n, "Constant")) {
                nodesInScope.merge(nodeScope(n), 1, Integer::sum);
            }
        }
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < matches.size(); i++) {
            Match m = matches.get(i);
            boolean geglu = consumers.get(i) != null && consumers.get(i).geglu();
            String base = baseName(m, nodesInScope, geglu);
            int n = seen.merge(base, 1, Integer::sum);
            names.add(n == 1 ? base : base + "#" + n);
        }
        return names;
    }

    private String baseName(Match m, Map<String, Integer> nodesInScope, boolean geglu) {
        String scope = "";
        for (int n : m.nodes()) {
            String op = index.node(n).getOpType();
            if (op.equals("Erf") || op.equals("Tanh") || m.nodes().size() == 1) {
                scope = nodeScope(index.node(n));
            }
        }
        if (scope.isEmpty()) {
            scope = nodeScope(index.node(m.outputNode()));
        }
        if (scope.isEmpty()) {
            return m.output().isEmpty() ? "gelu" : m.output();
        }
        final String s = scope;
        long own = m.nodes().stream().filter(n -> !GraphIndex.isOp(index.node(n), "Constant") && nodeScope(index.node(n)).equals(s)).count();
        return !geglu && nodesInScope.getOrDefault(scope, 0) > own ? scope + ".gelu" : scope;
    }

    /** The scope of a node's name, or else of its first output's name. */
    private static String nodeScope(NodeProto n) {
        String s = scope(n.getName());
        return s.isEmpty() && n.getOutputCount() > 0 ? scope(n.getOutput(0)) : s;
    }

    /**
     * {@code /a/b.0/c/Op_1} -> {@code a.b.0.c}; empty without a {@code /}-separated scope. Scopes whose
     * segments are qualified module paths ({@code /transformer/transformer.0/...}, as some torch.onnx
     * versions write them) give the module path once: {@code transformer.0}.
     */
    static String scope(String name) {
        int last = name.lastIndexOf('/');
        if (last <= 0) {
            return "";
        }
        String path = "";
        for (String seg : name.substring(0, last).split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            path = path.isEmpty() || seg.startsWith(path + ".") ? seg : path + "." + seg;
        }
        return path;
    }

    static String label(NodeProto n) {
        return !n.getName().isEmpty() ? n.getName() : n.getOutputCount() > 0 ? n.getOutput(0) : n.getOpType();
    }

    static String attrString(NodeProto n, String name, String fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getS().toStringUtf8();
            }
        }
        return fallback;
    }

    static long attrInt(NodeProto n, String name, long fallback) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return fallback;
    }

    static List<Long> attrInts(NodeProto n, String name) {
        for (AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList();
            }
        }
        return List.of();
    }
}
