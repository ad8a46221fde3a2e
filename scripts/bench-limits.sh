#!/usr/bin/env bash
# Measures this machine's own limits, to stand beside stratus's figures in docs/performance.md:
#   - disk write throughput with fsync (FILES files of 64 MiB, each fsynced),
#   - the create + fsync rate of small files (one thread),
#   - the loopback HTTP throughput of nginx serving and storing plain files, driven by
#     `stratus bench --plain` (the same client that measures stratus); GET bodies are dropped
#     in the kernel (`--discard`, recv MSG_TRUNC) on both sides, so that at 1 MiB and up the
#     client is not the bottleneck (COPY_BODIES=1: copied and every 10th verified, as before),
#   - with wrk installed, nginx's GETs again by wrk, a cross-check that the client is cheap,
#   - with --stratus, the same workloads against `stratus server` (signed), run right after
#     nginx's, so one command yields both columns measured the same day,
#   - with --scaling (implies --stratus), how stratus's figures scale: PUT and GET over object
#     sizes from 4 KiB to 64 MiB at 16 connections, and small PUT/GET and 1 MiB GET over 1 to
#     64 connections, with their latencies.
# Everything runs in a scratch directory made inside DIR (default ./data if it exists, else
# $TMPDIR or /tmp): the fsync tests, nginx's document root and temp files, stratus's data
# directory, so all of them are on one filesystem. Markdown for docs/performance.md goes to
# stdout, progress to stderr. Needs nginx (`scripts/install-deps.sh test`) and python3.
#
# Usage: scripts/bench-limits.sh [--stratus] [--scaling] [DIR]
# Environment: DURATION per workload (10s), FSYNC_SECONDS of the create + fsync loop (10),
# FILES of 64 MiB for the write test (16), STRATUS the binary (build/release/stratus),
# COPY_BODIES (0), WORKLOADS (below).
set -euo pipefail

usage() { sed -n 's/^# Usage: //p' "$0" >&2; exit 1; }

with_stratus=0
with_scaling=0
dir=""
for arg in "$@"; do
  case "$arg" in
    --stratus) with_stratus=1 ;;
    --scaling) with_stratus=1 with_scaling=1 ;;
    -h | --help | -*) usage ;;
    *) [[ -z "$dir" ]] || usage; dir="$arg" ;;
  esac
done
repo="$(cd "$(dirname "$0")/.." && pwd)"
if [[ -z "$dir" ]]; then
  if [[ -d ./data ]]; then dir=./data; else dir="${TMPDIR:-/tmp}"; fi
fi
DURATION="${DURATION:-10s}"
FSYNC_SECONDS="${FSYNC_SECONDS:-10}"
FILES="${FILES:-16}"
COPY_BODIES="${COPY_BODIES:-0}"
STRATUS="${STRATUS:-$repo/build/release/stratus}"
cores="$(nproc)"

# The workloads, one a line: op, object size, connections, objects prepared for reads.
# WORKLOADS overrides them, ';'-separated ("get 1MiB 16 200;put 4KiB 16 0").
workloads=(
  "get 4KiB 16 1000"
  "get 1MiB 16 200"
  "get 64MiB 16 16"
  "put 64MiB 4 0"
  "put 4KiB 16 0"
)
if [[ -n "${WORKLOADS:-}" ]]; then IFS=';' read -r -a workloads <<<"$WORKLOADS"; fi

log() { echo "bench-limits: $*" >&2; }
die() { log "$*"; exit 1; }

nginx_bin="$(command -v nginx || true)"
[[ -x /usr/sbin/nginx && -z "$nginx_bin" ]] && nginx_bin=/usr/sbin/nginx
[[ -n "$nginx_bin" ]] || die "nginx not found: run scripts/install-deps.sh test (Debian's nginx)"
"$nginx_bin" -V 2>&1 | grep -q -- --with-http_dav_module ||
  die "$nginx_bin lacks the dav module (PUT and DELETE); Debian's nginx package has it"
command -v python3 >/dev/null || die "python3 not found"
[[ -x "$STRATUS" ]] || die "$STRATUS not found: build it (cmake --build build/release)"
[[ -d "$dir" ]] || die "$dir is not a directory"

scratch="$(mktemp -d "$dir/bench-limits.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

source "$(dirname "${BASH_SOURCE[0]}")/bench-common.sh"

# Disk write throughput: FILES files of 64 MiB written in 1 MiB writes, each fsynced before
# the next starts, then the directory. Prints "<MiB/s overall> <slowest file> <fastest file>".
disk_write() {
  mkdir "$scratch/write"
  python3 - "$scratch/write" "$FILES" <<'EOF'
import os, sys, time
directory, files, mib = sys.argv[1], int(sys.argv[2]), 64
block = b"\0" * (1 << 20)
per_file = []
start = time.perf_counter()
for i in range(files):
    t = time.perf_counter()
    fd = os.open(os.path.join(directory, f"w{i}"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    for _ in range(mib):
        view = memoryview(block)
        while view:
            view = view[os.write(fd, view):]
    os.fsync(fd)
    os.close(fd)
    per_file.append(time.perf_counter() - t)
dfd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
os.fsync(dfd)
os.close(dfd)
elapsed = time.perf_counter() - start
print(f"{files * mib / elapsed:.1f} {mib / max(per_file):.1f} {mib / min(per_file):.1f}")
EOF
  rm -rf "$scratch/write"
}

# The one-file create + fsync rate, one thread: create a file, write 4 KiB, fsync it, close,
# fsync the directory, for FSYNC_SECONDS. Prints "<files/s> <mean ms per file>". Python adds
# some microseconds a file to two fsyncs that take from a fraction of a millisecond (a
# write-back cache) to several, so a C++ helper would not change the figure that matters.
create_fsync() {
  mkdir "$scratch/create"
  python3 - "$scratch/create" "$FSYNC_SECONDS" <<'EOF'
import os, sys, time
directory, seconds = sys.argv[1], float(sys.argv[2])
data = os.urandom(4096)
dfd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
n = 0
start = time.perf_counter()
deadline = start + seconds
while True:
    fd = os.open(os.path.join(directory, f"f{n}"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, data)
    os.fsync(fd)
    os.close(fd)
    os.fsync(dfd)
    n += 1
    if time.perf_counter() >= deadline:
        break
elapsed = time.perf_counter() - start
os.close(dfd)
print(f"{n / elapsed:.0f} {elapsed / n * 1e3:.2f}")
EOF
  rm -rf "$scratch/create"
}

# nginx on a free loopback port with WebDAV PUT/DELETE, everything under $scratch/nginx.
start_nginx() {
  local prefix="$scratch/nginx"
  mkdir -p "$prefix/root" "$prefix/temp"
  nginx_port="$(free_port)"
  # As root, nginx would run its workers as nobody, who cannot write in the scratch directory.
  local user=""
  [[ "$(id -u)" -eq 0 ]] && user="user root;"
  cat >"$prefix/nginx.conf" <<EOF
$user
worker_processes $cores;
daemon off;
pid $prefix/nginx.pid;
error_log $prefix/error.log warn;
events { worker_connections 1024; }
http {
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  client_max_body_size 0;
  # PUT bodies are written here, then renamed into root: one filesystem, no copy.
  client_body_temp_path $prefix/temp/body;
  proxy_temp_path $prefix/temp/proxy;
  fastcgi_temp_path $prefix/temp/fastcgi;
  uwsgi_temp_path $prefix/temp/uwsgi;
  scgi_temp_path $prefix/temp/scgi;
  server {
    listen 127.0.0.1:$nginx_port;
    root $prefix/root;
    location / {
      dav_methods PUT DELETE;
      create_full_put_path on;
    }
  }
}
EOF
  "$nginx_bin" -p "$prefix" -e "$prefix/error.log" -c "$prefix/nginx.conf" &
  nginx_pid=$!
  pids+=("$nginx_pid")
  wait_for_port "$nginx_port" "$nginx_pid" ||
    die "nginx did not start: $(tail -5 "$prefix/error.log" 2>/dev/null)"
}

start_stratus() {
  stratus_port="$(free_port)"
  STRATUS_ROOT_USER=bench STRATUS_ROOT_PASSWORD=benchsecret \
    "$STRATUS" server "$scratch/stratus-data" --address "127.0.0.1:$stratus_port" \
    >"$scratch/stratus.log" 2>&1 &
  stratus_pid=$!
  pids+=("$stratus_pid")
  wait_for_port "$stratus_port" "$stratus_pid" ||
    die "stratus server did not start: $(tail -5 "$scratch/stratus.log")"
}

# Runs one workload; the bench arguments follow the workload line. Leaves the JSON report in
# $scratch/bench.json; false (the bench's stderr goes to ours) when the run failed.
bench_json() {
  local op size conns objects
  read -r op size conns objects <<<"$1"
  shift
  local args=(--op "$op" --size "$size" --concurrency "$conns" --duration "$DURATION" --json
              --quiet)
  ((objects > 0)) && args+=(--objects "$objects")
  [[ "$op" == get && "$COPY_BODIES" == 0 ]] && args+=(--discard --verify-every 0)
  local rc=0
  "$STRATUS" bench "${args[@]}" "$@" >"$scratch/bench.json" 2>"$scratch/bench.err" || rc=$?
  if ((rc == 1)); then
    sed 's/^/  /' "$scratch/bench.err" >&2
    return 1
  fi
}

# Prints the table cells "<ops/s> | <MiB/s>" of one workload, or "failed | -".
run_bench() {
  if ! bench_json "$@"; then
    echo "failed | -"
    return
  fi
  python3 - "$scratch/bench.json" <<'EOF'
import json, sys
total = json.load(open(sys.argv[1]))["total"]
errors = f" ({total['errors']} errors)" if total["errors"] else ""
print(f"{total['ops_per_second']:.1f}{errors} | {total['mib_per_second']:.2f}")
EOF
}

# Like run_bench, with the latency: "<ops/s> | <MiB/s> | <p50 ms> | <p99 ms>".
run_bench_latency() {
  if ! bench_json "$@"; then
    echo "failed | - | - | -"
    return
  fi
  python3 - "$scratch/bench.json" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
total = report["total"]
(stats,) = report["operations"].values()
errors = f" ({total['errors']} errors)" if total["errors"] else ""
latency = stats["latency_ms"]
print(f"{total['ops_per_second']:.1f}{errors} | {total['mib_per_second']:.2f} | "
      f"{latency['p50']:.2f} | {latency['p99']:.2f}")
EOF
}

describe() {
  local op size conns objects
  read -r op size conns objects <<<"$1"
  local text="--op $op --size $size -c $conns"
  ((objects > 0)) && text+=" --objects $objects"
  echo "$text"
}

fs="$(df -PT "$scratch" | awk 'NR == 2 { print $2 " on " $1 }')"
[[ "$fs" == tmpfs* ]] && log "warning: $dir is on tmpfs: the fsync figures say nothing about a disk"
log "scratch directory $scratch ($fs), $cores cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"

log "disk write: $FILES x 64 MiB, each fsynced"
read -r write_rate write_slow write_fast <<<"$(disk_write)"
log "create + fsync: ${FSYNC_SECONDS}s"
read -r create_rate create_ms <<<"$(create_fsync)"

start_nginx
log "nginx $("$nginx_bin" -v 2>&1 | sed 's|.*/||') on 127.0.0.1:$nginx_port"
((with_stratus)) && start_stratus && log "stratus server on 127.0.0.1:$stratus_port"

rows=()
for workload in "${workloads[@]}"; do
  log "nginx: $(describe "$workload"), $DURATION"
  row="| \`$(describe "$workload")\` | $(run_bench "$workload" --plain \
    --endpoint "http://127.0.0.1:$nginx_port") |"
  if ((with_stratus)); then
    log "stratus: $(describe "$workload"), $DURATION"
    row+=" $(run_bench "$workload" --endpoint "http://127.0.0.1:$stratus_port" \
      --access-key bench --secret-key benchsecret) |"
  fi
  rows+=("$row")
done

# wrk (Debian's, if installed) on the same nginx GETs: one file of each size in nginx's root,
# wrk's threads = cores, as many connections as the workload. "<ops/s> | <MiB/s>" rows.
wrk_rows=()
if command -v wrk >/dev/null; then
  for workload in "${workloads[@]}"; do
    read -r op size conns objects <<<"$workload"
    [[ "$op" == get ]] || continue
    bytes="$(numfmt --from=iec-i "${size%B}")"
    head -c "$bytes" /dev/urandom >"$scratch/nginx/root/wrk-$size"
    log "wrk on nginx: GET $size -c $conns, $DURATION"
    out="$(wrk -t "$cores" -c "$conns" -d "$DURATION" "http://127.0.0.1:$nginx_port/wrk-$size")"
    rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
    wrk_rows+=("| \`wrk GET $size -c $conns\` | $rps | $(awk -v r="$rps" -v b="$bytes" 'BEGIN { printf "%.2f", r * b / 1048576 }') |")
    rm -f "$scratch/nginx/root/wrk-$size"
  done
fi

# Again at the end: on a shared VM the disk's fsync latency drifts within minutes, and the
# small-PUT target is a multiple of this rate, so both figures and both ratios are reported.
log "create + fsync again: ${FSYNC_SECONDS}s"
read -r create_last create_last_ms <<<"$(create_fsync)"

cat <<EOF
### $(date +%F): this machine's limits

- **Machine:** $(uname -n), $cores cores, $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), $fs; load average $(cut -d' ' -f1-3 /proc/loadavg) at the end.
- **Disk write with fsync** ($FILES files of 64 MiB, 1 MiB writes, each file fsynced): **$write_rate MiB/s** (files from $write_slow to $write_fast MiB/s).
- **Create + fsync** (create, write 4 KiB, fsync the file, fsync the directory; one thread, ${FSYNC_SECONDS} s): **$create_rate files/s** at the start ($create_ms ms each), **$create_last files/s** at the end ($create_last_ms ms each).
- **HTTP over loopback:** nginx $("$nginx_bin" -v 2>&1 | sed 's|.*/||') ($cores workers, sendfile, WebDAV PUT without fsync) driven by \`stratus bench --plain\`$( ((with_stratus)) && echo ", then stratus ($(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')) by \`stratus bench\`"); $DURATION a workload.

EOF
if ((with_stratus)); then
  echo "| workload | nginx ops/s | nginx MiB/s | stratus ops/s | stratus MiB/s |"
  echo "|---|---:|---:|---:|---:|"
else
  echo "| workload | nginx ops/s | nginx MiB/s |"
  echo "|---|---:|---:|"
fi
printf '%s\n' "${rows[@]}"
if ((${#wrk_rows[@]})); then
  echo
  echo "The same nginx GETs driven by wrk $(wrk -v 2>&1 | awk 'NR == 1 { print $2 }') (cross-check of the client):"
  echo
  echo "| workload | nginx ops/s | nginx MiB/s |"
  echo "|---|---:|---:|"
  printf '%s\n' "${wrk_rows[@]}"
fi
if ((with_stratus)); then
  # Fields of a row: "", workload, nginx ops/s, nginx MiB/s, stratus ops/s, stratus MiB/s.
  put_small="$(printf '%s\n' "${rows[@]}" |
    awk -F'|' '/--op put --size 4KiB/ { split($5, cell, "("); print cell[1] + 0 }')"
  ratio() {
    awk -v p="$put_small" -v c="$1" 'BEGIN { if (p > 0 && c > 0) printf "%.1fx", p / c; else print "?" }'
  }
  echo
  echo "4 KiB PUT c16 (signed, fsynced): $put_small ops/s, $(ratio "$create_rate") the create +" \
    "fsync rate measured at the start and $(ratio "$create_last") the one at the end" \
    "(nginx's WebDAV PUT does not fsync)."
fi

if ((with_scaling)); then
  stratus_args=(--endpoint "http://127.0.0.1:$stratus_port" --access-key bench
                --secret-key benchsecret)
  # Objects prepared for each size's GETs: enough to spread reads, few enough to write quickly.
  declare -A get_objects=([4KiB]=1000 [64KiB]=500 [1MiB]=200 [16MiB]=32 [64MiB]=16)
  echo
  echo "By object size, 16 connections (stratus, $DURATION a run):"
  echo
  echo "| size | PUT ops/s | PUT MiB/s | PUT p50 ms | PUT p99 ms | GET ops/s | GET MiB/s | GET p50 ms | GET p99 ms |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for size in 4KiB 64KiB 1MiB 16MiB 64MiB; do
    log "scaling: $size, put then get, c16"
    put_cells="$(run_bench_latency "put $size 16 0" "${stratus_args[@]}")"
    get_cells="$(run_bench_latency "get $size 16 ${get_objects[$size]}" "${stratus_args[@]}")"
    echo "| $size | $put_cells | $get_cells |"
  done
  echo
  echo "By connections (stratus, $DURATION a run):"
  echo
  echo "| workload | connections | ops/s | MiB/s | p50 ms | p99 ms |"
  echo "|---|---:|---:|---:|---:|---:|"
  for workload in "put 4KiB" "get 4KiB" "get 1MiB"; do
    read -r op size <<<"$workload"
    objects=0
    [[ "$op" == get ]] && objects="${get_objects[$size]}"
    for conns in 1 4 16 64; do
      log "scaling: $workload, c$conns"
      echo "| $op $size | $conns | $(run_bench_latency "$op $size $conns $objects" \
        "${stratus_args[@]}") |"
    done
  done
fi
