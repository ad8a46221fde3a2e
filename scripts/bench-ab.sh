#!/usr/bin/env bash
# Compares two stratus binaries on one workload, alternately (A, B, A, B, ...), each run on a
# fresh server and data directory, and prints every run and the medians. On a shared 2-core
# VM one binary's ops/s vary by 25% from run to run, so besides ops/s it reports two steadier
# figures per request, read from /proc over the middle of each run: the server's CPU time
# (user + system) and its context switches (voluntary + involuntary, all threads).
#
# Usage: scripts/bench-ab.sh [-n ROUNDS] BINARY_A BINARY_B [-- BENCH_ARGS...]
# BENCH_ARGS default to "--op put --size 4KiB -c 16"; the duration is DURATION (8s) and the
# data directories go under DIR (default $TMPDIR or /tmp; put it on the disk under test).
# The client is BINARY_A's `stratus bench` in every run, so only the server differs.
set -euo pipefail

usage() { sed -n 's/^# Usage: //p' "$0" >&2; exit 1; }

rounds=3
while getopts "n:h" opt; do
  case "$opt" in
    n) rounds="$OPTARG" ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
(($# >= 2)) || usage
binaries=("$(realpath "$1")" "$(realpath "$2")")
shift 2
if (($# > 0)); then
  [[ "$1" == "--" ]] || usage
  shift
fi
bench_args=("$@")
((${#bench_args[@]} > 0)) || bench_args=(--op put --size 4KiB -c 16)
DURATION="${DURATION:-8s}"
seconds="${DURATION%s}"
((seconds >= 4)) || { echo "bench-ab: DURATION must be at least 4s" >&2; exit 1; }
for binary in "${binaries[@]}"; do [[ -x "$binary" ]] || { echo "bench-ab: $binary?" >&2; exit 1; }; done

scratch="$(mktemp -d "${DIR:-${TMPDIR:-/tmp}}/bench-ab.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"

# "<cpu ticks> <context switches>" of process $1, all threads.
sample() {
  local ticks switches
  ticks="$(awk '{ print $14 + $15 }' "/proc/$1/stat")"
  switches="$(cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s }')"
  echo "$ticks $switches"
}

# One run; prints "<label> <ops/s> <server us/request> <switches/request>".
run_one() {
  local label="$1" binary="$2" port
  rm -rf "$scratch/data"
  port="$(free_port)"
  STRATUS_ROOT_USER=bench STRATUS_ROOT_PASSWORD=benchsecret \
    "$binary" server "$scratch/data" --address "127.0.0.1:$port" >"$scratch/server.log" 2>&1 &
  server_pid=$!
  wait_for_port "$port" "$server_pid" ||
    { echo "bench-ab: $binary did not start: $(tail -5 "$scratch/server.log")" >&2; exit 1; }
  "${binaries[0]}" bench --endpoint "http://127.0.0.1:$port" --access-key bench \
    --secret-key benchsecret --duration "$DURATION" --json --quiet "${bench_args[@]}" \
    >"$scratch/bench.json" &
  local bench_pid=$! window=$((seconds - 3))
  sleep 2
  read -r ticks_before switches_before <<<"$(sample "$server_pid")"
  sleep "$window"
  read -r ticks_after switches_after <<<"$(sample "$server_pid")"
  wait "$bench_pid" || true
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  python3 - "$scratch/bench.json" "$label" "$window" "$ticks_before" "$ticks_after" \
    "$switches_before" "$switches_after" "$(getconf CLK_TCK)" <<'EOF'
import json, sys
path, label, window, t0, t1, s0, s1, hz = sys.argv[1:]
ops = json.load(open(path))["total"]["ops_per_second"]
requests = ops * float(window)
cpu_us = (int(t1) - int(t0)) / int(hz) * 1e6 / requests if requests else 0
switches = (int(s1) - int(s0)) / requests if requests else 0
print(f"{label} {ops:.1f} {cpu_us:.0f} {switches:.2f}")
EOF
}

echo "A: ${binaries[0]}" >&2
echo "B: ${binaries[1]}" >&2
results="$scratch/results"
for round in $(seq "$rounds"); do
  for i in 0 1; do
    label=$([[ $i == 0 ]] && echo A || echo B)
    line="$(run_one "$label" "${binaries[$i]}")"
    echo "$line" >>"$results"
    read -r _ ops cpu switches <<<"$line"
    echo "round $round $label: $ops ops/s, $cpu us server CPU and $switches switches per request" >&2
  done
done
python3 - "$results" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
for label in ("A", "B"):
    mine = [r for r in rows if r[0] == label]
    ops = [float(r[1]) for r in mine]
    print(f"{label}: median {statistics.median(ops):.0f} ops/s (runs: "
          f"{', '.join(f'{o:.0f}' for o in ops)}), "
          f"{statistics.median(float(r[2]) for r in mine):.0f} us server CPU and "
          f"{statistics.median(float(r[3]) for r in mine):.2f} switches per request")
EOF
