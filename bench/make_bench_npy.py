#!/usr/bin/env python3
"""Writes the analyzer benchmark input: float32 GELU outputs, shape (M, K), with channel structure.

Pre-activations are x = mu_k + sigma_k * z per channel k (mu_k ~ U(-4, 0.5), sigma_k ~ U(0.3, 1.2),
z ~ N(0, 1)), so some channels sit deep in GELU's negative tail (mostly near zero: concentration)
and others around 0 (rarely near zero); GELU is the tanh form DiT uses (NumPy has no
vectorized erf without SciPy). Seeded: the file is the same
on every machine. Usage: make_bench_npy.py OUT.npy [M K]
"""
import os
import sys

import numpy as np

out = sys.argv[1]
m = int(sys.argv[2]) if len(sys.argv) > 2 else 131072
k = int(sys.argv[3]) if len(sys.argv) > 3 else 2048
rng = np.random.default_rng(20261126)
mu = rng.uniform(-4.0, 0.5, k).astype(np.float32)
sigma = rng.uniform(0.3, 1.2, k).astype(np.float32)
a = np.lib.format.open_memmap(out + ".part", mode="w+", dtype="<f4", shape=(m, k))
step = 4096
c = np.float32(np.sqrt(2.0 / np.pi))
for r in range(0, m, step):
    z = rng.standard_normal((min(step, m - r), k), dtype=np.float32)
    x = mu + sigma * z
    a[r:r + z.shape[0]] = 0.5 * x * (1.0 + np.tanh(c * (x + np.float32(0.044715) * x * x * x)))
a.flush()
del a
os.replace(out + ".part", out)
