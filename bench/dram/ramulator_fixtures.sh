#!/usr/bin/env bash
# Prints fixture rows (config,trace,cycles,row_hits,row_misses,row_conflicts) of Ramulator 2.1 for
# the format of colsparse-sim/src/test/resources/dram/ramulator-fixtures*.csv.
#
#   bench/dram/ramulator_fixtures.sh RAMULATOR_RUN CONFIG.yaml TRACE...
#
# RAMULATOR_RUN: bench/dram/ramulator_run.cpp built against your Ramulator 2.1 (see docs/dram.md);
# CONFIG.yaml: an exported config with the trace path @TRACE@ (config name = file name without
# .yaml). Row counts are summed over the controllers (one per channel; each controller's counts
# cover all its pseudo-channels); cycles are per controller and must agree between them.
set -euo pipefail
ram="${1:?usage: ramulator_fixtures.sh RAMULATOR_RUN CONFIG.yaml TRACE...}"
cfg="${2:?usage: ramulator_fixtures.sh RAMULATOR_RUN CONFIG.yaml TRACE...}"
shift 2
name="$(basename "$cfg" .yaml)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for t in "$@"; do
  sed "s#@TRACE@#$(realpath "$t")#" "$cfg" > "$work/c.yaml"
  "$ram" "$work/c.yaml" > "$work/out" 2> "$work/err" || { cat "$work/err" >&2; exit 1; }
  python3 - "$name" "$(basename "$t" .trace)" "$work/out" <<'PY'
import re, sys
name, trace, path = sys.argv[1:]
text = open(path).read()
def vals(key):
    return [int(v) for v in re.findall(r"^\s+" + key + r": (\d+)$", text, re.M)]
cycles = vals("cycles")
if not cycles or len(set(cycles)) != 1:
    sys.exit(f"ramulator_fixtures.sh: {trace}: per-controller cycles differ or are missing: {cycles}")
print(f"{name},{trace},{cycles[0]},{sum(vals('row_hits'))},{sum(vals('row_misses'))},{sum(vals('row_conflicts'))}")
PY
done
