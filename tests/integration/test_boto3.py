"""boto3 against the real server, under every interpreter that has it: Debian's boto3 1.26 and
the current boto3 first on PATH (default CRC checksums). The scenarios live in
clients/boto_ops.py and assert inside; presigned URLs are fetched with plain curl."""

from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest

import harness

CLIENT = harness.HERE / "clients" / "boto_ops.py"


PYTHONS = list(harness.boto3_pythons()) or [
    pytest.param(None, marks=pytest.mark.skip(reason="no python3 with boto3"))]


def run_scenario(client_env, python, scenario, *args, timeout=240):
    proc = client_env.run([python, CLIENT, scenario, *args], timeout=timeout)
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])


@pytest.mark.parametrize("python", PYTHONS)
def test_roundtrip_sizes(client_env, bucket, python):
    out = run_scenario(client_env, python, "roundtrip", bucket)
    assert len(out["etags"]) == 6


@pytest.mark.parametrize("python", PYTHONS)
def test_checksum_algorithms(client_env, bucket, python):
    out = run_scenario(client_env, python, "checksums", bucket)
    # Every boto3 here can at least compute CRC32, SHA-1 and SHA-256.
    assert {"crc32", "sha1", "sha256"} <= set(out["algorithms"]), out


@pytest.mark.parametrize("python", PYTHONS)
def test_error_codes(client_env, bucket, python):
    run_scenario(client_env, python, "errors", bucket)


@pytest.mark.parametrize("python", PYTHONS)
def test_bucket_lifecycle(client_env, bucket_name, python):
    run_scenario(client_env, python, "buckets", bucket_name)


@pytest.mark.parametrize("python", PYTHONS)
def test_list_buckets_pages(client_env, bucket_name, python):
    out = run_scenario(client_env, python, "bucket_pages", bucket_name)
    assert out["paged"] or out["boto3"].startswith("1.26"), out


@pytest.mark.parametrize("python", PYTHONS)
def test_signature_v2_on_bucket_and_subresource_requests(client_env, bucket_name, python):
    run_scenario(client_env, python, "sigv2", bucket_name)


def curl(client_env, *args, timeout=60):
    return client_env.run(["curl", "-sS", "--max-time", str(timeout - 5), *args],
                          timeout=timeout, check=False)


@pytest.mark.skipif(not shutil.which("curl"), reason="curl not installed")
@pytest.mark.parametrize("python", PYTHONS)
def test_presigned_urls_with_curl(client_env, bucket, python, tmp_path, raw):
    key = "presigned/obj with spaces+plus.bin"
    out = run_scenario(client_env, python, "presign", bucket, key)
    for variant, urls in out["urls"].items():
        data = os.urandom(200_000)
        src = tmp_path / f"up-{variant}"
        src.write_bytes(data)
        # PUT with the presigned URL (no credentials in curl).
        proc = curl(client_env, "-o", tmp_path / "put-body", "-w", "%{http_code}",
                    "-T", src, urls["put"])
        assert proc.stdout.decode() == "200", (variant, proc, (tmp_path / "put-body").read_bytes())
        stored = raw.request("GET", bucket, key)
        assert stored.status == 200 and hashlib.sha256(stored.body).digest() == \
            hashlib.sha256(data).digest(), (variant, stored.status)
        # GET with the presigned URL.
        dst = tmp_path / f"down-{variant}"
        proc = curl(client_env, "-o", dst, "-w", "%{http_code}", urls["get"])
        assert proc.stdout.decode() == "200", (variant, proc, dst.read_bytes()[:500])
        assert dst.read_bytes() == data, variant
        raw.request("DELETE", bucket, key)

    # A presigned URL with a tampered signature is refused and stores nothing.
    url = out["urls"]["s3v4"]["put"]
    marker = "X-Amz-Signature="
    at = url.index(marker) + len(marker)
    tampered = url[:at] + ("0" if url[at] != "0" else "1") + url[at + 1:]
    src = tmp_path / "tampered"
    src.write_bytes(b"should not be stored")
    proc = curl(client_env, "-o", tmp_path / "tampered-body", "-w", "%{http_code}",
                "-T", src, tampered)
    assert proc.stdout.decode() == "403", proc
    assert b"SignatureDoesNotMatch" in (tmp_path / "tampered-body").read_bytes()
    assert raw.request("HEAD", bucket, key).status == 404


def test_upload_after_empty_upload_on_the_same_connection(stratus, bucket, tmp_path):
    """botocore sends `Expect: 100-continue` for file bodies. When the server answers an empty
    upload with its final status (no 100 Continue), botocore keeps that status line on the
    pooled connection and misreads the next Expect response on it: no headers (so no ETag), and
    a hang until its read timeout. aws-cli `s3 cp --recursive` of a directory holding an empty
    file hits this."""
    s3 = stratus.boto3_client(read_timeout=5)
    sizes = [0, 200_000, 0, 1]
    written = []
    for index, size in enumerate(sizes):
        path = tmp_path / f"f{index}"
        data = os.urandom(size)
        path.write_bytes(data)
        written.append(data)
        with open(path, "rb") as body:
            put = s3.put_object(Bucket=bucket, Key=f"expect/{index}", Body=body)
        assert put.get("ETag") == '"%s"' % hashlib.md5(data).hexdigest(), (index, size, put)
    for index, data in enumerate(written):
        got = s3.get_object(Bucket=bucket, Key=f"expect/{index}")["Body"].read()
        assert got == data, index
