"""A 200 means durable: concurrent PUTs of mixed sizes (inline records and data files), the
server killed with SIGKILL mid-flight, restarted on the same directory. Every acknowledged
write reads back byte-exact; every listed object is complete and is one of the versions
written (no partial or mixed object is ever visible)."""

from __future__ import annotations

import hashlib
import http.client
import os
import random
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

import harness

KIB = 1024
WORKERS = 32
KEYS_PER_WORKER = 3
SIZES = [1 * KIB, 4 * KIB, 60 * KIB, 127 * KIB, 129 * KIB, 300 * KIB, 700 * KIB, 1024 * KIB]
MAX_PUTS_PER_WORKER = 400
RUN_BEFORE_KILL = 2.0
FIRST_ACK_TIMEOUT = 20.0


@dataclass
class KeyState:
    """What the client knows about one key (written by one worker only, in order)."""

    last_acked: tuple[str, int] | None = None  # (sha256, size)
    in_flight: tuple[str, int] | None = None  # sent, no answer yet
    acked_count: int = 0


@dataclass
class WorkerLog:
    keys: dict[str, KeyState] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def worker(server: harness.Server, bucket: str, index: int, stop: threading.Event,
           log: WorkerLog, deadline: float) -> None:
    rng = random.Random(index)
    raw = server.raw(timeout=10)
    names = [f"w{index:02d}/k{j}" for j in range(KEYS_PER_WORKER)]
    for name in names:
        log.keys[name] = KeyState()
    for n in range(MAX_PUTS_PER_WORKER):
        if stop.is_set() or time.monotonic() > deadline:
            return
        name = names[n % KEYS_PER_WORKER]
        data = os.urandom(rng.choice(SIZES))
        version = (hashlib.sha256(data).hexdigest(), len(data))
        state = log.keys[name]
        state.in_flight = version
        try:
            response = raw.request("PUT", bucket, name, body=data)
        except (OSError, http.client.HTTPException):
            return  # the server is gone: this write may or may not have landed
        if response.status == 200:
            state.last_acked = version
            state.in_flight = None
            state.acked_count += 1
        else:
            log.errors.append(f"{name}: {response.status} {response.body[:200]!r}")
            return


def test_kill9_mid_flight_keeps_every_acknowledged_write(stratus_factory):
    server = stratus_factory()
    raw = server.raw()
    bucket = harness.unique_bucket_name("crash")
    assert raw.request("PUT", bucket).status == 200

    stop = threading.Event()
    logs = [WorkerLog() for _ in range(WORKERS)]
    deadline = time.monotonic() + 60
    threads = [
        threading.Thread(target=worker, args=(server, bucket, i, stop, logs[i], deadline),
                         daemon=True)
        for i in range(WORKERS)
    ]
    for thread in threads:
        thread.start()

    def acked() -> int:
        return sum(s.acked_count for log in logs for s in log.keys.values())

    wait_until = time.monotonic() + FIRST_ACK_TIMEOUT
    while acked() == 0 and time.monotonic() < wait_until:
        time.sleep(0.05)
    assert acked() > 0, "no PUT acknowledged within %ss" % FIRST_ACK_TIMEOUT
    time.sleep(RUN_BEFORE_KILL)
    server.kill9()
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "workers did not stop"
    errors = [e for log in logs for e in log.errors]
    assert not errors, errors[:5]
    total_acked = acked()
    in_flight = sum(1 for log in logs for s in log.keys.values() if s.in_flight)
    assert total_acked >= WORKERS, f"only {total_acked} PUTs acknowledged before the kill"

    server.start()
    raw = server.raw()
    states = {name: s for log in logs for name, s in log.keys.items()}

    # Every acknowledged write is there, byte-exact: the last acknowledged version, or the
    # version that was in flight on that key when the server died.
    for name, state in states.items():
        allowed = {v for v in (state.last_acked, state.in_flight) if v}
        r = raw.request("GET", bucket, name)
        if state.last_acked is None and r.status == 404:
            continue
        assert r.status == 200, (name, r)
        version = (hashlib.sha256(r.body).hexdigest(), len(r.body))
        assert version in allowed, (name, len(r.body), allowed)
        assert r.header("content-length") == str(len(r.body))

    # Every listed object is complete and one of the versions written.
    listing = raw.request("GET", bucket, query=[("list-type", "2"), ("encoding-type", "url"),
                                                ("max-keys", "1000")])
    assert listing.status == 200, listing
    listed = [urllib.parse.unquote_plus(k) for k in harness.list_keys(listing.body)]
    assert set(listed) <= set(states), set(listed) - set(states)
    for name in listed:
        state = states[name]
        allowed = {v for v in (state.last_acked, state.in_flight) if v}
        r = raw.request("GET", bucket, name)
        assert r.status == 200, (name, r)
        assert (hashlib.sha256(r.body).hexdigest(), len(r.body)) in allowed, name
    must_exist = {name for name, s in states.items() if s.last_acked}
    assert must_exist <= set(listed), must_exist - set(listed)

    # The restarted server takes writes again.
    assert raw.request("PUT", bucket, "after-restart", body=b"ok").status == 200
    assert raw.request("GET", bucket, "after-restart").body == b"ok"
    print(f"acknowledged {total_acked} PUTs, {in_flight} in flight at the kill")


def test_readers_never_see_a_mixed_object_during_overwrites(stratus, bucket):
    """One writer alternates whole versions (inline and data-file sizes); concurrent readers
    must always get exactly one complete version."""
    versions = [os.urandom(size) for size in (100 * KIB, 700 * KIB, 3 * KIB, 1024 * KIB)]
    digests = {hashlib.sha256(v).hexdigest() for v in versions}
    raw = stratus.raw(timeout=20)
    assert raw.request("PUT", bucket, "hot", body=versions[0]).status == 200
    stop = threading.Event()
    problems: list[str] = []
    reads = [0]

    def reader():
        r_raw = stratus.raw(timeout=20)
        for _ in range(2000):
            if stop.is_set():
                return
            r = r_raw.request("GET", bucket, "hot")
            reads[0] += 1
            if r.status != 200 or hashlib.sha256(r.body).hexdigest() not in digests:
                problems.append(f"{r.status}, {len(r.body)} bytes")
                return

    threads = [threading.Thread(target=reader, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 3
    writes = 0
    while time.monotonic() < deadline and not problems:
        r = raw.request("PUT", bucket, "hot", body=versions[writes % len(versions)])
        assert r.status == 200, r
        writes += 1
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert not problems, problems[:3]
    assert writes >= 4 and reads[0] >= 4, (writes, reads[0])
