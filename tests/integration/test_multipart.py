"""Multipart uploads against the real server: aws-cli, boto3, rclone and s3cmd, every error
S3 defines for them, listings with pagination, GET by part number, abort and crash safety."""

from __future__ import annotations

import base64
import concurrent.futures
import hashlib
import json
import os
import random
import shutil
import struct
import threading
import time
import zlib
import xml.etree.ElementTree as ET
from pathlib import Path

import botocore.exceptions
import pytest
from botocore.exceptions import ClientError

import harness

MIB = 1024 * 1024
PART = 5 * MIB
AWS = list(harness.distinct_executables("/usr/bin/aws", "aws"))
RCLONE = shutil.which("rclone")
S3CMD = shutil.which("s3cmd")


def error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def data_files(server) -> set[str]:
    return {p.name for p in (server.data_dir / "data").rglob("*") if p.is_file()}


def multipart_etag(parts: list[bytes]) -> str:
    digest = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest()
    return f'"{digest}-{len(parts)}"'


def start_upload(s3, bucket, key, **kwargs) -> str:
    return s3.create_multipart_upload(Bucket=bucket, Key=key, **kwargs)["UploadId"]


def upload(s3, bucket, key, upload_id, number, body) -> dict:
    etag = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number,
                          Body=body)["ETag"]
    return {"PartNumber": number, "ETag": etag}


def complete_xml(parts) -> bytes:
    body = "".join(f"<Part><PartNumber>{p['PartNumber']}</PartNumber><ETag>{p['ETag']}</ETag></Part>"
                   for p in parts)
    return f"<CompleteMultipartUpload>{body}</CompleteMultipartUpload>".encode()


def xml_text(body: bytes, name: str) -> str | None:
    for elem in ET.fromstring(body).iter():
        if elem.tag.rsplit("}", 1)[-1] == name:
            return elem.text
    return None


def complete(s3, bucket, key, upload_id, parts, **kwargs):
    return s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id,
                                        MultipartUpload={"Parts": parts}, **kwargs)


# --- aws-cli ---------------------------------------------------------------------------------


@pytest.mark.parametrize("exe", AWS or [None])
def test_aws_cli_cp_200_mib_round_trip(client_env, bucket, exe, tmp_path):
    if exe is None:
        pytest.skip("aws-cli not installed")
    source = tmp_path / "big.bin"
    with open(source, "wb") as f:
        for _ in range(200):
            f.write(os.urandom(MIB))
    url = f"s3://{bucket}/big.bin"
    endpoint = ["--endpoint-url", client_env.server.endpoint]
    client_env.run([exe, *endpoint, "s3", "cp", "--only-show-errors", source, url], timeout=300)
    head = json.loads(client_env.run([exe, *endpoint, "s3api", "head-object", "--bucket", bucket,
                                      "--key", "big.bin"]).stdout)
    assert head["ContentLength"] == 200 * MIB
    assert head["ETag"].endswith('-25"'), head  # 8 MiB parts, aws-cli's default
    down = tmp_path / "down.bin"
    client_env.run([exe, *endpoint, "s3", "cp", "--only-show-errors", url, down], timeout=300)
    assert down.stat().st_size == source.stat().st_size
    with open(source, "rb") as a, open(down, "rb") as b:
        while True:
            x, y = a.read(8 * MIB), b.read(8 * MIB)
            assert x == y
            if not x:
                break


# --- boto3 -----------------------------------------------------------------------------------


def test_out_of_order_concurrent_reupload_and_part_copy(s3, bucket):
    source = os.urandom(3 * MIB)
    s3.put_object(Bucket=bucket, Key="source", Body=source)
    parts = [os.urandom(PART) for _ in range(3)]
    upload_id = start_upload(s3, bucket, "assembled", ContentType="application/x-test",
                             Metadata={"color": "blue"})
    order = [3, 1, 2]
    with concurrent.futures.ThreadPoolExecutor(3) as pool:
        done = list(pool.map(lambda n: upload(s3, bucket, "assembled", upload_id, n,
                                              parts[n - 1]), order))
    # Re-upload part 2 with new bytes: the new one counts, the old one's data goes.
    parts[1] = os.urandom(PART)
    new_two = upload(s3, bucket, "assembled", upload_id, 2, parts[1])
    # Part 4: bytes 1000..1MiB+999 of another object.
    copied = s3.upload_part_copy(Bucket=bucket, Key="assembled", UploadId=upload_id, PartNumber=4,
                                 CopySource={"Bucket": bucket, "Key": "source"},
                                 CopySourceRange=f"bytes=1000-{MIB + 999}")
    part4 = source[1000:MIB + 1000]
    assert copied["CopyPartResult"]["ETag"] == f'"{hashlib.md5(part4).hexdigest()}"'
    etags = {p["PartNumber"]: p["ETag"] for p in done}
    etags[2] = new_two["ETag"]
    etags[4] = copied["CopyPartResult"]["ETag"]
    result = complete(s3, bucket, "assembled", upload_id,
                      [{"PartNumber": n, "ETag": etags[n]} for n in (1, 2, 3, 4)])
    everything = parts + [part4]
    assert result["ETag"] == multipart_etag(everything)
    got = s3.get_object(Bucket=bucket, Key="assembled")
    assert got["Body"].read() == b"".join(everything)
    assert got["ETag"] == multipart_etag(everything)
    assert got["ContentType"] == "application/x-test"
    assert got["Metadata"] == {"color": "blue"}

    # GET and HEAD by part number: that part's bytes, 206, the part count.
    whole = b"".join(everything)
    for number, start in ((1, 0), (2, PART), (4, 3 * PART)):
        part = s3.get_object(Bucket=bucket, Key="assembled", PartNumber=number)
        assert part["ResponseMetadata"]["HTTPStatusCode"] == 206
        assert part["PartsCount"] == 4
        size = len(everything[number - 1])
        assert part["ContentRange"] == f"bytes {start}-{start + size - 1}/{len(whole)}"
        assert part["Body"].read() == everything[number - 1]
    head = s3.head_object(Bucket=bucket, Key="assembled", PartNumber=3)
    assert head["ContentLength"] == PART and head["PartsCount"] == 4
    with pytest.raises(ClientError) as exc:
        s3.get_object(Bucket=bucket, Key="assembled", PartNumber=5)
    assert error_code(exc) == "InvalidPartNumber"
    # Ranges across part boundaries.
    for first, last in ((PART - 10, PART + 9), (MIB, 3 * PART + 5), (0, len(whole) - 1)):
        ranged = s3.get_object(Bucket=bucket, Key="assembled", Range=f"bytes={first}-{last}")
        assert ranged["Body"].read() == whole[first:last + 1]
    # partNumber=1 of a single-part object is the whole object.
    single = s3.get_object(Bucket=bucket, Key="source", PartNumber=1)
    assert single["Body"].read() == source


def test_multipart_errors(s3, bucket):
    key = "errors"
    upload_id = start_upload(s3, bucket, key)
    small = upload(s3, bucket, key, upload_id, 1, b"a" * 100)
    big = upload(s3, bucket, key, upload_id, 2, os.urandom(PART))
    last = upload(s3, bucket, key, upload_id, 3, b"tail")
    with pytest.raises(ClientError) as exc:
        complete(s3, bucket, key, upload_id, [big, small])
    assert error_code(exc) == "InvalidPartOrder"
    with pytest.raises(ClientError) as exc:
        complete(s3, bucket, key, upload_id, [{"PartNumber": 2, "ETag": small["ETag"]}])
    assert error_code(exc) == "InvalidPart"
    with pytest.raises(ClientError) as exc:
        complete(s3, bucket, key, upload_id, [{"PartNumber": 7, "ETag": big["ETag"]}])
    assert error_code(exc) == "InvalidPart"
    with pytest.raises(ClientError) as exc:
        complete(s3, bucket, key, upload_id, [small, big])
    assert error_code(exc) == "EntityTooSmall"
    with pytest.raises(ClientError) as exc:
        s3.upload_part(Bucket=bucket, Key=key, UploadId="00" * 24, PartNumber=1, Body=b"x")
    assert error_code(exc) == "NoSuchUpload"
    with pytest.raises(ClientError) as exc:
        s3.upload_part(Bucket=bucket, Key="other-key", UploadId=upload_id, PartNumber=1, Body=b"x")
    assert error_code(exc) == "NoSuchUpload"
    with pytest.raises(ClientError) as exc:
        s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=10001, Body=b"x")
    assert error_code(exc) == "InvalidArgument"
    with pytest.raises(ClientError) as exc:
        s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=1, Body=b"x",
                       ContentMD5=base64.b64encode(hashlib.md5(b"y").digest()).decode())
    assert error_code(exc) == "BadDigest"
    # Nothing above changed the upload: the parts still complete (the last may be small).
    result = complete(s3, bucket, key, upload_id, [big, last])
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read()[-4:] == b"tail"
    assert result["ETag"].endswith('-2"')
    for call in (lambda: complete(s3, bucket, key, upload_id, [big]),
                 lambda: s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id),
                 lambda: s3.list_parts(Bucket=bucket, Key=key, UploadId=upload_id)):
        with pytest.raises(ClientError) as exc:
            call()
        assert error_code(exc) == "NoSuchUpload"


def test_malformed_complete_and_conditional_complete(s3, raw, bucket):
    key = "cond"
    s3.put_object(Bucket=bucket, Key=key, Body=b"old")
    upload_id = start_upload(s3, bucket, key)
    part = upload(s3, bucket, key, upload_id, 1, b"new")
    for body in (b"garbage", b"<CompleteMultipartUpload></CompleteMultipartUpload>",
                 b"<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>"):
        response = raw.request("POST", bucket, key, query=[("uploadId", upload_id)], body=body)
        assert response.status == 400 and b"MalformedXML" in response.body, response
    # (botocore of Debian 12 predates If-None-Match / If-Match on completion: raw requests.)
    query = [("uploadId", upload_id)]
    for headers in ({"If-None-Match": "*"}, {"If-Match": '"0123"'}):
        response = raw.request("POST", bucket, key, query=query, headers=headers,
                               body=complete_xml([part]))
        assert response.status == 412 and response.error_code() == "PreconditionFailed", response
    # Tags for the object are checked when the upload is created, not when it completes.
    bad = raw.request("POST", bucket, "tagged", query=[("uploads", "")],
                      headers={"x-amz-tagging": "k" * 200 + "=v"})
    assert bad.status == 400, bad
    old_etag = s3.head_object(Bucket=bucket, Key=key)["ETag"]
    response = raw.request("POST", bucket, key, query=query, headers={"If-Match": old_etag},
                           body=complete_xml([part]))
    assert response.status == 200, response
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == b"new"


def test_checksums_composite_and_full_object(s3, raw, bucket):
    parts = [os.urandom(PART), b"last part"]
    crcs = [struct.pack(">I", zlib.crc32(p)) for p in parts]
    # COMPOSITE CRC32: the CRC of the parts' CRCs, "-N".
    upload_id = start_upload(s3, bucket, "composite", ChecksumAlgorithm="CRC32")
    listed = []
    for number, body in enumerate(parts, 1):
        answer = s3.upload_part(Bucket=bucket, Key="composite", UploadId=upload_id,
                                PartNumber=number, Body=body, ChecksumAlgorithm="CRC32")
        assert answer["ChecksumCRC32"] == base64.b64encode(crcs[number - 1]).decode()
        listed.append({"PartNumber": number, "ETag": answer["ETag"],
                       "ChecksumCRC32": answer["ChecksumCRC32"]})
    result = complete(s3, bucket, "composite", upload_id, listed)
    expected = base64.b64encode(struct.pack(">I", zlib.crc32(b"".join(crcs)))).decode() + "-2"
    assert result["ChecksumCRC32"] == expected
    head = s3.head_object(Bucket=bucket, Key="composite", ChecksumMode="ENABLED")
    assert head["ChecksumCRC32"] == expected
    # FULL_OBJECT CRC32: the CRC of the whole object.
    created = raw.request("POST", bucket, "full", query=[("uploads", "")],
                          headers={"x-amz-checksum-algorithm": "CRC32",
                                   "x-amz-checksum-type": "FULL_OBJECT"})
    assert created.status == 200, created
    upload_id = xml_text(created.body, "UploadId")
    listed = [upload(s3, bucket, "full", upload_id, n, body) for n, body in enumerate(parts, 1)]
    result = raw.request("POST", bucket, "full", query=[("uploadId", upload_id)],
                         body=complete_xml(listed))
    assert result.status == 200, result
    whole = base64.b64encode(struct.pack(">I", zlib.crc32(b"".join(parts)))).decode()
    assert xml_text(result.body, "ChecksumCRC32") == whole
    assert xml_text(result.body, "ChecksumType") == "FULL_OBJECT"
    # SHA256 cannot be FULL_OBJECT.
    refused = raw.request("POST", bucket, "x", query=[("uploads", "")],
                          headers={"x-amz-checksum-algorithm": "SHA256",
                                   "x-amz-checksum-type": "FULL_OBJECT"})
    assert refused.status == 400 and refused.error_code() == "InvalidRequest", refused
    # A part whose checksum is not what the client listed is refused.
    upload_id = start_upload(s3, bucket, "wrong", ChecksumAlgorithm="CRC32")
    one = upload(s3, bucket, "wrong", upload_id, 1, b"x")
    one["ChecksumCRC32"] = base64.b64encode(b"\0\0\0\0").decode()
    with pytest.raises(ClientError) as exc:
        complete(s3, bucket, "wrong", upload_id, [one])
    assert error_code(exc) == "InvalidPart"
    s3.abort_multipart_upload(Bucket=bucket, Key="wrong", UploadId=upload_id)


def test_list_parts_and_uploads_paginate(s3, bucket):
    upload_id = start_upload(s3, bucket, "many")
    for number in range(1, 8):
        upload(s3, bucket, "many", upload_id, number, str(number).encode())
    seen, marker = [], 0
    while True:
        page = s3.list_parts(Bucket=bucket, Key="many", UploadId=upload_id, MaxParts=3,
                             PartNumberMarker=marker)
        seen += [p["PartNumber"] for p in page["Parts"]]
        assert page["MaxParts"] == 3
        if not page["IsTruncated"]:
            break
        marker = page["NextPartNumberMarker"]
    assert seen == list(range(1, 8))
    assert page["Parts"][-1]["Size"] == 1

    ids = {"many": [upload_id]}
    for key in ("a/1", "a/2", "b", "b", "c/d/e"):
        ids.setdefault(key, []).append(start_upload(s3, bucket, key))
    uploads, key_marker, id_marker = [], "", ""
    while True:
        page = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=2, KeyMarker=key_marker,
                                         UploadIdMarker=id_marker)
        uploads += [(u["Key"], u["UploadId"]) for u in page.get("Uploads", [])]
        if not page["IsTruncated"]:
            break
        key_marker, id_marker = page["NextKeyMarker"], page["NextUploadIdMarker"]
    expected = sorted((k, i) for k, v in ids.items() for i in v)
    assert uploads == expected  # key order, then initiation order
    rolled = s3.list_multipart_uploads(Bucket=bucket, Delimiter="/")
    assert [p["Prefix"] for p in rolled["CommonPrefixes"]] == ["a/", "c/"]
    assert sorted(u["Key"] for u in rolled["Uploads"]) == ["b", "b", "many"]
    prefixed = s3.list_multipart_uploads(Bucket=bucket, Prefix="c/", Delimiter="/")
    assert [p["Prefix"] for p in prefixed["CommonPrefixes"]] == ["c/d/"]
    for key, key_ids in ids.items():
        for i in key_ids:
            s3.abort_multipart_upload(Bucket=bucket, Key=key, UploadId=i)
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket)


def test_abort_and_reupload_remove_part_files(stratus, s3, bucket):
    before = data_files(stratus)
    upload_id = start_upload(s3, bucket, "gone")
    for number in (1, 2):
        upload(s3, bucket, "gone", upload_id, number, os.urandom(200 * 1024))
    upload(s3, bucket, "gone", upload_id, 2, os.urandom(1000))  # replaces part 2's file
    assert len(data_files(stratus) - before) == 2
    assert s3.abort_multipart_upload(Bucket=bucket, Key="gone", UploadId=upload_id)[
        "ResponseMetadata"]["HTTPStatusCode"] == 204
    assert data_files(stratus) == before
    # Overwriting and deleting a multipart object removes its part files too.
    upload_id = start_upload(s3, bucket, "obj")
    part = upload(s3, bucket, "obj", upload_id, 1, b"p" * 1000)
    complete(s3, bucket, "obj", upload_id, [part])
    assert len(data_files(stratus) - before) == 1
    s3.put_object(Bucket=bucket, Key="obj", Body=b"small")
    assert data_files(stratus) == before


def test_delete_bucket_with_upload_in_progress(stratus, s3, bucket_name):
    before = data_files(stratus)
    s3.create_bucket(Bucket=bucket_name)
    upload_id = start_upload(s3, bucket_name, "k")
    upload(s3, bucket_name, "k", upload_id, 1, b"x" * 1000)
    # S3 deletes a general purpose bucket that holds no objects; its uploads go with it.
    s3.delete_bucket(Bucket=bucket_name)
    assert data_files(stratus) == before
    s3.create_bucket(Bucket=bucket_name)
    assert "Uploads" not in s3.list_multipart_uploads(Bucket=bucket_name)


def test_uploads_expire(stratus_factory):
    server = stratus_factory(extra_args=["--upload-expiry", "1"])
    s3 = server.boto3_client()
    s3.create_bucket(Bucket="exp")
    upload_id = start_upload(s3, "exp", "k")
    upload(s3, "exp", "k", upload_id, 1, b"x" * 1000)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and s3.list_multipart_uploads(Bucket="exp").get("Uploads"):
        time.sleep(0.2)
    assert "Uploads" not in s3.list_multipart_uploads(Bucket="exp")
    assert data_files(server) == set()


# --- other clients ---------------------------------------------------------------------------


@pytest.mark.skipif(S3CMD is None, reason="s3cmd is not installed")
def test_s3cmd_multipart(client_env, bucket, tmp_path):
    server = client_env.server
    config = tmp_path / "s3cfg"
    hostport = f"{server.host}:{server.port}"
    config.write_text(
        "[default]\n"
        f"access_key = {server.access_key}\nsecret_key = {server.secret_key}\n"
        f"host_base = {hostport}\nhost_bucket = {hostport}\nuse_https = False\n"
        f"bucket_location = {server.region}\nsocket_timeout = 60\nmax_retries = 1\n"
        "progress_meter = False\n")
    data = os.urandom(12 * MIB)
    (tmp_path / "up.bin").write_bytes(data)
    client_env.run([S3CMD, "-c", config, "--multipart-chunk-size-mb=5", "put",
                    tmp_path / "up.bin", f"s3://{bucket}/s3cmd.bin"], timeout=120)
    s3 = server.boto3_client()
    head = s3.head_object(Bucket=bucket, Key="s3cmd.bin")
    assert head["ETag"].endswith('-3"'), head
    client_env.run([S3CMD, "-c", config, "get", f"s3://{bucket}/s3cmd.bin",
                    tmp_path / "down.bin"], timeout=120)
    assert (tmp_path / "down.bin").read_bytes() == data


@pytest.mark.skipif(RCLONE is None, reason="rclone is not installed")
def test_rclone_multipart(client_env, bucket, tmp_path):
    server = client_env.server
    env = {
        "RCLONE_CONFIG": str(tmp_path / "rclone.conf"),
        "RCLONE_CONFIG_STRATUS_TYPE": "s3",
        "RCLONE_CONFIG_STRATUS_PROVIDER": "Other",
        "RCLONE_CONFIG_STRATUS_ENDPOINT": server.endpoint,
        "RCLONE_CONFIG_STRATUS_ACCESS_KEY_ID": server.access_key,
        "RCLONE_CONFIG_STRATUS_SECRET_ACCESS_KEY": server.secret_key,
        "RCLONE_CONFIG_STRATUS_REGION": server.region,
        "RCLONE_CONFIG_STRATUS_FORCE_PATH_STYLE": "true",
    }
    (tmp_path / "rclone.conf").write_text("")
    up = tmp_path / "up"
    up.mkdir()
    data = os.urandom(12 * MIB + 7)
    (up / "r.bin").write_bytes(data)
    base = [RCLONE, "--retries", "1", "--low-level-retries", "1", "--s3-upload-cutoff", "5M",
            "--s3-chunk-size", "5M"]
    client_env.run([*base, "copy", up, f"stratus:{bucket}/r"], extra_env=env, timeout=120)
    head = server.boto3_client().head_object(Bucket=bucket, Key="r/r.bin")
    assert head["ETag"].endswith('-3"'), head
    client_env.run([*base, "check", up, f"stratus:{bucket}/r"], extra_env=env, timeout=120)
    down = tmp_path / "down"
    client_env.run([*base, "copy", f"stratus:{bucket}/r", down], extra_env=env, timeout=120)
    assert (down / "r.bin").read_bytes() == data


# --- crashes ---------------------------------------------------------------------------------


def test_kill9_during_complete_leaves_old_or_new(stratus_factory):
    server = stratus_factory()
    s3 = server.boto3_client()
    s3.create_bucket(Bucket="crash")
    current = b"the original object"
    s3.put_object(Bucket="crash", Key="k", Body=current)
    rng = random.Random(7)
    for round_ in range(4):
        parts = [os.urandom(PART), os.urandom(1000 + round_)]
        upload_id = start_upload(s3, "crash", "k")
        listed = [upload(s3, "crash", "k", upload_id, n, p) for n, p in enumerate(parts, 1)]

        def finish():
            try:
                complete(server.boto3_client(), "crash", "k", upload_id, listed)
            except Exception:  # the server dies under it
                pass

        thread = threading.Thread(target=finish)
        thread.start()
        time.sleep(rng.uniform(0, 0.03))
        server.kill9()
        thread.join()
        server.start()
        s3 = server.boto3_client()
        got = s3.get_object(Bucket="crash", Key="k")["Body"].read()
        assert got in (current, b"".join(parts)), len(got)
        if got != current:
            current = got
        else:
            # Not completed: the upload is still there, whole, or it completes now.
            try:
                complete(s3, "crash", "k", upload_id, listed)
                current = b"".join(parts)
            except ClientError as exc:
                assert exc.response["Error"]["Code"] == "NoSuchUpload"
        assert s3.get_object(Bucket="crash", Key="k")["Body"].read() == current
    # Everything unreferenced is gone after a restart's sweep; the object's parts remain.
    s3.delete_object(Bucket="crash", Key="k")
    for u in s3.list_multipart_uploads(Bucket="crash").get("Uploads", []):
        s3.abort_multipart_upload(Bucket="crash", Key=u["Key"], UploadId=u["UploadId"])
    server.restart()
    assert data_files(server) == set()


def test_multipart_checksum_type_and_part_count_suffix(s3, bucket):
    """COMPOSITE checksums end in -N (N parts) and report COMPOSITE; FULL_OBJECT ones do not."""
    part = b"p" * (5 * 1024 * 1024)
    for algorithm, kind in (("CRC32", "COMPOSITE"), ("CRC64NVME", "FULL_OBJECT")):
        extra = {"ChecksumType": kind} if kind == "FULL_OBJECT" else {}
        try:
            up = s3.create_multipart_upload(Bucket=bucket, Key=algorithm,
                                            ChecksumAlgorithm=algorithm, **extra)
        except botocore.exceptions.ParamValidationError:
            # Debian's botocore 1.26 knows neither CRC64NVME nor ChecksumType.
            assert algorithm == "CRC64NVME"
            continue
        parts = []
        for number in (1, 2):
            done = s3.upload_part(Bucket=bucket, Key=algorithm, UploadId=up["UploadId"],
                                  PartNumber=number, Body=part, ChecksumAlgorithm=algorithm)
            parts.append({"PartNumber": number, "ETag": done["ETag"],
                          f"Checksum{algorithm}": done[f"Checksum{algorithm}"]})
        s3.complete_multipart_upload(Bucket=bucket, Key=algorithm, UploadId=up["UploadId"],
                                     MultipartUpload={"Parts": parts})
        head = s3.head_object(Bucket=bucket, Key=algorithm, ChecksumMode="ENABLED")
        headers = head["ResponseMetadata"]["HTTPHeaders"]
        value = headers[f"x-amz-checksum-{algorithm.lower()}"]
        assert headers["x-amz-checksum-type"] == kind, headers
        assert value.endswith("-2") == (kind == "COMPOSITE"), headers
        others = [h for h in headers if h.startswith("x-amz-checksum-")
                  and h not in ("x-amz-checksum-type", f"x-amz-checksum-{algorithm.lower()}")]
        assert others == [], headers


def test_a_part_uploaded_concurrently_is_the_one_that_finished_last(stratus, s3, bucket):
    before = data_files(stratus)
    upload_id = start_upload(s3, bucket, "raced")
    bodies = [os.urandom(300 * 1024) for _ in range(6)]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        etags = list(pool.map(lambda body: upload(s3, bucket, "raced", upload_id, 1, body)["ETag"],
                              bodies))
    listed = s3.list_parts(Bucket=bucket, Key="raced", UploadId=upload_id)["Parts"]
    assert len(listed) == 1 and listed[0]["ETag"] in etags, listed
    winner = listed[0]["ETag"]
    # Only the part that stands keeps a file: every replaced one went.
    assert len(data_files(stratus) - before) == 1
    for loser in set(etags) - {winner}:
        with pytest.raises(ClientError) as exc:
            complete(s3, bucket, "raced", upload_id, [{"PartNumber": 1, "ETag": loser}])
        assert error_code(exc) == "InvalidPart"
    complete(s3, bucket, "raced", upload_id, [{"PartNumber": 1, "ETag": winner}])
    body = s3.get_object(Bucket=bucket, Key="raced")["Body"].read()
    assert f'"{hashlib.md5(body).hexdigest()}"' == winner and body in bodies


def test_a_retried_complete_gets_the_first_answer(stratus_factory):
    """SDKs retry a CompleteMultipartUpload whose answer they lost; S3 answers 200 again."""
    server = stratus_factory()
    s3, raw = server.boto3_client(), server.raw()
    s3.create_bucket(Bucket="retried")
    upload_id = start_upload(s3, "retried", "k")
    parts = [upload(s3, "retried", "k", upload_id, n, os.urandom(PART if n == 1 else 1000))
             for n in (1, 2)]
    query = [("uploadId", upload_id)]
    first = raw.request("POST", "retried", "k", query=query, body=complete_xml(parts))
    assert first.status == 200, first
    # Overwritten since: the completion did happen, and the retry asks only that.
    s3.put_object(Bucket="retried", Key="k", Body=b"newer")
    again = raw.request("POST", "retried", "k", query=query, body=complete_xml(parts))
    assert again.status == 200, again
    assert again.body == first.body
    # Another part list is no retry of this completion.
    other = raw.request("POST", "retried", "k", query=query, body=complete_xml(parts[:1]))
    assert other.status == 404 and other.error_code() == "NoSuchUpload", other
    # The memory is durable, and boto3's own retry path gets the same ETag.
    server.restart()
    s3 = server.boto3_client()
    assert complete(s3, "retried", "k", upload_id, parts)["ETag"] == xml_text(first.body, "ETag")
    assert s3.get_object(Bucket="retried", Key="k")["Body"].read() == b"newer"  # nothing written


@pytest.mark.parametrize("window", ["0", "1"])
def test_a_complete_retried_after_the_window_is_no_such_upload(stratus_factory, window):
    server = stratus_factory(extra_args=["--complete-retry-window", window])
    s3, raw = server.boto3_client(), server.raw()
    s3.create_bucket(Bucket="window")
    upload_id = start_upload(s3, "window", "k")
    parts = [upload(s3, "window", "k", upload_id, 1, b"only part")]
    query = [("uploadId", upload_id)]
    assert raw.request("POST", "window", "k", query=query, body=complete_xml(parts)).status == 200
    deadline = time.monotonic() + 30
    while True:  # the sweep runs every second once the window is one second
        retry = raw.request("POST", "window", "k", query=query, body=complete_xml(parts))
        if retry.status == 404 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert retry.status == 404 and retry.error_code() == "NoSuchUpload", retry
