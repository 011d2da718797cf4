#!/usr/bin/env bash
# Compares colsparse's GDDR6 model with Ramulator 2.1 on generated LoadStoreTraces.
#
#   bench/dram/compare.sh RAMULATOR_RUN [TRACE_DIR] [TRACE_NAME...]
#
# RAMULATOR_RUN: a program that takes a Ramulator 2.1 YAML config (as exported by
# `python -m ramulator export`), runs it and prints Ramulator's stats YAML — e.g. bench/dram/
# ramulator_run.cpp compiled against your own Ramulator 2.1 build (see docs/dram.md). This script
# builds nothing of Ramulator. TRACE_DIR (default /tmp/colsparse-dram-traces) receives the traces
# from gen_traces.py when they are missing. Prints a Markdown table: memory cycles (until the last
# request is accepted), row hits/misses/conflicts, and simulation time of both simulators.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ram="${1:?usage: compare.sh RAMULATOR_RUN [TRACE_DIR] [TRACE_NAME...]}"
dir="${2:-/tmp/colsparse-dram-traces}"
shift $(( $# >= 2 ? 2 : 1 ))
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=(seq_small seq random strided strided8k mixed random_rw streams tiles random_1m)
fi
[ -x "$ram" ] || { echo "compare.sh: $ram is not executable" >&2; exit 2; }
mkdir -p "$dir"
for n in "${names[@]}"; do
  [ -f "$dir/$n.trace" ] || python3 "$here/gen_traces.py" "$dir" --only "$n" >/dev/null
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for n in "${names[@]}"; do
  t="$dir/$n.trace"
  sed "s#@TRACE@#$t#" "$here/ramulator2-gddr6.yaml" > "$work/$n.yaml"
  "$ram" "$work/$n.yaml" > "$work/$n.ram" 2>/dev/null
  "$root/colsparse" dram --trace "$t" --format json --bench > "$work/$n.ours" 2> "$work/$n.ours.err"
done

python3 - "$work" "${names[@]}" <<'PY'
import json, re, sys
work, names = sys.argv[1], sys.argv[2:]
def ram_stats(text):
    def total(key):
        return sum(int(v) for v in re.findall(r"^\s+" + key + r": (\d+)$", text, re.M))
    cycles = [int(v) for v in re.findall(r"^\s+cycles: (\d+)$", text, re.M)]
    return dict(cycles=max(cycles), hits=total("row_hits"), misses=total("row_misses"),
                conflicts=total("row_conflicts"),
                wall=float(re.search(r"wall_seconds: (\S+)", text).group(1)),
                cpu=float(re.search(r"cpu_seconds: (\S+)", text).group(1)))
print("| trace | requests | Ramulator cycles | colsparse cycles | cycle error | Ramulator hits / misses / conflicts "
      "| colsparse hits / misses / conflicts | worst row-count error (% of requests) | Ramulator s (wall / CPU) "
      "| colsparse s (wall / CPU) | speed-up (wall / CPU) |")
print("|---|---:|---:|---:|---:|---|---|---:|---|---|---|")
for n in names:
    r = ram_stats(open(f"{work}/{n}.ram").read())
    o = json.load(open(f"{work}/{n}.ours"))
    err = open(f"{work}/{n}.ours.err").read()
    ow = float(re.search(r"wall_seconds: (\S+)", err).group(1))
    oc = float(re.search(r"cpu_seconds: (\S+)", err).group(1))
    a = o["at_last_accept"]
    req = o["requests"]
    cerr = 100.0 * (a["cycles"] - r["cycles"]) / r["cycles"]
    rerr = max(abs(a["row_hits"] - r["hits"]), abs(a["row_misses"] - r["misses"]),
               abs(a["row_conflicts"] - r["conflicts"])) * 100.0 / req
    print(f"| {n} | {req} | {r['cycles']} | {a['cycles']} | {cerr:+.2f} % | {r['hits']} / {r['misses']} / {r['conflicts']} "
          f"| {a['row_hits']} / {a['row_misses']} / {a['row_conflicts']} | {rerr:.2f} % "
          f"| {r['wall']:.2f} / {r['cpu']:.2f} | {ow:.2f} / {oc:.2f} | {r['wall']/ow:.1f}x / {r['cpu']/oc:.1f}x |")
PY
