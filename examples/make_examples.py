#!/usr/bin/env python3
"""Writes the small example inputs the README's commands read (already shipped; rerun to remake
them bit for bit). Standard library only: no NumPy needed.

The activations are synthetic GELU outputs, gelu(x) with x drawn per channel around a channel
mean, a few channels pushed far negative (so they sit near zero, as dead FFN channels do). They
show the commands' inputs and outputs; measurements of real models come from `profile` and `run`.
"""
import json
import math
import os
import random
import struct
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def gelu(x):
    return 0.5 * x * (1.0 + math.erf(x / math.sqrt(2.0)))


def activations(rng, rows, cols, dead=0.15):
    means = [rng.gauss(-4.0, 0.5) if rng.random() < dead else rng.gauss(0.0, 1.0) for _ in range(cols)]
    return [[gelu(rng.gauss(means[c], 1.0)) for c in range(cols)] for _ in range(rows)]


def flat(a):
    if isinstance(a, list):
        return [v for x in a for v in flat(x)]
    return [a]


def npy_bytes(values, shape, dtype="<f4"):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        dtype, "".join("%d, " % d for d in shape) if len(shape) == 1 else ", ".join(str(d) for d in shape))
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * pad + "\n"
    fmt = {"<f4": "f", "<f2": "e"}[dtype]
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("latin1") + struct.pack(
        "<%d%s" % (len(values), fmt), *values)


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def main():
    rng = random.Random(15)
    write("acts.npy", npy_bytes(flat(activations(rng, 256, 64)), (256, 64)))

    with zipfile.ZipFile(os.path.join(HERE, "dump.npz"), "w", zipfile.ZIP_STORED) as z:
        for name, cols in (("ffn1", 32), ("ffn2", 48)):
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, npy_bytes(flat(activations(rng, 128, cols)), (128, cols)))

    site = flat(activations(rng, 128, 32))
    body = struct.pack("<%df" % len(site), *site)
    header = json.dumps({"mlp.gelu": {"dtype": "F32", "shape": [128, 32], "data_offsets": [0, len(body)]}},
                        separators=(",", ":")).encode()
    header += b" " * (-len(header) % 8)
    write("site.safetensors", struct.pack("<Q", len(header)) + header + body)

    # (B, C, H, W): analyze --channel-axis 1 reads it as (B*H*W, C)
    conv = [[[[gelu(rng.gauss(-3.0 if c % 5 == 0 else 0.0, 1.0)) for _ in range(8)] for _ in range(8)]
             for c in range(16)] for _ in range(2)]
    write("conv.npy", npy_bytes(flat(conv), (2, 16, 8, 8)))

    # 4 denoiser calls of 6 rows each, stacked: analyze --rows-per-call 6
    write("steps.npy", npy_bytes(flat(activations(rng, 24, 32)), (24, 32)))

    # a SCALE-Sim GEMM topology (Layer, M, N, K) of one FFN block, and the GELU output its
    # down-projection reads, as gemm/simulate --mask-dir expect (masks/<layer>.npy, M x K)
    with open(os.path.join(HERE, "layers.csv"), "w") as f:
        f.write("Layer, M, N, K,\nffn_up, 128, 256, 64,\nffn_down, 128, 64, 256,\nout_proj, 128, 64, 64,\n")
    write(os.path.join("masks", "ffn_down.npy"), npy_bytes(flat(activations(rng, 128, 256, dead=0.3)), (128, 256), "<f2"))


if __name__ == "__main__":
    main()
