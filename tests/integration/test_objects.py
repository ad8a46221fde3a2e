"""Object semantics on the wire: ranges, conditional requests, stored headers and metadata,
response-* overrides, Content-MD5 and x-amz-checksum-*. Requests are signed by s3wire (our own
SigV4) so every header sent is exactly the one the test names."""

from __future__ import annotations

import email.utils
import hashlib
import os
import threading
import time

import pytest

import s3wire

KIB = 1024


def put(raw, bucket, key, data, headers=None):
    response = raw.request("PUT", bucket, key, headers=headers, body=data)
    assert response.status == 200, response
    return response


def http_date(ts: float) -> str:
    return email.utils.formatdate(ts, usegmt=True)


def assert_error(response, status, code):
    assert response.status == status, response
    if response.body:
        assert response.error_code() == code, response


# --- ranges ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1000, 300 * KIB])
def test_range_get(raw, bucket, size):
    data = os.urandom(size)
    put(raw, bucket, "ranged", data)
    cases = [
        ("bytes=0-9", 0, 9),
        ("bytes=5-5", 5, 5),
        (f"bytes={size - 10}-", size - 10, size - 1),
        ("bytes=-50", size - 50, size - 1),
        (f"bytes=3-{size + 5000}", 3, size - 1),  # end beyond the object: clamped
        (f"bytes=-{size + 10}", 0, size - 1),  # suffix longer than the object: all of it
        (f"bytes={size // 2}-{size // 2 + 99}", size // 2, size // 2 + 99),
    ]
    for header, first, last in cases:
        r = raw.request("GET", bucket, "ranged", headers={"Range": header})
        assert r.status == 206, (header, r)
        assert r.header("content-range") == f"bytes {first}-{last}/{size}", (header, r.headers)
        assert int(r.header("content-length")) == last - first + 1, (header, r.headers)
        assert r.body == data[first : last + 1], header
        assert r.header("accept-ranges") == "bytes", r.headers

    head = raw.request("HEAD", bucket, "ranged", headers={"Range": "bytes=0-99"})
    assert head.status == 206 and head.header("content-length") == "100", head
    assert head.header("content-range") == f"bytes 0-99/{size}", head

    for header in (f"bytes={size}-", f"bytes={size + 100}-{size + 200}"):
        r = raw.request("GET", bucket, "ranged", headers={"Range": header})
        assert_error(r, 416, "InvalidRange")

    # A Range header that does not parse is ignored: the whole object, 200.
    r = raw.request("GET", bucket, "ranged", headers={"Range": "bytes=abc"})
    assert r.status == 200 and r.body == data, r.status


def test_range_on_empty_object_is_416(raw, bucket):
    put(raw, bucket, "empty", b"")
    r = raw.request("GET", bucket, "empty", headers={"Range": "bytes=0-0"})
    assert_error(r, 416, "InvalidRange")
    r = raw.request("GET", bucket, "empty")
    assert r.status == 200 and r.body == b"" and r.header("content-length") == "0", r


def test_range_with_boto3(s3, bucket):
    data = os.urandom(200 * KIB)
    s3.put_object(Bucket=bucket, Key="k", Body=data)
    got = s3.get_object(Bucket=bucket, Key="k", Range="bytes=131000-131099")
    assert got["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert got["ContentRange"] == f"bytes 131000-131099/{len(data)}"
    assert got["Body"].read() == data[131000:131100]


# --- conditional requests -------------------------------------------------------------------


def test_conditional_get_and_head(raw, bucket):
    data = os.urandom(5000)
    put(raw, bucket, "cond", data)
    head = raw.request("HEAD", bucket, "cond")
    etag = head.header("etag")
    assert etag == '"%s"' % hashlib.md5(data).hexdigest(), head
    last_modified = email.utils.parsedate_to_datetime(head.header("last-modified")).timestamp()
    past = http_date(last_modified - 86400)
    future = http_date(time.time() + 86400)
    exact = head.header("last-modified")

    cases = [
        ({"If-Match": etag}, 200),
        ({"If-Match": '"0123456789abcdef0123456789abcdef"'}, 412),
        ({"If-None-Match": etag}, 304),
        ({"If-None-Match": '"0123456789abcdef0123456789abcdef"'}, 200),
        ({"If-Modified-Since": past}, 200),
        ({"If-Modified-Since": future}, 304),
        ({"If-Modified-Since": exact}, 304),
        ({"If-Unmodified-Since": past}, 412),
        ({"If-Unmodified-Since": future}, 200),
        ({"If-Unmodified-Since": exact}, 200),
        # S3: If-Match true and If-Unmodified-Since false -> 200.
        ({"If-Match": etag, "If-Unmodified-Since": past}, 200),
        # S3: If-None-Match false and If-Modified-Since true -> 304.
        ({"If-None-Match": etag, "If-Modified-Since": past}, 304),
        ({"If-Match": '"0123456789abcdef0123456789abcdef"', "If-None-Match": etag}, 412),
    ]
    for method in ("GET", "HEAD"):
        for headers, status in cases:
            r = raw.request(method, bucket, "cond", headers=headers)
            assert r.status == status, (method, headers, r)
            if status == 200:
                assert method == "HEAD" or r.body == data, (method, headers)
            elif status == 304:
                assert r.body == b"", (method, headers, r)
                assert r.header("etag") == etag, (method, headers, r.headers)
            elif status == 412 and method == "GET":
                assert r.error_code() == "PreconditionFailed", (headers, r)


def test_conditional_put_if_none_match(raw, bucket):
    first = os.urandom(100)
    r = raw.request("PUT", bucket, "once", body=first, headers={"If-None-Match": "*"})
    assert r.status == 200, r
    r = raw.request("PUT", bucket, "once", body=b"second", headers={"If-None-Match": "*"})
    assert_error(r, 412, "PreconditionFailed")
    assert raw.request("GET", bucket, "once").body == first


def test_concurrent_conditional_small_puts_have_one_winner(stratus, bucket):
    """Small PUTs are verified on an io thread and committed in groups (docs/decisions/0001):
    the condition is checked by the committer, atomically with the write, whatever shares the
    group. Each round, 12 connections race to create one key; then to replace it, all naming
    the winner's ETag."""
    contenders = 12
    connections = [stratus.raw() for _ in range(contenders)]
    for round_ in range(4):
        key = f"race-{round_}"
        winner_etag = None
        for condition in ("If-None-Match", "If-Match"):
            value = "*" if condition == "If-None-Match" else winner_etag
            bodies = [os.urandom(64) + bytes([i]) for i in range(contenders)]
            results = [None] * contenders
            start = threading.Barrier(contenders)

            def contend(i):
                start.wait()
                results[i] = connections[i].request("PUT", bucket, key, body=bodies[i],
                                                    headers={condition: value})

            threads = [threading.Thread(target=contend, args=(i,)) for i in range(contenders)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(60)
            winners = [i for i, r in enumerate(results) if r.status == 200]
            assert len(winners) == 1, [(r.status, r.error_code()) for r in results]
            for i, r in enumerate(results):
                if i not in winners:
                    assert_error(r, 412, "PreconditionFailed")
            got = connections[0].request("GET", bucket, key)
            assert got.body == bodies[winners[0]]
            winner_etag = results[winners[0]].header("etag")
            assert winner_etag == '"' + hashlib.md5(bodies[winners[0]]).hexdigest() + '"'


# --- stored headers, metadata, overrides ----------------------------------------------------


CONTENT_HEADERS = {
    "Content-Type": "text/x-stratus; charset=utf-8",
    "Content-Encoding": "gzip",
    "Content-Disposition": 'attachment; filename="report 1.txt"',
    "Content-Language": "de-CH",
    "Cache-Control": "max-age=3600, must-revalidate",
    "Expires": "Wed, 21 Oct 2037 07:28:00 GMT",
}


def test_content_headers_and_metadata_round_trip(raw, bucket, s3):
    data = b"\x1f\x8b not really gzip"
    headers = dict(CONTENT_HEADERS)
    headers.update({
        "x-amz-meta-Colour": "blue",
        "x-amz-meta-with-space": "a value with  spaces",
        "x-amz-meta-empty-ish": "-",
    })
    put(raw, bucket, "meta", data, headers)
    for method in ("GET", "HEAD"):
        r = raw.request(method, bucket, "meta")
        assert r.status == 200, r
        for name, value in CONTENT_HEADERS.items():
            assert r.header(name) == value, (method, name, r.headers)
        assert r.header("x-amz-meta-colour") == "blue", r.headers
        assert r.header("x-amz-meta-with-space") in ("a value with  spaces",
                                                     "a value with spaces"), r.headers
        assert r.header("x-amz-meta-empty-ish") == "-", r.headers
        assert r.header("content-length") == str(len(data)), r.headers
        if method == "GET":
            assert r.body == data  # stored as sent: no decoding by the server

    head = s3.head_object(Bucket=bucket, Key="meta")
    assert head["Metadata"]["colour"] == "blue", head
    assert head["ContentType"] == CONTENT_HEADERS["Content-Type"]
    assert head["ContentLanguage"] == "de-CH"

    # Overwrite without them: none survive.
    put(raw, bucket, "meta", b"plain")
    r = raw.request("HEAD", bucket, "meta")
    assert r.header("x-amz-meta-colour") is None, r.headers
    assert r.header("content-disposition") is None, r.headers


def test_metadata_over_2kib_is_rejected(raw, bucket):
    ok = {"x-amz-meta-a": "v" * 1000, "x-amz-meta-b": "w" * 900}
    put(raw, bucket, "meta-ok", b"x", ok)
    r = raw.request("HEAD", bucket, "meta-ok")
    assert r.header("x-amz-meta-a") == "v" * 1000 and r.header("x-amz-meta-b") == "w" * 900
    too_big = {"x-amz-meta-a": "v" * 1100, "x-amz-meta-b": "w" * 1100}
    r = raw.request("PUT", bucket, "meta-big", body=b"x", headers=too_big)
    assert_error(r, 400, "MetadataTooLarge")
    assert raw.request("HEAD", bucket, "meta-big").status == 404


def test_response_overrides(raw, bucket, s3):
    put(raw, bucket, "over", b"data", {"Content-Type": "text/plain"})
    overrides = {
        "response-content-type": "application/x-override",
        "response-content-language": "fr",
        "response-expires": "Thu, 01 Dec 2033 16:00:00 GMT",
        "response-cache-control": "no-cache",
        "response-content-disposition": 'attachment; filename="x.bin"',
        "response-content-encoding": "identity",
    }
    r = raw.request("GET", bucket, "over", query=list(overrides.items()))
    assert r.status == 200 and r.body == b"data", r
    for param, value in overrides.items():
        assert r.header(param[len("response-"):]) == value, (param, r.headers)

    got = s3.get_object(Bucket=bucket, Key="over", ResponseContentType="image/png",
                        ResponseContentDisposition="inline")
    assert got["ContentType"] == "image/png" and got["ContentDisposition"] == "inline"
    assert got["Body"].read() == b"data"
    # Stored headers are unchanged.
    assert raw.request("HEAD", bucket, "over").header("content-type") == "text/plain"


# --- Content-MD5 ----------------------------------------------------------------------------


def test_content_md5(raw, bucket):
    data = os.urandom(4000)
    r = raw.request("PUT", bucket, "md5-ok", body=data,
                    headers={"Content-MD5": s3wire.md5_b64(data)})
    assert r.status == 200, r

    r = raw.request("PUT", bucket, "md5-wrong", body=data,
                    headers={"Content-MD5": s3wire.md5_b64(data + b"!")})
    assert_error(r, 400, "BadDigest")
    for malformed in ("not base64 at all!", "AAAA"):
        r = raw.request("PUT", bucket, "md5-malformed", body=data,
                        headers={"Content-MD5": malformed})
        assert_error(r, 400, "InvalidDigest")
    for key in ("md5-wrong", "md5-malformed"):
        assert raw.request("HEAD", bucket, key).status == 404, key
    assert raw.request("GET", bucket, "md5-ok").body == data


# --- flexible checksums ---------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", s3wire.ALGORITHMS)
def test_checksum_header(raw, bucket, algorithm):
    data = os.urandom(150 * KIB)
    name = f"x-amz-checksum-{algorithm}"
    value = s3wire.checksum_b64(algorithm, data)
    r = raw.request("PUT", bucket, "ck", body=data, headers={name: value})
    assert r.status == 200, r
    assert r.header(name) == value, r.headers

    for method in ("GET", "HEAD"):
        r = raw.request(method, bucket, "ck", headers={"x-amz-checksum-mode": "ENABLED"})
        assert r.status == 200 and r.header(name) == value, (method, r.headers)
    # Without checksum mode the checksum is not returned.
    r = raw.request("HEAD", bucket, "ck")
    assert r.header(name) is None, r.headers

    wrong = s3wire.checksum_b64(algorithm, data[:-1])
    r = raw.request("PUT", bucket, "ck-wrong", body=data, headers={name: wrong})
    assert_error(r, 400, "BadDigest")
    assert raw.request("HEAD", bucket, "ck-wrong").status == 404


@pytest.mark.parametrize("algorithm", s3wire.ALGORITHMS)
def test_checksum_unsigned_trailer(raw, bucket, algorithm):
    data = os.urandom(200 * KIB + 7)
    name = f"x-amz-checksum-{algorithm}"
    r = raw.put_unsigned_trailer(bucket, "trailer", data, algorithm, chunk_size=64 * KIB)
    assert r.status == 200, r
    r = raw.request("GET", bucket, "trailer", headers={"x-amz-checksum-mode": "ENABLED"})
    assert r.status == 200 and r.body == data, r.status
    assert r.header(name) == s3wire.checksum_b64(algorithm, data), r.headers
    assert r.header("etag") == '"%s"' % hashlib.md5(data).hexdigest()

    wrong = s3wire.checksum_b64(algorithm, b"other")
    r = raw.put_unsigned_trailer(bucket, "trailer-wrong", data, algorithm, value=wrong)
    assert_error(r, 400, "BadDigest")
    assert raw.request("HEAD", bucket, "trailer-wrong").status == 404


@pytest.mark.parametrize("size", [0, 1, 128 * KIB - 1, 128 * KIB, 128 * KIB + 1])
def test_crc64nvme_always_present(raw, bucket, size):
    data = os.urandom(size)
    put(raw, bucket, "plain", data)
    r = raw.request("HEAD", bucket, "plain", headers={"x-amz-checksum-mode": "ENABLED"})
    assert r.status == 200, r
    assert r.header("x-amz-checksum-crc64nvme") == s3wire.checksum_b64("crc64nvme", data), \
        r.headers


def test_checksum_with_boto3_in_process(s3, bucket):
    """The interpreter running pytest (Debian boto3) computes CRC32/CRC32C/SHA itself."""
    data = os.urandom(10 * KIB)
    for algorithm in ("CRC32", "SHA256"):
        s3.put_object(Bucket=bucket, Key=algorithm, Body=data, ChecksumAlgorithm=algorithm)
        got = s3.get_object(Bucket=bucket, Key=algorithm, ChecksumMode="ENABLED")
        assert got["Checksum" + algorithm] == s3wire.checksum_b64(algorithm, data)
        assert got["Body"].read() == data


def test_content_encoding_is_stored_exactly_as_sent(s3, bucket):
    # S3 keeps the list as sent; only an aws-chunked token would be removed.
    s3.put_object(Bucket=bucket, Key="enc", Body=b"x", ContentEncoding="deflate, gzip")
    assert s3.head_object(Bucket=bucket, Key="enc")["ContentEncoding"] == "deflate, gzip"
