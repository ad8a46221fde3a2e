#!/usr/bin/env bash
# Measures the server's memory under load, for docs/performance.md: its RSS idle after start,
# its peak (VmHWM) after 64 MiB PUTs and then GETs at 64 connections, and its peak and current
# RSS after 4 KiB PUTs at 64 connections, all on one fresh server, read from /proc.
#
# Usage: scripts/bench-memory.sh [DIR]
# The data directory goes in a scratch directory inside DIR (default $TMPDIR or /tmp; put it
# on the disk under test). Environment: DURATION per workload (10s), STRATUS the binary
# (build/release/stratus), whose `stratus bench` is also the client.
set -euo pipefail

usage() { sed -n 's/^# Usage: //p' "$0" >&2; exit 1; }
(($# <= 1)) || usage
[[ "${1:-}" != -* ]] || usage
repo="$(cd "$(dirname "$0")/.." && pwd)"
STRATUS="${STRATUS:-$repo/build/release/stratus}"
DURATION="${DURATION:-10s}"
[[ -x "$STRATUS" ]] || { echo "bench-memory: $STRATUS not found" >&2; exit 1; }
source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"

scratch="$(mktemp -d "${1:-${TMPDIR:-/tmp}}/bench-memory.XXXXXX")"
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

port="$(free_port)"
STRATUS_ROOT_USER=bench STRATUS_ROOT_PASSWORD=benchsecret \
  "$STRATUS" server "$scratch/data" --address "127.0.0.1:$port" >"$scratch/server.log" 2>&1 &
server_pid=$!
wait_for_port "$port" "$server_pid" ||
  { echo "bench-memory: the server did not start: $(tail -5 "$scratch/server.log")" >&2; exit 1; }
sleep 1

# "<field> in MiB" of the server, from /proc/<pid>/status.
mib() { awk -v f="$1:" '$1 == f { printf "%.0f MiB", $2 / 1024 }' "/proc/$server_pid/status"; }
bench() {
  echo "bench-memory: $*" >&2
  "$STRATUS" bench --endpoint "http://127.0.0.1:$port" --access-key bench \
    --secret-key benchsecret --duration "$DURATION" --quiet "$@" >"$scratch/bench.out" ||
    { cat "$scratch/bench.out" >&2; exit 1; }
}

echo "- idle after start: $(mib VmRSS)"
bench --op put --size 64MiB -c 64
bench --op get --size 64MiB -c 64 --objects 64
echo "- peak after 64 MiB PUT then GET at c64: $(mib VmHWM)"
bench --op put --size 4KiB -c 64
echo "- then 4 KiB PUT at c64: peak $(mib VmHWM), now $(mib VmRSS)"
