#!/usr/bin/env python3
"""Slow and hostile clients against one server, for docs/performance.md (issue 10).

Starts `stratus server` on 127.0.0.1 (a random port, a scratch data directory) and, at once:
  - SLOWLORIS connections that send a request header one byte every few seconds;
  - TRICKLERS uploads of 1 MiB that send one body byte every few seconds, half anonymous
    (refused before their body) and half signed (UNSIGNED-PAYLOAD, so they get a handler);
  - NON_READERS signed GETs of a 64 MiB object whose clients never read.
Meanwhile it times fresh signed GETs of a 4 KiB object on new connections and samples the
server's RSS. It prints the latencies (before and during the attack) and RSS figures. Every
loop is bounded by DURATION; every socket and the server are closed at the end.

Usage: scripts/bench-hostile.py [--slowloris N] [--tricklers N] [--non-readers N]
                                [--duration SECONDS] [--binary PATH]
"""

from __future__ import annotations

import argparse
import os
import re
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "integration"))
import s3wire  # noqa: E402  (the suite's stdlib-only SigV4 signer)

USER, SECRET = "hostileroot", "hostile-root-secret-0123456789abcdef"
LISTEN = re.compile(rb"stratus listening on https?://\S+:(\d+)")


def rss_kib(pid: int) -> tuple[int, int]:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                  if ":" in line)
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def connect(port: int, rcvbuf: int | None = None) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    s.setblocking(False)
    return s


def signed_head(creds, port: int, method: str, path: str, extra: dict[str, str]) -> bytes:
    headers, _ = s3wire.sign_v4(creds, method, path, [], {"Host": f"127.0.0.1:{port}", **extra},
                                s3wire.UNSIGNED_PAYLOAD)
    return (f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
            + "\r\n").encode()


def timed_get(raw: s3wire.Raw) -> float:
    start = time.monotonic()
    response = raw.request("GET", "hostile", "small")
    elapsed = time.monotonic() - start
    if response.status != 200 or len(response.body) != 4096:
        raise SystemExit(f"probe GET failed: {response.status} {response.body[:200]!r}")
    return elapsed


def summary(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p = lambda q: ms[min(len(ms) - 1, int(q * len(ms)))]  # noqa: E731
    return f"n={len(ms)} p50={p(0.5):.1f} ms p99={p(0.99):.1f} ms max={ms[-1]:.1f} ms"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--slowloris", type=int, default=200)
    ap.add_argument("--tricklers", type=int, default=100)
    ap.add_argument("--non-readers", type=int, default=100)
    ap.add_argument("--duration", type=float, default=25.0)
    ap.add_argument("--binary", default=str(REPO / "build" / "release" / "stratus"))
    args = ap.parse_args()

    scratch = tempfile.mkdtemp(prefix="bench-hostile-")
    log = open(Path(scratch) / "server.log", "wb+")
    env = dict(os.environ, STRATUS_ROOT_USER=USER, STRATUS_ROOT_PASSWORD=SECRET)
    server = subprocess.Popen([args.binary, "server", f"{scratch}/data", "--address",
                               "127.0.0.1:0"], stdout=log, stderr=subprocess.STDOUT, env=env)
    sockets: list[socket.socket] = []
    try:
        port = 0
        for _ in range(200):
            log.seek(0)
            if m := LISTEN.search(log.read()):
                port = int(m.group(1))
                break
            time.sleep(0.05)
        if not port:
            raise SystemExit("server did not start")
        creds = s3wire.Creds(USER, SECRET)
        raw = s3wire.Raw("127.0.0.1", port, creds)
        assert raw.request("PUT", "hostile").status == 200
        assert raw.request("PUT", "hostile", "small", body=os.urandom(4096)).status == 200
        assert raw.request("PUT", "hostile", "large", body=os.urandom(64 << 20)).status == 200
        idle_rss, _ = rss_kib(server.pid)
        before = [timed_get(raw) for _ in range(50)]

        slowloris = [connect(port) for _ in range(args.slowloris)]
        for s in slowloris:
            s.send(b"GET /hostile/small HTTP/1.1\r\nHost: x\r\n")
        tricklers = []
        for i in range(args.tricklers):
            s = connect(port)
            extra = {"Content-Length": str(1 << 20)}
            if i % 2:
                head = signed_head(creds, port, "PUT", f"/hostile/trickle-{i}", extra)
            else:
                head = f"PUT /hostile/trickle-{i} HTTP/1.1\r\nHost: x\r\nContent-Length: {1 << 20}\r\n\r\n".encode()
            s.send(head)
            tricklers.append(s)
        non_readers = []
        for _ in range(args.non_readers):
            s = connect(port, rcvbuf=4096)
            s.send(signed_head(creds, port, "GET", "/hostile/large", {}))
            non_readers.append(s)
        sockets = slowloris + tricklers + non_readers
        attack_start = time.monotonic()

        during, peak_rss, answered = [], idle_rss, 0
        next_drip = attack_start
        while time.monotonic() - attack_start < args.duration:
            if time.monotonic() >= next_drip:  # one byte each, every 4 s
                for s in slowloris:
                    try:
                        s.send(b"X")
                    except OSError:
                        pass
                for s in tricklers:
                    try:
                        s.send(b"0")
                    except OSError:
                        pass
                next_drip += 4
            during.append(timed_get(raw))
            peak_rss = max(peak_rss, rss_kib(server.pid)[0])
            time.sleep(0.1)
        readable, _, _ = select.select(tricklers, [], [], 0)
        answered = len(readable)
        end_rss, hwm = rss_kib(server.pid)
        print(f"attack: {args.slowloris} slowloris, {args.tricklers} tricklers "
              f"(half signed), {args.non_readers} non-reading 64 MiB GETs, {args.duration:.0f} s")
        print(f"fresh signed 4 KiB GET before: {summary(before)}")
        print(f"fresh signed 4 KiB GET during: {summary(during)}")
        print(f"server RSS: idle {idle_rss / 1024:.0f} MiB, peak during {peak_rss / 1024:.0f} MiB, "
              f"at the end {end_rss / 1024:.0f} MiB (VmHWM {hwm / 1024:.0f} MiB)")
        print(f"tricklers answered (refused or timed out) by the end: {answered}/{len(tricklers)}")
        return 0
    finally:
        for s in sockets:
            s.close()
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        subprocess.run(["rm", "-rf", scratch], check=False)


if __name__ == "__main__":
    sys.exit(main())
