#!/usr/bin/env bash
# Benchmark: `colsparse analyze` (wall clock, JVM start included) against a straightforward NumPy
# implementation of the same counts (bench/analyze_numpy.py), on the same float32 .npy file:
# 5 thresholds x 4 tile heights (8, 32, 128, 256) with per-channel activity, one site.
# Checks that both produce identical counts, then prints both times (median of REPEAT runs,
# alternating) and the ratio. The input (1 GiB by default) is generated once and cached outside
# the repository, under $COLSPARSE_BENCH_DIR (default ${TMPDIR:-/tmp}/colsparse-bench).
# Usage: bench/analyze.sh [M K]     (defaults 131072 2048 = 1 GiB)
# Environment: REPEAT (default 3); PIN=0,1 runs both sides under `taskset -c 0,1`;
# COLSPARSE="java -cp ... org.colsparse.cli.Main" replaces the ./colsparse launcher (e.g. on a
# machine without Maven).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
m="${1:-131072}"
k="${2:-2048}"
repeat="${REPEAT:-3}"
thresholds="0.001,0.005,0.01,0.05,0.1"
heights="8,32,128,256"
dir="${COLSPARSE_BENCH_DIR:-${TMPDIR:-/tmp}/colsparse-bench}"
mkdir -p "$dir"
file="$dir/gelu_${m}x${k}_f32.npy"
if [ ! -f "$file" ]; then
  echo "generating $file (once) ..." >&2
  python3 "$here/make_bench_npy.py" "$file" "$m" "$k"
fi
read -ra cli <<<"${COLSPARSE:-$repo/colsparse}"
pin=()
if [ -n "${PIN:-}" ]; then pin=(taskset -c "$PIN"); fi
"${cli[@]}" --version >/dev/null         # builds if needed, outside the timing
cat "$file" >/dev/null                   # both sides start from a warm page cache

args=(analyze "$file" --format json)
IFS=, read -ra ts <<<"$thresholds"
for t in "${ts[@]}"; do args+=(--threshold "$t"); done
IFS=, read -ra hs <<<"$heights"
for h in "${hs[@]}"; do args+=(--tile-rows "$h"); done

now() { date +%s.%N; }
stamps=()
for ((i = 0; i < repeat; i++)); do
  t0=$(now)
  "${pin[@]}" "${cli[@]}" "${args[@]}" >"$dir/colsparse.json"
  t1=$(now)
  "${pin[@]}" python3 "$here/analyze_numpy.py" "$file" --thresholds "$thresholds" --tile-rows "$heights" >"$dir/numpy.json"
  t2=$(now)
  stamps+=("$t0 $t1 $t2")
done

python3 - "$dir/colsparse.json" "$dir/numpy.json" "${stamps[*]}" <<'PY'
import json, statistics, sys
cs = json.load(open(sys.argv[1]))
ref = json.load(open(sys.argv[2]))
t = [float(x) for x in sys.argv[3].split()]
jt = [t[i + 1] - t[i] for i in range(0, len(t), 3)]
nt = [t[i + 2] - t[i + 1] for i in range(0, len(t), 3)]
sites = cs["sites"]
assert len(sites) == len(ref["results"]), (len(sites), len(ref["results"]))
bad = 0
for s, r in zip(sorted(sites, key=lambda s: (s["threshold"], s["tile_rows"])),
                sorted(ref["results"], key=lambda r: (r["threshold"], r["tile_rows"]))):
    same = (s["threshold"] == r["threshold"] and s["tile_rows"] == r["tile_rows"]
            and s["near_zero_elements"] == r["near_zero_elements"] and s["zero_columns"] == r["zero_columns"]
            and s["rows"] == ref["rows"] and s["cols"] == ref["cols"])
    per_channel = [ref["rows"] - round(a * ref["rows"]) for a in s["channel_activity"]]
    same = same and per_channel == ref["channel_near_zero"][repr(s["threshold"])]
    bad += not same
    print(f"tau {s['threshold']:<6} R {s['tile_rows']:<4} near-zero {s['near_zero_elements']:>10} "
          f"zero columns {s['zero_columns']:>8}  {'same' if same else 'DIFFERENT (numpy: %s)' % r}")
if bad:
    sys.exit("counts differ")
j, n = statistics.median(jt), statistics.median(nt)
print(f"identical counts for {len(sites)} (threshold, tile height) pairs, {ref['rows']} x {ref['cols']} float32")
print(f"colsparse analyze: {j:.2f} s (runs: {', '.join(f'{x:.2f}' for x in jt)})")
print(f"numpy            : {n:.2f} s (runs: {', '.join(f'{x:.2f}' for x in nt)})")
print(f"speed-up         : {n / j:.1f}x")
PY
