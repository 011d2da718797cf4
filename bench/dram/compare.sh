#!/usr/bin/env bash
# Compares colsparse's DRAM model with Ramulator 2.1 on generated LoadStoreTraces.
#
#   bench/dram/compare.sh RAMULATOR_RUN [TRACE_DIR] [TRACE_NAME...]
#   REPEAT=3 (runs per side and trace, alternating Ramulator and colsparse; medians reported)
#   BASELINE=DIR (optional: another checkout's launcher, DIR/colsparse, timed in the same
#   alternation; its cycles and row counts must equal this build's)
#   CONFIG=NAME (optional: Ramulator runs bench/dram/NAME.yaml or bench/dram/variants/NAME.yaml,
#   colsparse runs --preset NAME; default ramulator2-gddr6 and colsparse's default preset)
#
# RAMULATOR_RUN: a program that takes a Ramulator 2.1 YAML config (as exported by
# `python -m ramulator export`), runs it and prints Ramulator's stats YAML — e.g. bench/dram/
# ramulator_run.cpp compiled against your own Ramulator 2.1 build (see docs/dram.md). This script
# builds nothing of Ramulator. TRACE_DIR (default /tmp/colsparse-dram-traces) receives the traces
# from gen_traces.py when they are missing. Prints a Markdown table: memory cycles (until the last
# request is accepted), row hits/misses/conflicts, and the time of both simulators end to end
# (process start to result, trace parsing and start-up included), the figure the speed-up is
# computed from; the simulation loop alone (as each simulator times it) and the process CPU
# seconds (user + system, JIT threads included) are shown beside it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
ram="${1:?usage: compare.sh RAMULATOR_RUN [TRACE_DIR] [TRACE_NAME...]}"
dir="${2:-/tmp/colsparse-dram-traces}"
shift $(( $# >= 2 ? 2 : 1 ))
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  names=(seq_mix_1m seq_1m random_1m random_rw_1m mixed_1m streams_1m
         bg_pingpong_1m raw_1m stride2k_1m writes70_1m)
fi
repeat="${REPEAT:-3}"
config="${CONFIG:-ramulator2-gddr6}"
yaml="$here/$config.yaml"
[ -f "$yaml" ] || yaml="$here/variants/$config.yaml"
[ -f "$yaml" ] || { echo "compare.sh: no $here/$config.yaml or $here/variants/$config.yaml" >&2; exit 2; }
preset=()
[ -n "${CONFIG:-}" ] && preset=(--preset "$CONFIG")
[ -x "$ram" ] || { echo "compare.sh: $ram is not executable" >&2; exit 2; }
mkdir -p "$dir"
for n in "${names[@]}"; do
  [ -f "$dir/$n.trace" ] || python3 "$here/gen_traces.py" "$dir" --only "$n" >/dev/null
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# builds the launcher's jar and class-data archive now, not inside the first timed run
"$root/colsparse" dram --help >/dev/null

# elapsed and CPU (user + system) seconds of a command, its output to $1 and $2
timed() {
  local out="$1" err="$2"; shift 2
  local s e
  s=$(date +%s%N)
  /usr/bin/time -o "$work/time" -f "%U %S" "$@" > "$out" 2> "$err"
  e=$(date +%s%N)
  echo "$(echo "scale=4; ($e - $s) / 1000000000" | bc) $(awk '{print $1 + $2}' "$work/time")"
}

for n in "${names[@]}"; do
  t="$dir/$n.trace"
  sed "s#@TRACE@#$t#" "$yaml" > "$work/$n.yaml"
  for r in $(seq "$repeat"); do
    timed "$work/$n.ram" "$work/$n.ram.err" "$ram" "$work/$n.yaml" >> "$work/$n.ram.e2e"
    timed "$work/$n.ours" "$work/$n.ours.err.$r" "$root/colsparse" dram "${preset[@]}" --trace "$t" --format json --bench >> "$work/$n.ours.e2e"
    cat "$work/$n.ours.err.$r" >> "$work/$n.ours.err"
    grep -E "^(wall|cpu)_seconds" "$work/$n.ram" >> "$work/$n.ram.loop"
    if [ -n "${BASELINE:-}" ]; then
      timed "$work/$n.base" "$work/$n.base.err" "$BASELINE/colsparse" dram "${preset[@]}" --trace "$t" --format json >> "$work/$n.base.e2e"
      cmp -s <(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["at_last_accept"])' "$work/$n.base") \
             <(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["at_last_accept"])' "$work/$n.ours") ||
        { echo "compare.sh: $n: the baseline's counts differ from this build's" >&2; exit 1; }
    fi
  done
done

python3 - "$work" "${BASELINE:+baseline}" "${names[@]}" <<'PY'
import json, re, statistics, sys
work, base, names = sys.argv[1], sys.argv[2] == "baseline", sys.argv[3:]
def med(xs):
    return statistics.median(xs)
def loop(path):
    text = open(path).read()
    return med([float(v) for v in re.findall(r"wall_seconds: (\S+)", text)])
def ram_stats(text):
    def total(key):
        return sum(int(v) for v in re.findall(r"^\s+" + key + r": (\d+)$", text, re.M))
    cycles = [int(v) for v in re.findall(r"^\s+cycles: (\d+)$", text, re.M)]
    return dict(cycles=max(cycles), hits=total("row_hits"), misses=total("row_misses"),
                conflicts=total("row_conflicts"))
print("| trace | requests | Ramulator cycles | colsparse cycles | cycle error | Ramulator hits / misses / conflicts "
      "| colsparse hits / misses / conflicts | row-count error | Ramulator s end to end (loop) "
      "| colsparse s end to end (loop) | Ramulator M cycles/s | colsparse M cycles/s | speed-up end to end | CPU s Ramulator / colsparse |"
      + (" baseline s end to end | baseline speed-up |" if base else ""))
print("|---|---:|---:|---:|---:|---|---|---:|---|---|---:|---:|---:|---|" + ("---:|---:|" if base else ""))
for n in names:
    r = ram_stats(open(f"{work}/{n}.ram").read())
    o = json.load(open(f"{work}/{n}.ours"))
    rt = [list(map(float, l.split())) for l in open(f"{work}/{n}.ram.e2e") if l.strip()]
    ot = [list(map(float, l.split())) for l in open(f"{work}/{n}.ours.e2e") if l.strip()]
    re2e, rcpu = med([x[0] for x in rt]), med([x[1] for x in rt])
    oe2e, ocpu = med([x[0] for x in ot]), med([x[1] for x in ot])
    a = o["at_last_accept"]
    req = o["requests"]
    cerr = 100.0 * (a["cycles"] - r["cycles"]) / r["cycles"]
    rerr = max(abs(a["row_hits"] - r["hits"]), abs(a["row_misses"] - r["misses"]),
               abs(a["row_conflicts"] - r["conflicts"])) * 100.0 / req
    print(f"| {n} | {req} | {r['cycles']} | {a['cycles']} | {cerr:+.2f} % | {r['hits']} / {r['misses']} / {r['conflicts']} "
          f"| {a['row_hits']} / {a['row_misses']} / {a['row_conflicts']} | {rerr:.2f} % "
          f"| {re2e:.2f} ({loop(f'{work}/{n}.ram.loop'):.2f}) | {oe2e:.2f} ({loop(f'{work}/{n}.ours.err'):.2f}) "
          f"| {r['cycles'] / re2e / 1e6:.2f} | {a['cycles'] / oe2e / 1e6:.2f} | **{re2e / oe2e:.1f}x** | {rcpu:.2f} / {ocpu:.2f} |"
          + (f" {med([float(l.split()[0]) for l in open(f'{work}/{n}.base.e2e') if l.strip()]):.2f} "
             f"| {re2e / med([float(l.split()[0]) for l in open(f'{work}/{n}.base.e2e') if l.strip()]):.1f}x |" if base else ""))
PY
