"""Rewrites an exported graph's GELUs as ONNX Runtime's transformer optimizer does, with the onnx package only.

    /usr/bin/python3 scripts/onnx/fuse_gelu.py [--model-type=bert|unet] IN.onnx OUT.onnx

ONNX Runtime's Python optimizer (onnxruntime/python/tools/transformers, `optimize_model`) is not installable here,
so this replicates its GELU passes, in the order BertOnnxModel.optimize runs them with its default options
(enable_gelu, enable_bias_gelu; enable_gelu_approximation off):
  1. FusionGelu (fusion_gelu.py): the erf pattern -> com.microsoft Gelu. fuse_1 (PyTorch: Div(1.4142) -> Erf ->
     Add(1) -> Mul(x) -> Mul(0.5), or Mul(0.5) on the side), fuse_2 (Keras), fuse_3 (TensorFlow: Mul(0.7071)).
  2. FusionFastGelu (fusion_fastgelu.py): the tanh pattern -> com.microsoft FastGelu. fuse_4 (PyTorch's
     approximate='tanh': Mul(x, x) -> Mul(x) -> Mul(0.0447) -> Add(x) -> Mul(0.7978) -> Tanh -> Add(1) -> Mul(x) ->
     Mul(0.5)), and fuse_1 (the Pow form).
  3. FusionBiasGelu (fusion_biasgelu.py) with is_fastgelu True then False: a Gelu/FastGelu fed by Add(MatMul, 1-D
     initializer bias) -> com.microsoft FastGelu(matmul, bias) / BiasGelu(matmul, bias).
With --model-type=unet, the order of UnetOnnxModel.optimize instead: 1 and 2 (fuse_gelu), then
  4. FusionBiasSplitGelu (fusion_biassplitgelu.py): GEGLU's proj Add -> Slice(first half) / Slice(second half)
     -> Gelu -> Mul, with the half computed in the graph from Shape -> Gather -> Add -> Div (-> Mul) ->
     com.microsoft BiasSplitGelu(proj MatMul output, proj bias), writing value * gelu(gate) (no BiasGelu).
FusionQuickGelu (Sigmoid(1.702 x) * x) and FusionQOrderedGelu (quantized graphs) run in newer optimizers too; the
script refuses a graph where the QuickGelu pattern occurs instead of pretending to fuse it.
Helpers as in onnx_model.py: find_constant_input looks at the FIRST constant input only and compares with
|value - expected| < delta (1e-6 unless given); create_node_name gives prefix + '_' + n, n counting from 0 (or from
one above the largest existing suffix); fused nodes are appended, the replaced ones removed, unused Constant nodes
and initializers dropped, then the graph is topologically sorted (OnnxModel.graph_topological_sort, not
deterministic mode). The other fusions of the optimizer (attention, LayerNorm/SkipLayerNorm, GroupNorm, BiasAdd,
NhwcConv, ...) are NOT replicated: the result is the exported graph with the GELU fusions applied.
"""
import sys
import numpy as np
import onnx
from onnx import helper, numpy_helper


class Graph:
    def __init__(self, model):
        self.model = model
        self.g = model.graph
        self.suffix = {}

    # ---- onnx_model.py helpers
    def nodes(self):
        return list(self.g.node)

    def input_name_to_nodes(self):
        d = {}
        for n in self.g.node:
            for i in n.input:
                if i:
                    d.setdefault(i, []).append(n)
        return d

    def output_name_to_node(self):
        return {o: n for n in self.g.node for o in n.output if o}

    def get_initializer(self, name):
        for t in self.g.initializer:
            if t.name == name:
                return t
        return None

    def get_constant_value(self, name):
        for n in self.g.node:
            if n.op_type == 'Constant' and n.output[0] == name:
                for a in n.attribute:
                    if a.name == 'value':
                        return numpy_helper.to_array(a.t)
        t = self.get_initializer(name)
        return numpy_helper.to_array(t) if t is not None else None

    def get_constant_input(self, node):
        for i, name in enumerate(node.input):
            v = self.get_constant_value(name)
            if v is not None:
                return i, v
        return None, None

    def find_constant_input(self, node, expected, delta=0.000001):
        i, v = self.get_constant_input(node)
        if v is not None and v.size == 1 and abs(float(v.reshape(-1)[0]) - expected) < delta:
            return i
        return -1

    def has_constant_input(self, node, expected, delta=0.000001):
        return self.find_constant_input(node, expected, delta) >= 0

    def get_parent(self, node, i, out2node):
        if i >= len(node.input):
            return None
        return out2node.get(node.input[i])

    def match_parent(self, node, op_type, input_index, out2node, exclude=()):
        if input_index is None:
            for name in node.input:
                p = out2node.get(name)
                if p is not None and p.op_type == op_type and p not in exclude:
                    return p
            return None
        p = self.get_parent(node, input_index, out2node)
        if p is not None and p.op_type == op_type and p not in exclude:
            return p
        return None

    def match_parent_path(self, node, types, indices, out2node):
        cur = node
        path = []
        for t, i in zip(types, indices):
            p = self.match_parent(cur, t, i, out2node)
            if p is None:
                return None
            path.append(p)
            cur = p
        return path

    @staticmethod
    def is_safe_to_fuse_nodes(remove, keep_outputs, in2nodes):
        for n in remove:
            for o in n.output:
                if o in keep_outputs:
                    continue
                for c in in2nodes.get(o, []):
                    if c not in remove:
                        return False
        return True

    def create_node_name(self, op_type, name_prefix=None):
        prefix = (name_prefix if name_prefix.endswith('_') else name_prefix + '_') if name_prefix else op_type + '_'
        if prefix in self.suffix:
            s = self.suffix[prefix] + 1
        else:
            s = 0
            for n in self.g.node:
                if n.name and n.name.startswith(prefix):
                    try:
                        s = max(int(n.name[len(prefix):]) + 1, s)
                    except ValueError:
                        pass
        self.suffix[prefix] = s
        return prefix + str(s)

    def apply(self, search_op, fuse):
        """fusion_base.Fusion.apply: one pass over the nodes of the search op with the maps made once."""
        in2nodes, out2node = self.input_name_to_nodes(), self.output_name_to_node()
        remove, add = [], []
        for node in [n for n in self.g.node if n.op_type == search_op]:
            fuse(self, node, in2nodes, out2node, remove, add)
        ids = {id(n) for n in remove}
        kept = [n for n in self.g.node if id(n) not in ids]
        del self.g.node[:]
        self.g.node.extend(kept + add)
        self.update_graph()
        return len(add)

    def update_graph(self):
        used = set()
        for n in self.g.node:
            if n.op_type != 'Constant':
                used.update(n.input)
        outputs = {o.name for o in self.g.output}
        keep = [t for t in self.g.initializer if t.name in used or t.name in outputs]
        del self.g.initializer[:]
        self.g.initializer.extend(keep)
        consumed = self.input_name_to_nodes()
        nodes = [n for n in self.g.node if not (n.op_type == 'Constant' and n.output[0] not in consumed
                                                   and n.output[0] not in outputs)]
        del self.g.node[:]
        self.g.node.extend(nodes)

    def topological_sort(self):
        deps = {t.name for t in self.g.initializer} | {i.name for i in self.g.input}
        nodes = list(self.g.node)
        done, out = set(), []
        while len(done) != len(nodes):
            before = len(done)
            for idx, n in enumerate(nodes):
                if idx in done:
                    continue
                if all((not i) or i in deps for i in n.input):
                    out.append(n)
                    done.add(idx)
                    deps.update(o for o in n.output if o)
            if len(done) == before:
                raise RuntimeError('graph is not a DAG')
        del self.g.node[:]
        self.g.node.extend(out)


def ms_node(op, inputs, outputs, name):
    n = helper.make_node(op, inputs=inputs, outputs=outputs, name=name)
    n.domain = 'com.microsoft'
    return n


# ---- fusion_gelu.py
def fuse_gelu(m, erf, in2nodes, out2node, remove, add):
    for f in (_gelu_1, _gelu_2, _gelu_3):
        if f(m, erf, in2nodes, out2node, remove, add):
            return


def _gelu_1(m, erf, in2nodes, out2node, remove, add):
    ch = in2nodes.get(erf.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Add':
        return
    add_after = ch[0]
    if not m.has_constant_input(add_after, 1):
        return
    ch = in2nodes.get(add_after.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Mul':
        return
    mul_after = ch[0]
    div = m.match_parent(erf, 'Div', 0, out2node)
    if div is None or m.find_constant_input(div, 1.4142, delta=0.001) != 1:
        return
    sub_in = div.input[0]
    another = 1 if mul_after.input[0] == add_after.output[0] else 0
    if sub_in == mul_after.input[another]:   # pattern 2: Mul(x, .) then Mul(0.5)
        ch = in2nodes.get(mul_after.output[0], [])
        if len(ch) != 1 or ch[0].op_type != 'Mul':
            return
        mul_half = ch[0]
        if not m.has_constant_input(mul_half, 0.5):
            return
        sub_out = mul_half.output[0]
    else:   # pattern 1: Mul(x, 0.5) on the side
        mul_half = m.match_parent(mul_after, 'Mul', another, out2node)
        if mul_half is None or not m.has_constant_input(mul_half, 0.5) or sub_in not in mul_half.input:
            return
        sub_out = mul_after.output[0]
    nodes = [div, erf, add_after, mul_after, mul_half]
    if not m.is_safe_to_fuse_nodes(nodes, [sub_out], in2nodes):
        return
    remove.extend(nodes)
    add.append(ms_node('Gelu', [sub_in], [sub_out], m.create_node_name('Gelu')))
    return True


def _gelu_2(m, erf, in2nodes, out2node, remove, add):
    ch = in2nodes.get(erf.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Add':
        return
    add_after = ch[0]
    if not m.has_constant_input(add_after, 1):
        return
    ch = in2nodes.get(add_after.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Mul':
        return
    mul_after = ch[0]
    if not m.has_constant_input(mul_after, 0.5):
        return
    ch = in2nodes.get(mul_after.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Mul':
        return
    mul = ch[0]
    div = m.match_parent(erf, 'Div', 0, out2node)
    if div is None:
        return
    sqrt = None
    if m.find_constant_input(div, 1.4142, delta=0.001) != 1:
        sqrt = m.match_parent(div, 'Sqrt', 1, out2node)
        if sqrt is None or not m.has_constant_input(sqrt, 2.0):
            return
    root = m.get_parent(div, 0, out2node)
    if root is None or root.output[0] not in mul.input:
        return
    nodes = [div, erf, add_after, mul_after, mul] + ([sqrt] if sqrt else [])
    if not m.is_safe_to_fuse_nodes(nodes, [mul.output[0]], in2nodes):
        return
    remove.extend(nodes)
    add.append(ms_node('Gelu', [root.output[0]], [mul.output[0]], m.create_node_name('Gelu')))
    return True


def _gelu_3(m, erf, in2nodes, out2node, remove, add):
    ch = in2nodes.get(erf.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Add':
        return
    add_after = ch[0]
    if not m.has_constant_input(add_after, 1):
        return
    ch = in2nodes.get(add_after.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Mul':
        return
    mul_half = ch[0]
    if not m.has_constant_input(mul_half, 0.5):
        return
    first = m.match_parent(erf, 'Mul', 0, out2node)
    if first is None:
        return
    i = m.find_constant_input(first, 0.7071067690849304, delta=0.001)
    if i < 0:
        return
    root = m.get_parent(first, 0 if i == 1 else 1, out2node)
    if root is None:
        return
    ch = in2nodes.get(mul_half.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Mul':
        return
    last = ch[0]
    if root.output[0] not in (last.input[0], last.input[1]):
        return
    nodes = [first, erf, add_after, mul_half, last]
    if not m.is_safe_to_fuse_nodes(nodes, [last.output[0]], in2nodes):
        return
    remove.extend(nodes)
    add.append(ms_node('Gelu', [root.output[0]], [last.output[0]], m.create_node_name('Gelu')))
    return True


# ---- fusion_fastgelu.py (fuse_1, the Pow form, and fuse_4, PyTorch's tanh form; fuse_2/fuse_3 are TensorFlow's
# and OpenAI's orders, which torch.onnx.export does not write)
def fuse_fastgelu(m, tanh, in2nodes, out2node, remove, add):
    for f in (_fast_1, _fast_4):
        if f(m, tanh, in2nodes, out2node, remove, add):
            return


def _fast_1(m, tanh, in2nodes, out2node, remove, add):
    ch = in2nodes.get(tanh.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Add':
        return
    add_after = ch[0]
    if not m.has_constant_input(add_after, 1.0):
        return
    ch = in2nodes.get(add_after.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Mul':
        return
    mul_after = ch[0]
    mul_half = m.match_parent(mul_after, 'Mul', None, out2node)
    if mul_half is None:
        return
    i = m.find_constant_input(mul_half, 0.5)
    if i < 0:
        return
    root_input = mul_half.input[0 if i == 1 else 1]
    root = m.get_parent(mul_half, 0 if i == 1 else 1, out2node)
    mul_before = m.match_parent(tanh, 'Mul', 0, out2node)
    if mul_before is None:
        return
    i = m.find_constant_input(mul_before, 0.7978, delta=0.0001)
    if i < 0:
        return
    add_before = m.match_parent(mul_before, 'Add', 0 if i == 1 else 1, out2node)
    if add_before is None:
        return
    mul_pow = m.match_parent(add_before, 'Mul', None, out2node, exclude=[root] if root else [])
    if mul_pow is None:
        return
    i = m.find_constant_input(mul_pow, 0.0447, delta=0.0001)
    if i < 0:
        return
    pow_ = m.match_parent(mul_pow, 'Pow', 0 if i == 1 else 1, out2node)
    if pow_ is None or not m.has_constant_input(pow_, 3.0) or pow_.input[0] != root_input:
        return
    nodes = [mul_after, mul_half, add_after, tanh, mul_before, add_before, mul_pow, pow_]
    if not m.is_safe_to_fuse_nodes(nodes, [mul_after.output[0]], in2nodes):
        return
    remove.extend(nodes)
    add.append(ms_node('FastGelu', [root_input], list(mul_after.output), m.create_node_name('FastGelu')))
    return True


def _fast_4(m, tanh, in2nodes, out2node, remove, add):
    ch = in2nodes.get(tanh.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Add':
        return
    add_after = ch[0]
    if not m.has_constant_input(add_after, 1.0):
        return
    ch = in2nodes.get(add_after.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Mul':
        return
    mul_after = ch[0]
    ch = in2nodes.get(mul_after.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Mul':
        return
    mul_half = ch[0]
    if not m.has_constant_input(mul_half, 0.5):
        return
    root_input = mul_after.input[0 if mul_after.input[1] == add_after.output[0] else 1]
    mul_before = m.match_parent(tanh, 'Mul', 0, out2node)
    if mul_before is None:
        return
    k = m.find_constant_input(mul_before, 0.7978, delta=0.01)
    if k < 0:
        return
    add_before = m.match_parent(mul_before, 'Add', 0 if k == 1 else 1, out2node)
    if add_before is None:
        return
    if add_before.input[0] == root_input:
        another = 1
    elif add_before.input[1] == root_input:
        another = 0
    else:
        return
    mul_pow = m.match_parent(add_before, 'Mul', another, out2node)
    if mul_pow is None:
        return
    j = m.find_constant_input(mul_pow, 0.0447, delta=0.01)
    if j < 0:
        return
    cubed = m.match_parent(mul_pow, 'Mul', 0 if j == 1 else 1, out2node)
    if cubed is None:
        return
    if cubed.input[0] == root_input:
        another = 1
    elif cubed.input[1] == root_input:
        another = 0
    else:
        return
    squared = m.match_parent(cubed, 'Mul', another, out2node)
    if squared is None or squared.input[0] != root_input or squared.input[1] != root_input:
        return
    nodes = [squared, cubed, mul_pow, add_before, mul_before, tanh, add_after, mul_after, mul_half]
    if not m.is_safe_to_fuse_nodes(nodes, [mul_half.output[0]], in2nodes):
        return
    remove.extend(nodes)
    add.append(ms_node('FastGelu', [root_input], list(mul_half.output), m.create_node_name('FastGelu')))
    return True


# ---- fusion_biassplitgelu.py (the UNet optimizer's GEGLU fusion: proj Add -> two Slices cut at the half the graph
# computes from Shape -> Gather -> Add -> Div (-> Mul) -> Gelu(second half) -> Mul(first half, .))
def fuse_bias_split_gelu(m, gelu, in2nodes, out2node, remove, add):
    ch = in2nodes.get(gelu.output[0], [])
    if len(ch) != 1 or ch[0].op_type != 'Mul':
        return
    mul_after = ch[0]
    slice_gelu = m.match_parent(gelu, 'Slice', 0, out2node)
    if slice_gelu is None or m.find_constant_input(slice_gelu, -1, delta=0.001) != 3:
        return
    add_output = slice_gelu.input[0]
    start = m.match_parent_path(slice_gelu, ['Div', 'Add', 'Gather', 'Shape', 'Add'], [1, 0, 0, 0, 0], out2node)
    if start is None:
        start = m.match_parent_path(slice_gelu, ['Mul', 'Div', 'Add', 'Gather', 'Shape', 'Add'], [1, 0, 0, 0, 0, 0],
                                    out2node)
    if start is None or start[-2].input[0] != add_output:
        return
    end = m.match_parent_path(slice_gelu, ['Mul', 'Div'], [2, 0], out2node)
    if end is None or end[1] not in start:
        return
    slice_mul = m.match_parent(mul_after, 'Slice', 0, out2node)
    if slice_mul is None or slice_mul.input[2] != slice_gelu.input[1]:
        return
    nodes = start + [end[0], mul_after, gelu, slice_mul, slice_gelu]
    out = mul_after.output[0]
    if not m.is_safe_to_fuse_nodes(nodes, [out], in2nodes):
        return
    add_node = start[-1]
    bias_index, _ = m.get_constant_input(add_node)
    remove.extend(nodes)
    add.append(ms_node('BiasSplitGelu', [add_node.input[1 - bias_index], add_node.input[bias_index]], [out],
                       m.create_node_name('BiasSplitGelu', name_prefix='BiasSplitGelu')))
    return True


# ---- fusion_biasgelu.py
def fuse_bias_gelu(m, node, in2nodes, out2node, remove, add):
    gelu_op = node.op_type
    fuse_op = 'BiasGelu' if gelu_op == 'Gelu' else 'FastGelu'
    if len(node.input) != 1:
        return
    path = m.match_parent_path(node, ['Add', 'MatMul'], [0, None], out2node)
    if path is None:
        return
    add_node, matmul = path
    bias_index, bias = -1, None
    for i, name in enumerate(add_node.input):
        t = m.get_initializer(name)
        if t is None:
            continue
        bias_index, bias = i, numpy_helper.to_array(t)
        break
    if bias is None or len(bias.shape) != 1:
        return
    nodes = [node, add_node]
    if not m.is_safe_to_fuse_nodes(nodes, [node.output[0]], in2nodes):
        return
    remove.extend(nodes)
    add.append(ms_node(fuse_op, [matmul.output[0], add_node.input[bias_index]], list(node.output),
                       m.create_node_name(fuse_op, gelu_op + '_AddBias_')))


def quick_gelu_candidates(m):
    """Sigmoids fed by a Mul by 1.702 (FusionQuickGelu's pattern, not replicated): must be none."""
    out2node = m.output_name_to_node()
    n = 0
    for node in m.g.node:
        if node.op_type == 'Sigmoid':
            p = out2node.get(node.input[0])
            if p is not None and p.op_type == 'Mul' and m.find_constant_input(p, 1.702, delta=0.001) >= 0:
                n += 1
    return n


def fuse(model, model_type='bert'):
    """The GELU passes in the order of the optimizer for model_type ('bert': BertOnnxModel.optimize, also what
    the dit/vit models get; 'unet': UnetOnnxModel.optimize: fuse_gelu, then BiasSplitGelu, no BiasGelu); returns
    {fused op: count}."""
    m = Graph(model)
    if quick_gelu_candidates(m):
        raise SystemExit('graph holds a QuickGelu pattern, which this script does not fuse')
    counts = {'Gelu': m.apply('Erf', fuse_gelu), 'FastGelu': m.apply('Tanh', fuse_fastgelu)}
    if model_type == 'unet':
        counts['BiasSplitGelu'] = m.apply('Gelu', fuse_bias_split_gelu)
    else:
        counts['FastGelu+bias'] = m.apply('FastGelu', fuse_bias_gelu)
        counts['BiasGelu'] = m.apply('Gelu', fuse_bias_gelu)
    m.topological_sort()
    if not any(o.domain == 'com.microsoft' for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid('com.microsoft', 1))
    return counts


def main(argv):
    args = [a for a in argv[1:] if not a.startswith('--model-type=')]
    types = [a.split('=', 1)[1] for a in argv[1:] if a.startswith('--model-type=')]
    if len(args) != 2 or (types and types[0] not in ('bert', 'unet')):
        sys.exit('usage: fuse_gelu.py [--model-type=bert|unet] IN.onnx OUT.onnx')
    model = onnx.load(args[0])
    counts = fuse(model, types[0] if types else 'bert')
    onnx.save(model, args[1])
    print(args[1], counts)


if __name__ == '__main__':
    main(sys.argv)
