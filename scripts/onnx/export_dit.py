"""dit-tiny: a reduced DiT (facebookresearch/DiT models.py, adaLN-Zero blocks, timm Mlp with tanh GELU) as ONNX,
decomposed and ORT-fused, with PyTorch reference numbers (issue 24, item 4b).

    /usr/bin/python3 scripts/onnx/export_dit.py --dit DIT_CHECKOUT --timm TIMM_CHECKOUT

DIT_CHECKOUT: facebookresearch/DiT at ed81ce2 (models.py); TIMM_CHECKOUT: huggingface/pytorch-image-models
v0.6.13 (DiT imports timm's PatchEmbed, Attention, Mlp). The weights are seeded random (refs.seeded_weights, seed
0), not trained: the fixture tests graph structure, not trained behaviour.
"""
import argparse, os, shutil, sys
import numpy as np
import torch
import onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refs
import fuse_gelu

NAME = 'dit-tiny'
CONFIG = dict(input_size=8, patch_size=2, in_channels=4, hidden_size=48, depth=2, num_heads=4, mlp_ratio=4.0,
              class_dropout_prob=0.1, num_classes=10, learn_sigma=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dit', required=True)
    ap.add_argument('--timm', required=True)
    a = ap.parse_args()
    sys.path.insert(0, a.timm)
    sys.path.insert(0, a.dit)
    from models import DiT
    out_dir = os.path.join(refs.FIXTURES, NAME)
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    model = DiT(**CONFIG).eval()
    refs.seeded_weights(model, 0)
    # torch 1.13's opset-17 LayerNormalization export leaves the scale input empty for a LayerNorm without
    # affine parameters (the checker rejects the graph): DiT's norms get a fixed scale 1 and shift 0 instead,
    # the same values to the bit (x * 1 + 0)
    for mod in model.modules():
        if isinstance(mod, torch.nn.LayerNorm) and mod.weight is None:
            mod.weight = torch.nn.Parameter(torch.ones(mod.normalized_shape), requires_grad=False)
            mod.bias = torch.nn.Parameter(torch.zeros(mod.normalized_shape), requires_grad=False)

    # the classifier-free-guidance pair in one call, as DiT's sample.py runs forward_with_cfg: the same latent
    # twice, the class then the null class (= num_classes)
    gen = torch.Generator().manual_seed(1234)
    half = torch.randn(1, 4, 8, 8, generator=gen)
    x = torch.cat([half, half])
    t = torch.tensor([500, 500], dtype=torch.int64)
    y = torch.tensor([3, CONFIG['num_classes']], dtype=torch.int64)
    path = os.path.join(out_dir, 'dit-tiny.onnx')
    with torch.no_grad():
        torch.onnx.export(model, (x, t, y), path, opset_version=17, do_constant_folding=True,
                          input_names=['sample', 'timestep', 'class_labels'], output_names=['model_output'])
    proto = onnx.load(path)
    onnx.checker.check_model(proto)
    scopes = [(f'blocks.{i}.mlp.act', f'/blocks.{i}/mlp/act') for i in range(CONFIG['depth'])]
    mapping = refs.gelu_mapping(proto, scopes)
    for i, m in enumerate(mapping):
        m['colsparse_name'] = f'block.{i}.mlp'   # docs/workloads.md's DiT site names
        m['role'] = 'mlp'
    fused = onnx.load(path)
    counts = fuse_gelu.fuse(fused)
    fused_path = os.path.join(out_dir, 'dit-tiny-fused.onnx')
    onnx.save(fused, fused_path)
    onnx.checker.check_model(fused)
    fmapping = refs.fused_mapping(fused, mapping)

    def taps():
        sites, handles = {}, []
        for i in range(CONFIG['depth']):
            act = model.blocks[i].mlp.act
            handles.append(act.register_forward_hook(
                lambda mod, inp, out, s=f'blocks.{i}.mlp.act': sites.__setitem__(s, out.detach().clone())))
        return sites, handles

    consumers = {f'blocks.{i}.mlp.fc2': f'blocks.{i}.mlp.act' for i in range(CONFIG['depth'])}
    sites, out, gemms = refs.reference_call(model, (x, t, y), taps, consumers)
    rows = refs.write_reference(os.path.join(out_dir, 'reference', 'fixed'),
                                dict(sample=x.numpy(), timestep=t.numpy(), class_labels=y.numpy()),
                                sites, out, gemms, mapping)
    refs.write_json(os.path.join(out_dir, 'sites.json'), dict(
        tau=refs.TAU, tau_float32=float(refs.tau32()), near_zero='|a| <= tau_float32 (docs/definitions.md)',
        weights='seeded random (seed 0), not trained', decomposed=mapping, fused=fmapping, fusion_counts=counts))
    shutil.copyfile(os.path.join(a.dit, 'LICENSE.txt'), os.path.join(out_dir, 'LICENSE'))
    shutil.copyfile(os.path.join(a.timm, 'LICENSE'), os.path.join(out_dir, 'LICENSE-timm'))
    print([(r['site'], r['near_zero'], r['elements']) for r in rows], counts)
    print('wrote', path, os.path.getsize(path), fused_path, os.path.getsize(fused_path))


if __name__ == '__main__':
    main()
