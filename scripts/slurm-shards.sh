#!/usr/bin/env bash
# Runs a colsparse profile, accuracy or run as N Slurm array tasks (one shard each) plus a merge job
# that starts when every shard succeeded. docs/sharding.md; README "Sharded runs on a Slurm cluster".
#
#   scripts/slurm-shards.sh [--wait] N WORKDIR COMMAND [OPTIONS...]
#   scripts/slurm-shards.sh 8 /scratch/$USER/dit run --workload dit --samples 16
#
# WORKDIR/shards/shard-I-of-N.npz: each shard's raw state; WORKDIR/results: the merged results
# (the command's --out); WORKDIR/logs: one log per shard and the merge's. OPTIONS must not hold
# --out or --shard. With --wait the script returns when the merge has finished, with its exit
# status. Extra sbatch options (partition, account, time) come from sbatch's own environment
# variables: SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT, ... WORKDIR and this repository
# must be on a file system every node sees.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
launcher="$(cd "$here/.." && pwd)/colsparse"
wait=()
if [ "${1:-}" = "--wait" ]; then
  wait=(--wait)
  shift
fi
if [ $# -lt 3 ]; then
  echo "usage: $0 [--wait] N WORKDIR profile|accuracy|run [OPTIONS...]" >&2
  exit 2
fi
n="$1"
work="$2"
shift 2
case "$n" in
  '' | *[!0-9]* | 0) echo "$0: N must be a whole number >= 1, got '$n'" >&2; exit 2 ;;
esac
case "$1" in
  profile | accuracy | run) ;;
  *) echo "$0: COMMAND must be profile, accuracy or run, got '$1'" >&2; exit 2 ;;
esac
for a in "$@"; do
  case "$a" in
    --out | --out=* | --shard | --shard=*) echo "$0: $a: the script sets --out and --shard itself" >&2; exit 2 ;;
  esac
done
if ! command -v sbatch >/dev/null 2>&1; then
  echo "$0: sbatch not found: Slurm is not installed here (or not on PATH); run the shards with --shard I/N and 'colsparse merge' yourself (docs/sharding.md)" >&2
  exit 2
fi
mkdir -p "$work/shards" "$work/logs"
work="$(cd "$work" && pwd)"
# Build once here: N array tasks starting on a stale build would all try to rebuild at once.
"$launcher" --version >/dev/null

array="$(COLSPARSE="$launcher" sbatch --parsable --array="0-$((n - 1))" --output="$work/logs/shard-%a.log" \
  "$here/slurm/shard.sbatch" "$n" "$work/shards" "$@")"
array="${array%%;*}"
echo "colsparse: shards: job array $array (0-$((n - 1))), logs in $work/logs/shard-I.log"
echo "colsparse: rerun a failed shard I alone: COLSPARSE=$launcher sbatch --array=I --output=$work/logs/shard-%a.log $here/slurm/shard.sbatch $n $work/shards $*"
echo "colsparse: then merge again:            COLSPARSE=$launcher sbatch --output=$work/logs/merge.log $here/slurm/merge.sbatch $n $work/shards $work/results"
set +e
merge="$(COLSPARSE="$launcher" sbatch --parsable "${wait[@]}" --dependency="afterok:$array" --kill-on-invalid-dep=yes \
  --output="$work/logs/merge.log" "$here/slurm/merge.sbatch" "$n" "$work/shards" "$work/results")"
status=$?
set -e
merge="${merge%%;*}"
if [ ${#wait[@]} -eq 0 ]; then
  echo "colsparse: merge: job $merge, after the whole array succeeds; results in $work/results, log $work/logs/merge.log"
  exit $status
fi
echo "colsparse: merge: job $merge finished with exit status $status; log $work/logs/merge.log"
[ $status -eq 0 ] && echo "colsparse: results in $work/results"
exit $status
