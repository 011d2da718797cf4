"""Copies of the fixture graphs with every GELU site's tensor added as a graph output, for check_ort.jsh.

    /usr/bin/python3 scripts/onnx/tap_copies.py OUT_DIR

Writes OUT_DIR/<file>.onnx for each fixture graph whose sites are tensors (all but unet-tiny-fused.onnx, whose
BiasSplitGelu hides the gate's gelu) and OUT_DIR/list.txt: fixture, file, then the site tensors in sites.csv order.
"""
import json, os, sys
import onnx
from onnx import helper, TensorProto

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import refs

GRAPHS = [('vit-mnist', 'vit-mnist.onnx', 'decomposed'), ('vit-mnist', 'vit-mnist-fused.onnx', 'fused'),
          ('dit-tiny', 'dit-tiny.onnx', 'decomposed'), ('dit-tiny', 'dit-tiny-fused.onnx', 'fused'),
          ('unet-tiny', 'unet-tiny.onnx', 'decomposed'), ('unet-tiny', 'unet-tiny-fused-gelu.onnx', 'fused')]


def main(out):
    os.makedirs(out, exist_ok=True)
    lines = []
    for fixture, file, key in GRAPHS:
        with open(os.path.join(refs.FIXTURES, fixture, 'sites.json')) as f:
            sites = json.load(f)[key]
        if isinstance(sites, dict):
            sites = sites[file]
        model = onnx.load(os.path.join(refs.FIXTURES, fixture, file))
        for s in sites:
            model.graph.output.append(helper.make_tensor_value_info(s['onnx_output'], TensorProto.FLOAT, None))
        onnx.save(model, os.path.join(out, file))
        lines.append(' '.join([fixture, file] + [s['onnx_output'] for s in sites]))
    with open(os.path.join(out, 'list.txt'), 'w') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit('usage: tap_copies.py OUT_DIR')
    main(sys.argv[1])
