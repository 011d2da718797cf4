#!/usr/bin/env python3
"""Generates the LoadStoreTraces used to compare colsparse's DRAM models with Ramulator 2.1.

Deterministic (fixed seeds). Addresses are 32-byte aligned and stay inside 2 GiB (2 channels x
1 GiB of GDDR6_16Gb_x16, or 4 channels x 512 MiB of HBM3_8Gb_8hi or HBM2_2Gb, under RoBaRaCoCh). Usage: gen_traces.py OUTDIR [--scale S] [--only NAME]
"""
import argparse
import os
import random

SPAN = 1 << 31
LINE = 32


def sequential(n, rng):
    return [("LD", i * LINE) for i in range(n)]


def random_reads(n, rng):
    return [("LD", rng.randrange(SPAN // LINE) * LINE) for _ in range(n)]


def strided(n, rng, stride=4096 + 64):
    # A stride just over one row (4 KiB per channel-row) walks banks and rows.
    return [("LD", (i * stride) % SPAN) for i in range(n)]


def strided_8k(n, rng):
    # 8 KiB stride: every request lands in the same bank group/bank pattern -> row conflicts.
    return [("LD", (i * 8192) % SPAN) for i in range(n)]


def mixed_rw(n, rng, p_write=0.3):
    out = []
    base_r, base_w = 0, 1 << 30
    i_r = i_w = 0
    for _ in range(n):
        if rng.random() < p_write:
            out.append(("ST", (base_w + i_w * LINE) % SPAN))
            i_w += 1
        else:
            out.append(("LD", (base_r + i_r * LINE) % SPAN))
            i_r += 1
    return out


def random_rw(n, rng):
    return [("ST" if rng.random() < 0.5 else "LD", rng.randrange(SPAN // LINE) * LINE) for _ in range(n)]


def seq_mix(n, rng):
    # Mostly a sequential read stream; one request in four is a random read or write.
    out = []
    i = 0
    for _ in range(n):
        if rng.random() < 0.25:
            out.append(("ST" if rng.random() < 0.5 else "LD", rng.randrange(SPAN // LINE) * LINE))
        else:
            out.append(("LD", (i * LINE) % SPAN))
            i += 1
    return out


def streams(n, rng, k=8):
    # k interleaved sequential streams (e.g. ifmap, filter, ofmap tiles), round-robin, 1/4 writes.
    bases = [rng.randrange(SPAN // (1 << 20)) * (1 << 20) for _ in range(k)]
    pos = [0] * k
    out = []
    for i in range(n):
        s = i % k
        op = "ST" if s % 4 == 3 else "LD"
        out.append((op, (bases[s] + pos[s] * LINE) % SPAN))
        pos[s] += 1
    return out


def tiles(n, rng):
    # A 2-D tile walk: 64 rows of 256 B taken from a 16 KiB-pitch matrix (row-major activation).
    out = []
    pitch, tile_w, rows = 16384, 256, 64
    t = 0
    while len(out) < n:
        base = (t * tile_w) % pitch + (t * tile_w // pitch) * pitch * rows
        for r in range(rows):
            for c in range(0, tile_w, LINE):
                out.append(("LD", (base + r * pitch + c) % SPAN))
        t += 1
    return out[:n]


def bg_pingpong(n, rng):
    # Four sequential streams 8 KiB apart, round-robin: with the 32-byte line and the mappings of
    # ramulator2-gddr6 and ramulator2-hbm2 consecutive requests go to the four bank groups of one
    # bank in turn (HBM3: two SIDs x two bank groups); each stream reads a whole 8 KiB chunk, then
    # all four move to a random 32 KiB-aligned place.
    out = []
    base = 0
    for i in range(n):
        k, j = i % 4, i // 4
        if k == 0 and j % 256 == 0:
            base = rng.randrange(SPAN // 32768) * 32768
        out.append(("LD", (base + k * 8192 + (j % 256) * LINE) % SPAN))
    return out


def read_after_write(n, rng):
    # Blocks of 32: 16 writes to random lines of one random 64 KiB region, then reads of the same 16
    # addresses in another order (a spill and its reload): early reads are forwarded from the write
    # buffer, later ones go to DRAM.
    out = []
    while len(out) < n:
        base = rng.randrange(SPAN // 65536) * 65536
        lines = rng.sample(range(65536 // LINE), 16)
        out.extend(("ST", base + c * LINE) for c in lines)
        rng.shuffle(lines)
        out.extend(("LD", base + c * LINE) for c in lines)
    return out[:n]


def stride_2k(n, rng):
    # 2 KiB stride: one channel only; GDDR6: four columns of a row, then the next bank group;
    # HBM2/HBM3: alternating pseudo-channels.
    return [("LD", (i * 2048) % SPAN) for i in range(n)]


def writes_70(n, rng):
    # A sequential read stream and a sequential write stream 1 GiB apart, 70 % writes.
    return mixed_rw(n, rng, p_write=0.7)


def hbm_pingpong(n, rng):
    # Eight sequential streams 4 KiB apart, round-robin: address bits 12-14 rotate, i.e. pseudo
    # channel, SID and bank group under ramulator2-hbm3's mapping (HBM2: pseudo channel and bank
    # group; GDDR6: bank group and bank), with columns walked in order.
    out = []
    for i in range(n):
        k, j = i % 8, i // 8
        out.append(("LD", ((k << 12) | ((j % 128) << 5) | ((j // 128) << 15)) % SPAN))
    return out


GENERATORS = {
    "seq": (sequential, 100_000),
    "random": (random_reads, 100_000),
    "strided": (strided, 100_000),
    "strided8k": (strided_8k, 20_000),
    "mixed": (mixed_rw, 100_000),
    "random_rw": (random_rw, 50_000),
    "streams": (streams, 100_000),
    "tiles": (tiles, 100_000),
    "seq_small": (sequential, 10_000),
    "random_1m": (random_reads, 1_000_000),
    "seq_mix_1m": (seq_mix, 1_000_000),
    "seq_1m": (sequential, 1_000_000),
    "random_rw_1m": (random_rw, 1_000_000),
    "mixed_1m": (mixed_rw, 1_000_000),
    "streams_1m": (streams, 1_000_000),
    "bg_pingpong": (bg_pingpong, 4_000),
    "raw_blocks": (read_after_write, 4_000),
    "stride2k": (stride_2k, 4_000),
    "writes70": (writes_70, 4_000),
    "hbm_pingpong": (hbm_pingpong, 4_000),
    "bg_pingpong_1m": (bg_pingpong, 1_000_000),
    "raw_1m": (read_after_write, 1_000_000),
    "stride2k_1m": (stride_2k, 1_000_000),
    "writes70_1m": (writes_70, 1_000_000),
}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--scale", type=float, default=1.0, help="multiply request counts")
    ap.add_argument("--only", action="append", help="generate only these traces")
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    for name, (gen, n) in GENERATORS.items():
        if a.only and name not in a.only:
            continue
        rng = random.Random(sum(map(ord, name)))
        reqs = gen(max(1, int(n * a.scale)), rng)
        with open(os.path.join(a.outdir, name + ".trace"), "w") as f:
            f.writelines(f"{op} 0x{addr:x}\n" for op, addr in reqs)
        print(name, len(reqs))


if __name__ == "__main__":
    main()
