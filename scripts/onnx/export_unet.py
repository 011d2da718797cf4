"""unet-tiny: a reduced diffusers UNet2DConditionModel (cross-attention transformer blocks, GEGLU FFNs) as ONNX,
decomposed and ORT-fused, with PyTorch reference numbers (issue 24, item 4b).

    /usr/bin/python3 scripts/onnx/export_unet.py --diffusers DIFFUSERS_SRC --hub HUGGINGFACE_HUB_SRC

DIFFUSERS_SRC: huggingface/diffusers v0.35.2's src/ (its LICENSE beside it, copied into the fixture); HUGGINGFACE_HUB_SRC: huggingface/huggingface_hub v0.35.3's
src/ (diffusers imports it; Debian does not package it). The stand-ins for what torch 1.13 lacks and the
baddbmm(beta=0) route-around are bench/fullsize_crosscheck.py's (torch_shims, zeroed_baddbmm,
safetensors_stand_in), used unchanged. The weights are seeded random (refs.seeded_weights, seed 0), not trained:
the fixture tests graph structure, not trained behaviour.
"""
import argparse, os, shutil, sys
import numpy as np
import torch
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import refs
import fuse_gelu

NAME = 'unet-tiny'
TOKENS = 4   # text tokens of the reduced cross-attention context (77 in SD 1.5)


def colsparse_name(module):
    """diffusers' block path -> docs/workloads.md's site name (down.L.attn.J.ff, mid.attn.0.ff, up.U.attn.J.ff)."""
    p = module.split('.')
    if p[0] == 'mid_block':
        return f'mid.attn.{p[2]}.ff'
    return f"{p[0].split('_')[0]}.{p[1]}.attn.{p[3]}.ff"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--diffusers', required=True)
    ap.add_argument('--hub', required=True)
    a = ap.parse_args()
    sys.path.insert(0, a.hub)
    sys.path.insert(0, os.path.join(refs.REPO, 'bench'))
    import fullsize_crosscheck as fc
    fc.torch_shims()
    fc.zeroed_baddbmm()
    diffusers, _ = fc.diffusers_import(a.diffusers)
    from diffusers.models.activations import GEGLU

    out_dir = os.path.join(refs.FIXTURES, NAME)
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(0)
    config = dict(in_channels=4, out_channels=4, **fc.unet_config((8, 16), (True, False), 8))
    unet = diffusers.UNet2DConditionModel(**config).eval()
    refs.seeded_weights(unet, 0)
    gegl = [(n, m) for n, m in unet.named_modules() if isinstance(m, GEGLU)]

    # SD's pipeline order for the classifier-free-guidance pair: [unconditional, conditional], one timestep
    gen = torch.Generator().manual_seed(1234)
    half = torch.randn(1, 4, 8, 8, generator=gen)
    x = torch.cat([half, half])
    t = torch.tensor([500], dtype=torch.int64)
    ctx = torch.cat([torch.zeros(1, TOKENS, 8), torch.randn(1, TOKENS, 8, generator=gen)])
    path = os.path.join(out_dir, 'unet-tiny.onnx')
    with torch.no_grad():
        torch.onnx.export(unet, (x, t, ctx, {'return_dict': False}), path, opset_version=17,
                          do_constant_folding=True, input_names=['sample', 'timestep', 'encoder_hidden_states'],
                          output_names=['out_sample'])
    proto = onnx.load(path)
    onnx.checker.check_model(proto)
    scopes = [(n, '/' + n.replace('.ff.net.0', '/ff/net.0').replace('.attentions.', '/attentions.')
                    .replace('.transformer_blocks.', '/transformer_blocks.')) for n, _ in gegl]
    mapping = refs.gelu_mapping(proto, scopes)
    for m in mapping:
        m['colsparse_name'] = colsparse_name(m['site'])
        m['role'] = 'geglu-gate'
    fused_forms, counts = {}, {}
    # unet: what ONNX Runtime's optimizer writes for model_type 'unet' (Gelu, then BiasSplitGelu over each GEGLU);
    # bert: its generic transformer order (Gelu; BiasGelu does not apply: the gate is a Slice, not Add(MatMul))
    for model_type, file in (('unet', 'unet-tiny-fused.onnx'), ('bert', 'unet-tiny-fused-gelu.onnx')):
        fused = onnx.load(path)
        counts[file] = fuse_gelu.fuse(fused, model_type)
        onnx.save(fused, os.path.join(out_dir, file))
        onnx.checker.check_model(fused)
        fused_forms[file] = refs.fused_mapping(fused, mapping)

    def taps():
        sites, handles = {}, []
        for name, mod in gegl:
            orig = mod.gelu

            def record(gate, orig=orig, name=name):
                g = orig(gate)
                sites[name] = g.detach().clone()
                return g
            mod.gelu = record

        class Undo:
            def remove(self):
                for _, mod in gegl:
                    del mod.gelu   # back to the class's method
        return sites, [Undo()]

    consumers = {n.replace('.ff.net.0', '.ff.net.2'): n for n, _ in gegl}
    sites, out, gemms = refs.reference_call(unet, (x, t, ctx), taps, consumers)
    rows = refs.write_reference(os.path.join(out_dir, 'reference', 'fixed'),
                                dict(sample=x.numpy(), timestep=t.numpy(), encoder_hidden_states=ctx.numpy()),
                                sites, out, gemms, mapping)
    refs.write_json(os.path.join(out_dir, 'sites.json'), dict(
        tau=refs.TAU, tau_float32=float(refs.tau32()), near_zero='|a| <= tau_float32 (docs/definitions.md)',
        weights='seeded random (seed 0), not trained', site='gelu(gate) of each GEGLU (value * gelu(gate))',
        config={k: list(v) if isinstance(v, tuple) else v for k, v in config.items()},
        decomposed=mapping, fused=fused_forms, fusion_counts=counts))
    # diffusers' Apache-2.0 LICENSE sits beside its src/ in a checkout
    shutil.copyfile(os.path.join(os.path.dirname(os.path.abspath(a.diffusers)), 'LICENSE'),
                    os.path.join(out_dir, 'LICENSE'))
    print([(r['site'], r['near_zero'], r['elements']) for r in rows], counts)
    print('wrote', path, os.path.getsize(path), sorted(fused_forms))


if __name__ == '__main__':
    main()
