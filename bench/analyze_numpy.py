#!/usr/bin/env python3
"""The straightforward NumPy version of `colsparse analyze` for the benchmark (counts only).

|x| once; for each threshold one compare (against the largest float32 not above tau, the
docs/definitions.md rule for float data), per-channel near-zero counts, then for each tile height a
reshape-and-all. Prints JSON: {"rows", "cols", "results": [{threshold, tile_rows,
near_zero_elements, zero_columns}], "channel_near_zero": {threshold: [per-channel counts]}}.
Usage: analyze_numpy.py FILE.npy --thresholds 0.001,0.005,0.01,0.05,0.1 --tile-rows 8,32,128,256
"""
import argparse
import json

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("file")
p.add_argument("--thresholds", default="0.001,0.005,0.01,0.05,0.1")
p.add_argument("--tile-rows", default="8,32,128,256")
args = p.parse_args()
thresholds = [float(t) for t in args.thresholds.split(",")]
heights = [int(h) for h in args.tile_rows.split(",")]

x = np.load(args.file)
m, k = x.shape
a = np.abs(x)
results = []
channel = {}
for t in thresholds:
    lim = np.float32(t)
    if float(lim) > t:
        lim = np.nextafter(lim, np.float32(0))
    nz = a <= lim
    per_channel = nz.sum(axis=0)
    channel[repr(t)] = per_channel.tolist()
    for h in heights:
        full = (m // h) * h
        zero = int(nz[:full].reshape(m // h, h, k).all(axis=1).sum())
        if full < m:
            zero += int(nz[full:].all(axis=0).sum())
        results.append({"threshold": t, "tile_rows": h, "near_zero_elements": int(per_channel.sum()),
                        "zero_columns": zero})
print(json.dumps({"rows": m, "cols": k, "results": results, "channel_near_zero": channel}))
