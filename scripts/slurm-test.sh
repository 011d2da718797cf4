#!/usr/bin/env bash
# Integration test of the Slurm job array (scripts/slurm-shards.sh) on a real single-node Slurm:
# starts munged, slurmctld and slurmd on this machine with their own configuration in a temporary
# folder, runs `colsparse run` on a tiny workload as 2 array tasks plus the dependent merge job,
# runs the same command unsharded, and checks that results.json agrees number for number (timings
# aside). The daemons are stopped and the folder removed afterwards, also on failure or timeout.
#
#   scripts/slurm-test.sh            # exit 0 passed, 1 failed, 77 skipped (no Slurm here)
#
# Needs Debian's slurm-wlm (slurmctld, slurmd, sbatch; munge comes with it) and root or the
# daemons' permissions. SLURM_TEST_TIMEOUT (default 240) bounds the Slurm jobs in seconds.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
budget="${SLURM_TEST_TIMEOUT:-240}"

skip() {
  echo "slurm-test: SKIPPED: $*"
  exit 77
}
for b in slurmctld slurmd sbatch sinfo scontrol munged python3; do
  command -v "$b" >/dev/null 2>&1 || skip "'$b' not found (apt-get install slurm-wlm)"
done

tmp="$(mktemp -d /tmp/colsparse-slurm-test.XXXXXX)"
pids=()
child=""
# Runs "$@" within the time budget, in the background so that a TERM from outside (CI's timeout)
# reaches the trap at once instead of after the command.
bounded() {
  timeout "$budget" "$@" &
  child=$!
  wait "$child"
}
cleanup() {
  local status=$?
  # Nothing may stop the cleanup half way: no errexit, no second signal.
  set +e
  trap '' INT TERM
  [ -n "$child" ] && kill "$child" 2>/dev/null
  # Jobs first: their slurmstepd outlive slurmd and would keep running. The controller is this
  # test's own, so every job it knows is one of ours.
  if [ -n "${SLURM_CONF:-}" ] && [ ${#pids[@]} -gt 1 ]; then
    scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 100); do
      [ -z "$(squeue -h -t RUNNING,COMPLETING -o %i 2>/dev/null)" ] && break
      sleep 0.2
    done
  fi
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do
      kill -0 "$p" 2>/dev/null || break
      sleep 0.2
    done
    kill -9 "$p" 2>/dev/null || true
  done
  if [ $status -ne 0 ] && [ $status -ne 77 ]; then
    for f in "$tmp"/*.log "$tmp"/work/logs/*.log; do
      [ -f "$f" ] && { echo "----- $f"; tail -n 30 "$f"; }
    done
  fi
  rm -rf "$tmp"
  exit $status
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# Two free TCP ports for slurmctld and slurmd.
read -r ctld_port slurmd_port < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
node="$(hostname -s)"
cpus="$(nproc)"
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/work"

# munge: a key of our own and a socket in the temporary folder, so no system munged is touched.
dd if=/dev/urandom of="$tmp/munge.key" bs=1024 count=1 status=none
chmod 400 "$tmp/munge.key"
# The daemons get a session of their own (setsid): a timeout that signals this script's whole
# process group must not kill the controller before the cleanup has cancelled the jobs.
setsid munged --force --key-file="$tmp/munge.key" --socket="$tmp/munge.socket" --pid-file="$tmp/munged.pid" \
  --log-file="$tmp/munged.log" --seed-file="$tmp/munged.seed" --foreground >/dev/null 2>&1 &
pids+=($!)

cat >"$tmp/slurm.conf" <<CONF
ClusterName=colsparse-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
AuthType=auth/munge
AuthInfo=socket=$tmp/munge.socket
CredType=cred/munge
SlurmUser=$(id -un)
SlurmdUser=$(id -un)
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
SlurmctldLogFile=$tmp/slurmctld.log
SlurmdLogFile=$tmp/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$tmp/slurm.conf"
for _ in $(seq 50); do
  [ -S "$tmp/munge.socket" ] && break
  sleep 0.2
done
[ -S "$tmp/munge.socket" ] || skip "munged did not start ($(tail -n 1 "$tmp/munged.log" 2>/dev/null))"
setsid slurmctld -D -c -f "$tmp/slurm.conf" >"$tmp/slurmctld.out.log" 2>&1 &
pids+=($!)
setsid slurmd -D -N "$node" -f "$tmp/slurm.conf" >"$tmp/slurmd.out.log" 2>&1 &
pids+=($!)
state=""
for _ in $(seq 60); do
  state="$(sinfo -h -n "$node" -o %T 2>/dev/null || true)"
  [ "$state" = "idle" ] && break
  sleep 0.5
done
[ "$state" = "idle" ] || skip "the single-node Slurm did not come up (node state '$state'; see $tmp/slurmctld.log)"
echo "slurm-test: Slurm $(sinfo -V | awk '{print $2}') up: node $node, $cpus CPUs, controller port $ctld_port"

# The tiny workload: ddpm-mnist, 2 samples x 3 steps, so the 2 shards hold one sample each.
opts=(run --workload ddpm-mnist --samples 2 --steps 3 --buckets 2 --array 32x32 --layout row-major)
echo "slurm-test: \$ scripts/slurm-shards.sh --wait 2 WORK ${opts[*]}"
start=$SECONDS
if ! bounded "$repo/scripts/slurm-shards.sh" --wait 2 "$tmp/work" "${opts[@]}"; then
  echo "slurm-test: FAILED: the Slurm array + merge did not succeed within ${budget} s"
  exit 1
fi
echo "slurm-test: Slurm array + merge took $((SECONDS - start)) s"
grep -h "shards present" "$tmp/work/logs/merge.log"
echo "slurm-test: \$ ./colsparse ${opts[*]} --out SINGLE"
bounded "$repo/colsparse" "${opts[@]}" --out "$tmp/single" >/dev/null 2>"$tmp/single.log"

python3 - "$tmp/single" "$tmp/work/results" <<'PY'
import json, sys
def load(d):
    def strip(x):
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items() if k not in ("seconds", "dense_seconds")}
        if isinstance(x, list):
            return [strip(v) for v in x]
        return x
    with open(d + "/results.json") as f:
        return strip(json.load(f))
single, merged = load(sys.argv[1]), load(sys.argv[2])
for name, d in (("single run ", sys.argv[1]), ("2 shards + merge", sys.argv[2])):
    with open(d + "/summary.csv") as f:
        rows = f.read().splitlines()
    print("slurm-test: %-16s summary.csv: %s" % (name, rows[1]))
if single != merged:
    print("slurm-test: FAILED: results.json of the sharded run differs from the single run")
    sys.exit(1)
print("slurm-test: PASSED: results.json identical apart from timings (%d workload(s))" % len(single["workloads"]))
PY
