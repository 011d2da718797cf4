"""vit-mnist as ONNX, with PyTorch reference numbers (issue 24, item 4a).

Exports the third-party DiffusionViT (sofia-dominguezc/MNIST-diffusion, MIT) denoiser call to ONNX with
torch.onnx.export (opset 17: GELU as the decomposed erf pattern torch 1.13 writes), fixed shapes, one image per
call as colsparse's vit-mnist runtime calls it. Writes, beside the .onnx, the reference numbers of PyTorch's own
forward pass on fixed inputs and on the inputs of the built-in workload's first two calls.

    /usr/bin/python3 scripts/onnx/export_vit_mnist.py [--src DIR]

--src: the folder with the author's architecture.py, DiffusionViT.pth and LICENSE (default: the
first shared/fixtures/pytorch/mnist_vit found beside the repository or a folder above it). The weights are read with
torch.load(weights_only=True): nothing in the checkpoint executes; DiffusionViT.pickle (the constructor arguments)
is never read, its values are those in the README.
"""
import argparse, importlib.util, os, shutil, sys
import numpy as np
import torch
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refs
import fuse_gelu

NAME = 'vit-mnist'
ARGS = dict(in_channels=1, image_size=(28, 28), patch_size=7, dim=64, n_heads=4, n_layers=4, mlp_ratio=4.0,
            n_classes=10)
NULL_LABEL = 10   # generate.py passes -1; the model maps -1 to 10; colsparse's runtime passes 10 itself


# ---- colsparse's noise, replicated so the first call's inputs need no Java here (java.util.SplittableRandom
# with its golden gamma, GaussianPair's Box-Muller cosine branch, cast to float)
MASK = (1 << 64) - 1


class SplittableRandom:
    GAMMA = 0x9E3779B97F4A7C15

    def __init__(self, seed):
        self.seed = seed & MASK

    @staticmethod
    def mix64(z):
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def next_double(self):
        self.seed = (self.seed + self.GAMMA) & MASK
        return (self.mix64(self.seed) >> 11) * 2.0 ** -53


def colsparse_noise(seed, n):
    import math
    rng = SplittableRandom(seed)
    out = np.empty(n, np.float32)
    for i in range(n):
        u1 = 1.0 - rng.next_double()
        u2 = rng.next_double()
        out[i] = np.float32(math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2))
    return out


def load_model(src):
    spec = importlib.util.spec_from_file_location('mnist_vit_architecture', os.path.join(src, 'architecture.py'))
    arch = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(arch)
    model = arch.DiffusionViT(**ARGS)
    state = torch.load(os.path.join(src, 'DiffusionViT.pth'), map_location='cpu', weights_only=True)
    model.load_state_dict(state, strict=True)
    return model.eval()


def reference(model, x, t, y):
    """One call of PyTorch: the GELU outputs (read as linear2's input: nn.TransformerEncoderLayer applies F.gelu,
    no module, and dropout is the identity in eval), the model output and every GEMM."""
    sites = {}
    hooks = []
    for i, layer in enumerate(model.transformer):
        hooks.append(layer.linear2.register_forward_pre_hook(
            lambda mod, inp, i=i: sites.__setitem__(i, inp[0].detach().clone())))
    stack = refs.ModuleStack(model)
    rec = refs.GemmRecorder(stack)
    # grad enabled with parameters requiring grad: TransformerEncoderLayer then takes its ordinary path (the
    # fused inference path skips the submodules, so no hook would see the GELU)
    with torch.enable_grad(), rec:
        out = model(x, t, y).detach()
    for h in hooks:
        h.remove()
    stack.remove()
    return sites, out, rec.rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--src', default=refs.shared_fixture('pytorch', 'mnist_vit'))
    src = ap.parse_args().src
    out_dir = os.path.join(refs.FIXTURES, NAME)
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    model = load_model(src)
    for p in model.parameters():
        p.requires_grad_(True)

    x0 = torch.zeros(1, 1, 28, 28)
    t0 = torch.zeros(1)
    y0 = torch.zeros(1, dtype=torch.int64)
    path = os.path.join(out_dir, 'vit-mnist.onnx')
    # traced with grad enabled (parameters require grad) for the same reason as in reference(): the fused
    # inference op aten::_transformer_encoder_layer_fwd has no ONNX export
    with torch.enable_grad():
        torch.onnx.export(model, (x0, t0, y0), path, opset_version=17, do_constant_folding=True,
                          input_names=['sample', 'timestep', 'class_labels'], output_names=['x1'])
    proto = onnx.load(path)
    onnx.checker.check_model(proto)

    # the ONNX nodes of each GELU, in graph order, matched to the layers by the scope torch writes
    gelus = refs.onnx_gelu_nodes(proto)
    mapping = []
    for i in range(ARGS['n_layers']):
        scope = f'/transformer/transformer.{i}/'
        hits = [g for g in gelus if g['node'].startswith(scope)]
        assert len(hits) == 1, (i, hits)
        mapping.append(dict(site=f'transformer.{i}.gelu', onnx_scope=scope.rstrip('/'), onnx_node=hits[0]['node'],
                            onnx_output=hits[0]['output'], form=hits[0]['op'], torch_module=f'transformer.{i}',
                            read_at=f'input of transformer.{i}.linear2', colsparse_name=f'transformer.{i}.gelu',
                            role='ffn'))
    assert len(gelus) == ARGS['n_layers'], gelus
    # the same graph as ONNX Runtime's optimizer fuses it: BiasGelu(linear1 MatMul, linear1 bias) per layer
    fused = onnx.load(path)
    counts = fuse_gelu.fuse(fused)
    onnx.save(fused, os.path.join(out_dir, 'vit-mnist-fused.onnx'))
    onnx.checker.check_model(fused)
    fmapping = refs.fused_mapping(fused, mapping)

    gen = torch.Generator().manual_seed(1234)
    sets = {
        # fixed: a noisy sample of flow time 0.5 asking for the digit 3
        'fixed': (torch.randn(1, 1, 28, 28, generator=gen), torch.tensor([0.5]), torch.tensor([3])),
        # colsparse vit-mnist, seed 0, sample 0, step 0 (t = 0): the conditional call (digit 0), then the
        # unconditional one (the null label), both on the starting noise
        'colsparse-call0': (torch.from_numpy(colsparse_noise(0, 784).reshape(1, 1, 28, 28)), torch.tensor([0.0]),
                            torch.tensor([0])),
        'colsparse-call1': (torch.from_numpy(colsparse_noise(0, 784).reshape(1, 1, 28, 28)), torch.tensor([0.0]),
                            torch.tensor([NULL_LABEL])),
    }
    summary = {}
    for set_name, (x, t, y) in sets.items():
        d = os.path.join(out_dir, 'reference', set_name)
        os.makedirs(d, exist_ok=True)
        np.save(os.path.join(d, 'sample.npy'), x.numpy().astype(np.float32))
        np.save(os.path.join(d, 'timestep.npy'), t.numpy().astype(np.float32))
        np.save(os.path.join(d, 'class_labels.npy'), y.numpy().astype(np.int64))
        sites, out, gemms = reference(model, x, t, y)
        np.save(os.path.join(d, 'output.npy'), out.numpy().astype(np.float32))
        rows = []
        for i, m in enumerate(mapping):
            rows.append(dict(site=m['site'], onnx_node=m['onnx_node'], onnx_output=m['onnx_output'],
                             **refs.site_stats(sites[i])))
        refs.write_csv(os.path.join(d, 'sites.csv'), rows,
                       ['site', 'onnx_node', 'onnx_output', 'M', 'K', 'elements', 'near_zero', 'near_tau', 'min', 'max'])
        consumers = {f'transformer.{i}.linear2': f'transformer.{i}.gelu' for i in range(ARGS['n_layers'])}
        for g in gemms:
            g['consumer_site'] = consumers.get(g['module'], '')
        refs.write_csv(os.path.join(d, 'gemms.csv'), gemms,
                       ['op', 'batch', 'M', 'K', 'N', 'module', 'consumer_site'])
        summary[set_name] = rows
    refs.write_json(os.path.join(out_dir, 'sites.json'), dict(
        tau=refs.TAU, tau_float32=float(refs.tau32()), near_zero='|a| <= tau_float32 (docs/definitions.md)',
        decomposed=mapping, fused=fmapping, fusion_counts=counts))
    shutil.copyfile(os.path.join(src, 'LICENSE'), os.path.join(out_dir, 'LICENSE'))
    for set_name, rows in summary.items():
        print(set_name, [(r['site'], r['near_zero'], r['elements']) for r in rows])
    print('wrote', path, os.path.getsize(path), 'bytes')


if __name__ == '__main__':
    main()
