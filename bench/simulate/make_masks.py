#!/usr/bin/env python3
"""Writes one GELU-output mask per GEMM that consumes a GELU site, for `simulate --mask-dir`.

Reads a `colsparse shapes --format csv` file and writes OUTDIR/<name>.npy (float32, m x k) for
every row with a consumes_site. Values are GELU (tanh form) of per-channel pre-activations
mu_k + sigma_k * z (mu_k ~ U(-4, 0.5), sigma_k ~ U(0.3, 1.2), z ~ N(0, 1)), as in
bench/make_bench_npy.py: some channels sit in GELU's negative tail, so whole columns of a row tile
are near zero (concentration) while others are rarely near zero. They stand in for recorded
full-size masks, which need the official checkpoint. Seeded per layer name.
Usage: make_masks.py SHAPES.csv OUTDIR
"""
import csv
import os
import sys
import zlib

import numpy as np

shapes, outdir = sys.argv[1], sys.argv[2]
os.makedirs(outdir, exist_ok=True)
c = np.float32(np.sqrt(2.0 / np.pi))
for row in csv.DictReader(open(shapes)):
    if not row["consumes_site"]:
        continue
    m, k = int(row["m"]), int(row["k"])
    out = os.path.join(outdir, row["name"] + ".npy")
    if os.path.exists(out):
        continue
    rng = np.random.default_rng(zlib.crc32(row["name"].encode()))
    mu = rng.uniform(-4.0, 0.5, k).astype(np.float32)
    sigma = rng.uniform(0.3, 1.2, k).astype(np.float32)
    x = mu + sigma * rng.standard_normal((m, k), dtype=np.float32)
    a = 0.5 * x * (1.0 + np.tanh(c * (x + np.float32(0.044715) * x * x * x)))
    np.save(out + ".part.npy", a.astype("<f4"))
    os.replace(out + ".part.npy", out)
