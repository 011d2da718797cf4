#!/usr/bin/env bash
# Times `colsparse simulate` on one whole denoiser call: every GEMM of the `shapes` topology,
# all four layouts, dense and with masks on the GELU consumers, end to end (process start to
# result). Optionally against an older build, alternating, and against the exact run.
#
#   bench/simulate/bench.sh [WORKLOAD]                 (default sd15)
#   REPEAT=3           runs per side (median reported)
#   BASELINE=DIR       another checkout's launcher (DIR/colsparse) to time in alternation; builds
#                      that predate the shapes CSV topology get the same GEMMs as a SCALE-Sim
#                      GEMM CSV (Layer, M, N, K: instances unscaled, the same simulation work)
#   EXACT=1            also run once with dram.sample_repeats: 0 and print the sampling error of
#                      the totals per layout and sparsity
#   WORK=DIR           where the topology, masks and results go (default /tmp/colsparse-bench-simulate)
#
# Masks: bench/simulate/make_masks.py (seeded GELU outputs with channel structure), since
# recorded full-size masks need the official checkpoint.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
workload="${1:-sd15}"
repeat="${REPEAT:-3}"
work="${WORK:-/tmp/colsparse-bench-simulate}"
mkdir -p "$work"
"$root/colsparse" shapes --workload "$workload" --format csv > "$work/$workload.csv"
python3 "$here/make_masks.py" "$work/$workload.csv" "$work/masks-$workload"
awk -F, 'NR == 1 {print "Layer,M,N,K"} NR > 1 {print $1 "," $2 "," $4 "," $3}' "$work/$workload.csv" > "$work/$workload-gemm.csv"

run() {  # run LAUNCHER TOPOLOGY OUT [CONFIG]
  local cfg=()
  [ -n "${4:-}" ] && cfg=(--config "$4")
  local s e
  s=$(date +%s%N)
  "$1" simulate --topology "$2" --mask-dir "$work/masks-$workload" --layout all "${cfg[@]}" --format json > "$3" 2> "$3.err"
  e=$(date +%s%N)
  echo "scale=2; ($e - $s) / 1000000000" | bc
}

base_topo="$work/$workload.csv"
if [ -n "${BASELINE:-}" ] && ! "$BASELINE/colsparse" gemm --topology "$base_topo" >/dev/null 2>&1; then
  base_topo="$work/$workload-gemm.csv"  # a build from before the shapes CSV topology
fi
"$root/colsparse" simulate --help >/dev/null
new_t=() base_t=()
for r in $(seq "$repeat"); do
  if [ -n "${BASELINE:-}" ]; then
    base_t+=("$(run "$BASELINE/colsparse" "$base_topo" "$work/base.json")")
    echo "baseline run $r: ${base_t[-1]} s" >&2
  fi
  new_t+=("$(run "$root/colsparse" "$work/$workload.csv" "$work/new.json")")
  echo "this build run $r: ${new_t[-1]} s" >&2
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
echo "$workload whole call, $(awk -F, 'NR > 1 {n++; i += $5} END {print n " GEMMs (" i " instances)"}' "$work/$workload.csv"), all layouts, dense + masked: this build $(median "${new_t[@]}") s (runs: ${new_t[*]})"
[ -n "${BASELINE:-}" ] && echo "baseline $(median "${base_t[@]}") s (runs: ${base_t[*]})"

if [ "${EXACT:-0}" = 1 ]; then
  sed 's/^\(  *sample_repeats:\).*/\1 0/' "$root/config/accel.yaml" > "$work/accel-exact.yaml"
  echo "exact run (sample_repeats: 0): $(run "$root/colsparse" "$work/$workload.csv" "$work/exact.json" "$work/accel-exact.yaml") s"
  python3 - "$work/new.json" "$work/exact.json" <<'PY'
import json, sys
new, exact = (json.load(open(p)) for p in sys.argv[1:3])
def totals(d):
    return {(t["layout"], t["name"] + " " + t["sparsity"]): t for t in d["totals"]}
tn, te = totals(new), totals(exact)
print("| layout | total | sampled cycles | exact cycles | cycle error | row-hit rate sampled / exact |")
print("|---|---|---:|---:|---:|---|")
worst = 0
for k, e in te.items():
    n = tn[k]
    err = 100.0 * (n["cycles"] - e["cycles"]) / e["cycles"]
    worst = max(worst, abs(err))
    print(f"| {k[0]} | {k[1]} | {n['cycles']} | {e['cycles']} | {err:+.3f} % | {n['row_hit_rate']:.4f} / {e['row_hit_rate']:.4f} |")
print(f"worst total-cycle error: {worst:.3f} %")
PY
fi
