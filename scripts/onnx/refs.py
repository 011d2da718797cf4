"""Shared helpers of the ONNX fixture scripts: reference numbers taken from PyTorch itself, never from colsparse.

Run with Debian 12's /usr/bin/python3 (python3-torch 1.13, python3-onnx 1.12, numpy). Only the fixture scripts
import this; nothing here runs at test time.

Per GELU site (docs/definitions.md): the activation viewed channel-last as M x K; near zero is |a| <= tau
(inclusive), compared against the largest float32 not above tau, tau = 0.01.
"""
import csv, json, math, os
import numpy as np
import torch
from torch.utils._python_dispatch import TorchDispatchMode

TAU = 0.01
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO, 'colsparse-models', 'src', 'test', 'resources', 'onnx')


def shared_fixture(*path):
    """shared/fixtures/<path> beside the repository or beside a folder above it (worktrees sit deeper)."""
    d = os.path.dirname(REPO)
    while True:
        cand = os.path.join(d, 'shared', 'fixtures', *path)
        if os.path.isdir(cand) or os.path.dirname(d) == d:
            return cand
        d = os.path.dirname(d)


def tau32(tau=TAU):
    """The largest float32 not above tau (0.01f itself is below 0.01, so it is 0.01f)."""
    f = np.float32(tau)
    return f if float(f) <= tau else np.nextafter(f, np.float32(0))


def site_stats(a, channels_first=False):
    """elements, near-zero count (|a| <= tau32), min, max, M, K of one site's activation."""
    a = a.detach().cpu().numpy().astype(np.float32)
    if not np.isfinite(a).all():
        raise ValueError('NaN or Inf in a GELU output')
    if channels_first:   # (B, C, H, W) -> (B*H*W, C)
        a = np.moveaxis(a, 1, -1)
    k = a.shape[-1]
    t = float(tau32())
    mag = np.abs(a.astype(np.float64))
    # elements within 1e-4 relative of the threshold: where another runtime's rounding may flip the count
    band = int(np.count_nonzero(np.abs(mag - t) <= 1e-4 * t))
    return dict(elements=int(a.size), near_zero=int(np.count_nonzero(np.abs(a) <= tau32())), near_tau=band,
                min=float(a.min()), max=float(a.max()), M=int(a.size // k), K=int(k))


class ModuleStack:
    """The dotted name of the innermost module running, kept by pre/post forward hooks on every module."""

    def __init__(self, model):
        self.stack = []
        self.handles = []
        for name, m in model.named_modules():
            self.handles.append(m.register_forward_pre_hook(lambda mod, inp, n=name: self._push(n)))
            self.handles.append(m.register_forward_hook(lambda mod, inp, out: self._pop()))

    def _push(self, name):
        self.stack.append(name)

    def _pop(self):   # a hook's non-None return value would replace the module's output
        self.stack.pop()

    def current(self):
        return self.stack[-1] if self.stack else ''

    def remove(self):
        for h in self.handles:
            h.remove()


class GemmRecorder(TorchDispatchMode):
    """Every matrix product one call runs, as the aten ops PyTorch dispatches (after autograd, so F.linear on a
    3-D input shows as view + addmm/mm): op, M, K, N, the batch count of batched products and the module that ran
    it. Convolutions are written as their im2col product: M = B * output positions, K = C_in / groups * kernel,
    N = C_out (per group when grouped; groups recorded)."""

    def __init__(self, stack):
        super().__init__()
        self.stack = stack
        self.rows = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        name = func.overloadpacket.__name__
        module = self.stack.current()
        if name in ('mm', 'addmm'):
            a, b = (args[0], args[1]) if name == 'mm' else (args[1], args[2])
            self.rows.append(dict(op=name, batch=1, M=a.shape[0], K=a.shape[1], N=b.shape[1], module=module))
        elif name in ('bmm', 'baddbmm'):
            a, b = (args[0], args[1]) if name == 'bmm' else (args[1], args[2])
            self.rows.append(dict(op=name, batch=a.shape[0], M=a.shape[1], K=a.shape[2], N=b.shape[2], module=module))
        elif name == 'convolution':
            x, w = args[0], args[1]
            transposed, groups = args[6], args[8]
            if transposed:
                # ConvTranspose2d as the product that paints the output: each input position times (C_in x C_out*k)
                cin, cout_g = w.shape[0], w.shape[1]
                kern = int(np.prod(w.shape[2:]))
                self.rows.append(dict(op='conv_transpose(im2col)', batch=1, M=int(x.shape[0] * np.prod(x.shape[2:])),
                                      K=cin // groups, N=cout_g * kern, module=module, groups=groups))
            else:
                cout, cin_g = w.shape[0], w.shape[1]
                kern = int(np.prod(w.shape[2:]))
                self.rows.append(dict(op='conv(im2col)', batch=1, M=int(out.shape[0] * np.prod(out.shape[2:])),
                                      K=cin_g * kern, N=cout // groups, module=module, groups=groups))
        elif name in ('matmul', 'bmm'):
            pass
        return out


def write_csv(path, rows, fields):
    with open(path, 'w', newline='') as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator='\n', extrasaction='ignore')
        w.writeheader()
        for r in rows:
            w.writerow(r)


def write_json(path, obj):
    with open(path, 'w') as f:
        json.dump(obj, f, indent=2, sort_keys=False)
        f.write('\n')


def onnx_gelu_nodes(model_proto):
    """The ONNX nodes that close a GELU (the erf form's final Mul, the tanh form's final Mul, or a fused op): name,
    op, the tensor it writes. Found by following Erf/Tanh to the Mul that multiplies by the GELU's input."""
    g = model_proto.graph
    producers = {o: n for n in g.node for o in n.output}
    consumers = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    out = []
    for n in g.node:
        if n.domain == 'com.microsoft' and n.op_type in ('Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu'):
            out.append(dict(node=n.name, op=f'com.microsoft.{n.op_type}', output=n.output[0], input=n.input[0]))
        elif n.op_type == 'Gelu':
            out.append(dict(node=n.name, op='Gelu', output=n.output[0], input=n.input[0]))
        elif n.op_type in ('Erf', 'Tanh'):
            # walk Add(1) then the Mul chain (one or two Muls) until the product no longer feeds a Mul by 0.5
            add = consumers[n.output[0]][0]
            m1 = consumers[add.output[0]][0]
            last = m1
            nxt = consumers.get(m1.output[0], [])
            if len(nxt) == 1 and nxt[0].op_type == 'Mul' and _is_half(nxt[0], producers, g):
                last = nxt[0]
            out.append(dict(node=last.name, op=f'decomposed-{n.op_type.lower()}', output=last.output[0],
                            erf_or_tanh=n.name))
    return out


def _is_half(node, producers, g):
    from onnx import numpy_helper
    inits = {i.name: i for i in g.initializer}
    for name in node.input:
        t = None
        if name in inits:
            t = numpy_helper.to_array(inits[name])
        elif name in producers and producers[name].op_type == 'Constant':
            t = numpy_helper.to_array(producers[name].attribute[0].t)
        if t is not None and t.size == 1 and abs(float(t.reshape(-1)[0]) - 0.5) < 1e-6:
            return True
    return False


def reference_call(model, args, taps, consumers, grad=False):
    """One PyTorch call: `taps` installs the site captures (returns {site: tensor} filled during the call and a
    list of handles); every GEMM is recorded with the module that ran it and, where that module is a site's
    consumer (`consumers`: module name -> site), the site."""
    sites, handles = taps()
    stack = ModuleStack(model)
    rec = GemmRecorder(stack)
    ctx = torch.enable_grad() if grad else torch.no_grad()
    with ctx, rec:
        out = model(*args)
    for h in handles:
        h.remove()
    stack.remove()
    out = out.sample if hasattr(out, 'sample') else out
    for g in rec.rows:
        g['consumer_site'] = consumers.get(g['module'], '')
    return sites, out.detach(), rec.rows


def gelu_mapping(proto, scopes):
    """site -> the ONNX nodes of its GELU (the one decomposed pattern or fused op under the site's scope)."""
    gelus = onnx_gelu_nodes(proto)
    mapping = []
    for site, scope in scopes:
        hits = [g for g in gelus if g['node'].startswith(scope + '/')]
        assert len(hits) == 1, (site, scope, hits)
        mapping.append(dict(site=site, onnx_scope=scope, onnx_node=hits[0]['node'], onnx_output=hits[0]['output'],
                            form=hits[0]['op']))
    assert len(gelus) == len(scopes), (len(gelus), len(scopes))
    order = {n.name: i for i, n in enumerate(proto.graph.node)}
    return sorted(mapping, key=lambda m: order[m['onnx_node']])   # graph (execution) order


def fused_mapping(fused_proto, mapping):
    """The same sites in the fused graph: the fused op writes the decomposed pattern's output tensor (its node is
    named Gelu_N / Gelu_AddBias_N / FastGelu_AddBias_N, outside any scope), so the tensor name carries the site."""
    by_output = {n.output[0]: n for n in fused_proto.graph.node}
    out = []
    for m in mapping:
        n = by_output.get(m['onnx_output'])
        row = dict(m)
        if n is None:
            # BiasSplitGelu swallows the whole GEGLU: the op reading the site's projection
            hits = [k for k in fused_proto.graph.node if k.domain == 'com.microsoft'
                    and any(i.startswith(m['onnx_scope'] + '/') for i in k.input)]
            assert len(hits) == 1, (m, hits)
            n = hits[0]
            row['note'] = 'writes value * gelu(gate); the gelu of the gate is no tensor of this graph'
        row.update(onnx_node=n.name, onnx_output=n.output[0], form=(n.domain + '.' if n.domain else '') + n.op_type,
                   onnx_inputs=list(n.input))
        out.append(row)
    return out


def write_reference(d, inputs, sites, out, gemms, mapping, channels_first=()):
    """inputs: {name: array}; sites: {site: tensor}. Writes the .npy files, sites.csv and gemms.csv into d."""
    os.makedirs(d, exist_ok=True)
    for name, a in inputs.items():
        np.save(os.path.join(d, name + '.npy'), a)
    np.save(os.path.join(d, 'output.npy'), out.numpy().astype(np.float32))
    rows = []
    for m in mapping:
        rows.append(dict(site=m['site'], onnx_node=m['onnx_node'], onnx_output=m['onnx_output'],
                         **site_stats(sites[m['site']], m['site'] in channels_first)))
    write_csv(os.path.join(d, 'sites.csv'), rows,
              ['site', 'onnx_node', 'onnx_output', 'M', 'K', 'elements', 'near_zero', 'near_tau', 'min', 'max'])
    write_csv(os.path.join(d, 'gemms.csv'), gemms, ['op', 'batch', 'M', 'K', 'N', 'module', 'consumer_site'])
    return rows


def seeded_weights(model, seed):
    """Every trainable parameter redrawn from one seed: weights N(0, 1/fan_in), vectors N(0, 0.1^2). Fixed buffers
    (sin-cos position tables) are left as the code builds them."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if not p.requires_grad:
                continue
            if p.dim() >= 2:
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(p[0].numel()))
            else:
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
