"""`stratus bench`, the load generator, end to end against the real server: every operation
of a mixed workload succeeds, what it reads back is verified, sizes straddle the server's
64 KiB read-before-dispatch limit, and it leaves nothing behind. A wrong secret must show
up as errors and a failing exit code, so these runs can fail."""

from __future__ import annotations

import json
import subprocess

import harness


def run_bench(server, *args: str, secret: str | None = None) -> subprocess.CompletedProcess:
    command = [str(harness.binary_path()), "bench", "--endpoint", server.endpoint,
               "--access-key", server.access_key,
               "--secret-key", secret if secret is not None else server.secret_key,
               "--region", server.region, "--quiet", "--json", *args]
    return subprocess.run(command, capture_output=True, timeout=120)


def bucket_names(server) -> set[str]:
    return {b["Name"] for b in server.boto3_client().list_buckets()["Buckets"]}


def test_mixed_workload_succeeds_verifies_and_cleans_up(stratus):
    before = bucket_names(stratus)
    result = run_bench(stratus, "--mix", "put=3,get=3,stat=2,list=1,delete=1",
                       "--size", "1KiB-100KiB", "--concurrency", "4", "--count", "400",
                       "--objects", "30", "--verify-every", "1")
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    operations = report["operations"]
    assert set(operations) == {"PutObject", "GetObject", "HeadObject", "ListObjectsV2",
                               "DeleteObject"}, operations.keys()
    assert sum(op["count"] for op in operations.values()) == 400
    assert report["total"]["errors"] == 0, report["errors"]
    assert operations["GetObject"]["verified"] == operations["GetObject"]["count"] > 0
    assert operations["GetObject"]["verify_failures"] == 0
    assert operations["PutObject"]["bytes"] >= operations["PutObject"]["count"] * 1024
    assert bucket_names(stratus) == before, "the bench left its bucket behind"


def test_small_puts_then_gets_round_trip(stratus):
    # The benchmark shapes of docs/performance.md, briefly: 4 KiB bodies sent with their
    # header in one segment, then read back and verified.
    put = run_bench(stratus, "--op", "put", "--size", "4KiB", "--concurrency", "8",
                    "--count", "300")
    assert put.returncode == 0, put.stderr.decode()
    assert json.loads(put.stdout)["operations"]["PutObject"]["count"] == 300
    get = run_bench(stratus, "--op", "get", "--size", "4KiB", "--concurrency", "8",
                    "--count", "300", "--objects", "50", "--verify-every", "1")
    assert get.returncode == 0, get.stderr.decode()
    stats = json.loads(get.stdout)["operations"]["GetObject"]
    assert stats["verified"] == 300 and stats["verify_failures"] == 0


def test_multipart_workload(stratus):
    result = run_bench(stratus, "--op", "multipart", "--size", "12MiB", "--part-size", "5MiB",
                       "--concurrency", "2", "--count", "3")
    assert result.returncode == 0, result.stderr.decode()
    stats = json.loads(result.stdout)["operations"]["MultipartUpload"]
    assert stats["count"] == 3 and stats["errors"] == 0
    assert stats["bytes"] == 3 * 12 * 1024 * 1024


def test_wrong_secret_is_reported_as_failure(stratus):
    result = run_bench(stratus, "--op", "put", "--size", "4KiB", "--count", "5",
                       "--bucket", harness.unique_bucket_name("bench"), secret="not-the-secret")
    assert result.returncode == 1, result
    assert b"403" in result.stderr, result.stderr


def test_discarded_get_bodies_are_counted_whole(stratus):
    # --discard drops unverified GET bodies in the kernel; their sizes are still checked, and
    # the keep-alive connections go on to the next request after each (count > objects).
    size = 2 * 1024 * 1024 + 17  # over one response chunk, not a multiple of anything
    get = run_bench(stratus, "--op", "get", "--size", str(size), "--concurrency", "2",
                    "--count", "40", "--objects", "6", "--verify-every", "0", "--discard")
    assert get.returncode == 0, get.stderr.decode()
    stats = json.loads(get.stdout)["operations"]["GetObject"]
    assert stats["count"] == 40 and stats["errors"] == 0
    assert stats["bytes"] == 40 * size
