#!/usr/bin/env bash
# Tap overhead on a full ddpm-mnist profile run (see TapOverhead.java). Args: [samples steps repeats [default|sweep]]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ -f "$root/colsparse-cli/target/colsparse-cli.jar" ] || (cd "$root" && mvn -q -B -DskipTests package)
export DJL_CACHE_DIR="${DJL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/colsparse/djl}"
exec java -Dcolsparse.home="$root" -Dai.djl.offline=true \
  -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -cp "$root/colsparse-cli/target/colsparse-cli.jar" \
  "$root/bench/runtime/TapOverhead.java" "$@" 2> >(grep -v SLF4J >&2)
