"""Authentication and bad input: each refused request answers the right S3 error and stores
nothing. Requests are built by hand (s3wire's SigV4, raw sockets) so the fault is exact."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
import urllib.error
import urllib.request

import pytest

import s3wire

KIB = 1024


def assert_error(response, status, code):
    assert response.status == status, response
    assert response.error_code() == code, response


def assert_absent(raw, bucket, key):
    r = raw.request("HEAD", bucket, key)
    assert r.status == 404, (key, r)


# --- identities -----------------------------------------------------------------------------


def test_anonymous_requests_are_denied(raw, bucket):
    raw.request("PUT", bucket, "secret", body=b"s")
    r = raw.request("GET", bucket, "secret", sign=False)
    assert_error(r, 403, "AccessDenied")
    r = raw.request("PUT", bucket, "anon-put", body=b"x", sign=False)
    assert_error(r, 403, "AccessDenied")
    assert_absent(raw, bucket, "anon-put")
    r = raw.request("GET", sign=False)  # ListBuckets
    assert_error(r, 403, "AccessDenied")
    r = raw.request("GET", bucket, sign=False, query=[("list-type", "2")])
    assert_error(r, 403, "AccessDenied")
    r = raw.request("DELETE", bucket, "secret", sign=False)
    assert_error(r, 403, "AccessDenied")
    assert raw.request("GET", bucket, "secret").body == b"s"


def test_wrong_secret(raw, bucket, stratus):
    bad = s3wire.Creds(stratus.access_key, stratus.secret_key + "x", stratus.region)
    r = raw.request("PUT", bucket, "wrong-secret", body=b"x", creds=bad)
    assert_error(r, 403, "SignatureDoesNotMatch")
    assert_absent(raw, bucket, "wrong-secret")
    r = raw.request("GET", creds=bad)
    assert_error(r, 403, "SignatureDoesNotMatch")


def test_unknown_access_key(raw, bucket, stratus):
    unknown = s3wire.Creds("AKIANOSUCHKEY0000000", stratus.secret_key, stratus.region)
    r = raw.request("PUT", bucket, "unknown-key", body=b"x", creds=unknown)
    assert_error(r, 403, "InvalidAccessKeyId")
    assert_absent(raw, bucket, "unknown-key")


@pytest.mark.parametrize("skew_minutes", [-20, 20])
def test_skewed_clock(raw, bucket, skew_minutes):
    when = s3wire.amz_date(dt.datetime.now(dt.timezone.utc)
                           + dt.timedelta(minutes=skew_minutes))
    r = raw.request("PUT", bucket, "skewed", body=b"x", when=when)
    assert_error(r, 403, "RequestTimeTooSkewed")
    assert_absent(raw, bucket, "skewed")
    # Within the 15-minute window it is accepted.
    when = s3wire.amz_date(dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=5))
    r = raw.request("PUT", bucket, "skewed", body=b"x", when=when)
    assert r.status == 200, r


def test_skewed_clock_with_botocore(stratus, bucket, monkeypatch):
    """botocore signing with its clock 30 minutes behind."""
    import botocore.auth
    from botocore.exceptions import ClientError

    real = botocore.auth.datetime.datetime

    class Skewed(real):
        @classmethod
        def utcnow(cls):
            return real.utcnow() - dt.timedelta(minutes=30)

        @classmethod
        def now(cls, tz=None):
            return real.now(tz) - dt.timedelta(minutes=30)

    monkeypatch.setattr(botocore.auth.datetime, "datetime", Skewed)
    s3 = stratus.boto3_client()
    with pytest.raises(ClientError) as info:
        s3.put_object(Bucket=bucket, Key="boto-skewed", Body=b"x")
    assert info.value.response["Error"]["Code"] == "RequestTimeTooSkewed", info.value.response
    monkeypatch.undo()
    assert_absent(stratus.raw(), bucket, "boto-skewed")


def test_payload_hash_mismatch(raw, bucket):
    data = b"the body that is sent"
    r = raw.request("PUT", bucket, "sha-mismatch", body=data,
                    payload_hash=hashlib.sha256(b"another body").hexdigest())
    assert_error(r, 400, "XAmzContentSHA256Mismatch")
    assert_absent(raw, bucket, "sha-mismatch")


def test_unsigned_payload_is_accepted(raw, bucket):
    r = raw.request("PUT", bucket, "unsigned", body=b"abc", payload_hash=s3wire.UNSIGNED_PAYLOAD)
    assert r.status == 200, r
    assert raw.request("GET", bucket, "unsigned").body == b"abc"


def test_expired_presigned_url(stratus, bucket, raw):
    raw.request("PUT", bucket, "exp", body=b"e")
    s3 = stratus.boto3_client(signature_version="s3v4")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "exp"},
                                    ExpiresIn=1)
    ok = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "exp"},
                                   ExpiresIn=300)
    with urllib.request.urlopen(ok, timeout=10) as resp:
        assert resp.status == 200 and resp.read() == b"e"
    time.sleep(2.5)
    try:
        urllib.request.urlopen(url, timeout=10)
        raise AssertionError("expired URL accepted")
    except urllib.error.HTTPError as exc:
        assert exc.code == 403
        assert s3wire.error_fields(exc.read()).get("Code") == "AccessDenied"


# --- aws-chunked uploads ----------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 64 * KIB, 128 * KIB + 1, 1000 * KIB])
def test_streaming_signed_upload(raw, bucket, size):
    data = os.urandom(size)
    r = raw.put_streaming_signed(bucket, "chunked", data, chunk_size=64 * KIB,
                                 extra_headers={"Content-Type": "text/plain"})
    assert r.status == 200, r
    assert r.header("etag") == '"%s"' % hashlib.md5(data).hexdigest(), r.headers
    got = raw.request("GET", bucket, "chunked")
    assert got.status == 200 and got.body == data, got.status
    # aws-chunked is a transfer detail: not stored as the object's Content-Encoding.
    assert "aws-chunked" not in (got.header("content-encoding") or ""), got.headers
    assert got.header("content-type") == "text/plain"


def test_streaming_upload_keeps_other_content_encodings(raw, bucket):
    """S3 strips aws-chunked from Content-Encoding and keeps the rest."""
    data = os.urandom(1000)
    r = raw.put_streaming_signed(bucket, "gz", data,
                                 extra_headers={"Content-Encoding": "aws-chunked,gzip"})
    assert r.status == 200, r
    got = raw.request("GET", bucket, "gz")
    assert got.status == 200 and got.body == data, got.status
    assert got.header("content-encoding") == "gzip", got.headers


@pytest.mark.parametrize("tamper", ["first", "middle", "final"])
def test_streaming_tampered_chunk_signature(raw, bucket, tamper):
    data = os.urandom(3 * 64 * KIB + 100)  # four data chunks, then the final empty one
    index = {"first": 0, "middle": 2, "final": 4}[tamper]
    r = raw.put_streaming_signed(bucket, f"tampered-{tamper}", data, chunk_size=64 * KIB,
                                 tamper_chunk=index)
    assert_error(r, 403, "SignatureDoesNotMatch")
    assert_absent(raw, bucket, f"tampered-{tamper}")


def test_streaming_tampered_chunk_data(raw, bucket, stratus):
    """Right signatures, one data byte changed in flight."""
    data = os.urandom(100 * KIB)
    path = s3wire.object_path(bucket, "tampered-data")
    when = s3wire.amz_date()
    headers = {"Host": f"{stratus.host}:{stratus.port}", "Content-Encoding": "aws-chunked",
               "x-amz-decoded-content-length": str(len(data))}
    probe = s3wire.signed_chunked_body(stratus.creds, when, "0" * 64, data)
    headers["Content-Length"] = str(len(probe))
    headers, seed = s3wire.sign_v4(stratus.creds, "PUT", path, [], headers,
                                   s3wire.STREAMING_SIGNED, when)
    body = bytearray(s3wire.signed_chunked_body(stratus.creds, when, seed, data))
    body[200] ^= 0x01  # inside the first chunk's data
    r = raw.send("PUT", path, headers, bytes(body))
    assert_error(r, 403, "SignatureDoesNotMatch")
    assert_absent(raw, bucket, "tampered-data")


@pytest.mark.parametrize("claimed", [900, 1100])
def test_streaming_decoded_length_mismatch(raw, bucket, stratus, claimed):
    """x-amz-decoded-content-length that disagrees with the chunks: refused, nothing stored."""
    data = os.urandom(1000)
    key = f"decoded-{claimed}"
    path = s3wire.object_path(bucket, key)
    when = s3wire.amz_date()
    headers = {"Host": f"{stratus.host}:{stratus.port}", "Content-Encoding": "aws-chunked",
               "x-amz-decoded-content-length": str(claimed)}
    probe = s3wire.signed_chunked_body(stratus.creds, when, "0" * 64, data, 256)
    headers["Content-Length"] = str(len(probe))
    headers, seed = s3wire.sign_v4(stratus.creds, "PUT", path, [], headers,
                                   s3wire.STREAMING_SIGNED, when)
    body = s3wire.signed_chunked_body(stratus.creds, when, seed, data, 256)
    r = raw.send("PUT", path, headers, body)
    assert r.status in (400, 403), r
    assert_absent(raw, bucket, key)


def test_presigned_url_is_bound_to_method_and_key(stratus, bucket, raw, client_env, tmp_path):
    raw.request("PUT", bucket, "bound", body=b"original")
    s3 = stratus.boto3_client(signature_version="s3v4")
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "bound"},
                                        ExpiresIn=300)
    src = tmp_path / "src"
    src.write_bytes(b"overwritten")
    # The GET URL used for a PUT.
    proc = client_env.run(["curl", "-sS", "--max-time", "20", "-o", tmp_path / "out", "-w",
                           "%{http_code}", "-T", src, get_url], timeout=30, check=False)
    assert proc.stdout == b"403", proc
    assert s3wire.error_fields((tmp_path / "out").read_bytes()).get("Code") == \
        "SignatureDoesNotMatch"
    # The GET URL pointed at another key.
    other = get_url.replace("/bound?", "/other?", 1)
    assert other != get_url
    proc = client_env.run(["curl", "-sS", "--max-time", "20", "-o", tmp_path / "out", "-w",
                           "%{http_code}", other], timeout=30, check=False)
    assert proc.stdout == b"403", proc
    assert raw.request("GET", bucket, "bound").body == b"original"


def test_unsigned_trailer_upload(raw, bucket):
    data = os.urandom(300 * KIB)
    r = raw.put_unsigned_trailer(bucket, "ut", data, "crc32")
    assert r.status == 200, r
    assert raw.request("GET", bucket, "ut").body == data


# --- broken connections and oversized requests ------------------------------------------------


def _signed_put_head(stratus, bucket, key, length, payload_hash=s3wire.UNSIGNED_PAYLOAD):
    path = s3wire.object_path(bucket, key)
    headers = {"Host": f"{stratus.host}:{stratus.port}", "Content-Length": str(length)}
    headers, _ = s3wire.sign_v4(stratus.creds, "PUT", path, [], headers, payload_hash)
    lines = [f"PUT {path} HTTP/1.1"] + [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


@pytest.mark.parametrize("payload_hash", ["unsigned", "signed"])
def test_truncated_body_stores_nothing(stratus, bucket, raw, payload_hash):
    key = f"truncated-{payload_hash}"
    full = os.urandom(1000)
    sent_hash = (s3wire.UNSIGNED_PAYLOAD if payload_hash == "unsigned"
                 else hashlib.sha256(full).hexdigest())
    head = _signed_put_head(stratus, bucket, key, 1000, sent_hash)
    reply = s3wire.raw_exchange(stratus.host, stratus.port, head + full[:10], timeout=10)
    # The server may answer 400 (IncompleteBody) or just close; never 200.
    assert s3wire.parse_status(reply) in (None, 400), reply[:300]
    time.sleep(0.2)
    assert_absent(raw, bucket, key)
    # The server is still healthy.
    assert raw.request("PUT", bucket, key, body=full).status == 200
    assert raw.request("GET", bucket, key).body == full


def test_truncated_large_body_stores_nothing(stratus, bucket, raw):
    """A body above the inline threshold cut short: no data file becomes an object."""
    key = "truncated-large"
    head = _signed_put_head(stratus, bucket, key, 1024 * KIB)
    reply = s3wire.raw_exchange(stratus.host, stratus.port, head + os.urandom(300 * KIB),
                                timeout=10)
    assert s3wire.parse_status(reply) in (None, 400), reply[:300]
    time.sleep(0.2)
    assert_absent(raw, bucket, key)


def test_oversized_header_section(stratus, raw, bucket):
    raw.request("PUT", bucket, "h", body=b"h")
    # 8 KiB of headers is fine...
    r = raw.request("GET", bucket, "h", headers={"x-padding": "p" * 8 * KIB})
    assert r.status == 200 and r.body == b"h", r
    # ...more than 16 KiB is not.
    path = s3wire.object_path(bucket, "h")
    request = (f"GET {path} HTTP/1.1\r\nHost: {stratus.host}:{stratus.port}\r\n"
               + "".join(f"x-padding-{i}: {'p' * 1000}\r\n" for i in range(20))
               + "\r\n").encode()
    reply = s3wire.raw_exchange(stratus.host, stratus.port, request, timeout=10)
    assert s3wire.parse_status(reply) == 400, reply[:500]
    assert b"RequestHeaderSectionTooLarge" in reply, reply[:1000]
    # And a PUT with such headers stores nothing.
    request = (f"PUT {s3wire.object_path(bucket, 'big-headers')} HTTP/1.1\r\n"
               f"Host: {stratus.host}:{stratus.port}\r\nContent-Length: 1\r\n"
               + "".join(f"x-padding-{i}: {'p' * 1000}\r\n" for i in range(20))
               + "\r\nx").encode()
    reply = s3wire.raw_exchange(stratus.host, stratus.port, request, timeout=10)
    assert s3wire.parse_status(reply) == 400, reply[:500]
    assert_absent(raw, bucket, "big-headers")


@pytest.mark.parametrize("framing", [
    b"Transfer-Encoding: chunked, identity\r\nContent-Length: 5\r\n",
    b"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n",
    b"Transfer-Encoding: identity\r\n",
])
def test_ambiguous_transfer_encoding_is_400_and_closes(stratus, bucket, framing):
    """RFC 9112 6.1/6.3: the body's end is unknown, so the connection cannot be reused."""
    import socket
    request = (f"PUT /{bucket}/smuggled HTTP/1.1\r\nHost: {stratus.host}:{stratus.port}\r\n"
               .encode() + framing + b"\r\n0\r\n\r\n")
    follow = f"GET /{bucket} HTTP/1.1\r\nHost: {stratus.host}\r\n\r\n".encode()
    with socket.create_connection((stratus.host, stratus.port), timeout=10) as sock:
        sock.sendall(request + follow)
        reply, closed = b"", False
        for _ in range(100):
            try:
                data = sock.recv(65536)
            except socket.timeout:
                break
            if not data:
                closed = True
                break
            reply += data
    assert s3wire.parse_status(reply) == 400, reply
    assert reply.count(b"HTTP/1.1") == 1, reply  # the pipelined GET was never read
    assert closed, reply
    assert stratus.raw().request("HEAD", bucket, "smuggled").status == 404


def fetch(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as reply:
            return reply.status, {}
    except urllib.error.HTTPError as exc:
        return exc.code, s3wire.error_fields(exc.read())


def test_presigned_expiry_answers_as_s3(stratus, bucket, raw):
    assert raw.request("PUT", bucket, "p", body=b"x").status == 200
    v4 = stratus.boto3_client(signature_version="s3v4")
    v2 = stratus.boto3_client(signature_version="s3")
    params = {"Bucket": bucket, "Key": "p"}
    # Beyond a week: S3's AuthorizationQueryParametersError, in its own words.
    status, error = fetch(v4.generate_presigned_url("get_object", Params=params,
                                                    ExpiresIn=604801))
    assert status == 400 and error["Code"] == "AuthorizationQueryParametersError", error
    assert "must be less than 604800 seconds" in error["Message"], error
    # Already past: AccessDenied "Request has expired", for SigV4 and SigV2 alike.
    short = v4.generate_presigned_url("get_object", Params=params, ExpiresIn=1)
    expired_v2 = v2.generate_presigned_url("get_object", Params=params, ExpiresIn=-60)
    time.sleep(2.5)  # let the one-second URL lapse; nothing is timed
    for url in (short, expired_v2):
        status, error = fetch(url)
        assert status == 403 and error["Code"] == "AccessDenied", (url, error)
        assert error["Message"] == "Request has expired", error
    assert fetch(v4.generate_presigned_url("get_object", Params=params, ExpiresIn=600))[0] == 200


def expect_exchange(stratus, path: str, sign: bool, body: bytes) -> bytes:
    """Sends a PUT's head with Expect: 100-continue; its body only once invited."""
    import socket
    headers = {"Host": f"{stratus.host}:{stratus.port}", "Content-Length": str(len(body)),
               "Expect": "100-continue"}
    if sign:
        headers, _ = s3wire.sign_v4(stratus.creds, "PUT", path, [], headers, "UNSIGNED-PAYLOAD")
    head = f"PUT {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    reply = b""
    with socket.create_connection((stratus.host, stratus.port), timeout=10) as sock:
        sock.sendall(head.encode() + b"\r\n")
        for _ in range(100):
            data = sock.recv(65536)
            if not data:
                break
            reply += data
            if reply == b"HTTP/1.1 100 Continue\r\n\r\n":
                sock.sendall(body)
            elif b"\r\n\r\n" in reply.split(b"100 Continue\r\n\r\n")[-1]:
                break
    return reply


@pytest.mark.parametrize("size", [10, 300 * 1024])
def test_expect_continue_is_not_sent_to_a_refused_request(stratus, bucket, size):
    body = os.urandom(size)
    anonymous = expect_exchange(stratus, f"/{bucket}/e", False, body)
    assert s3wire.parse_status(anonymous) == 403, anonymous[:200]
    missing = expect_exchange(stratus, f"/{bucket}-missing/e", True, body)
    assert s3wire.parse_status(missing) == 404, missing[:200]
    allowed = expect_exchange(stratus, f"/{bucket}/e", True, body)
    assert allowed.startswith(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200"), allowed[:200]
    assert stratus.raw().request("GET", bucket, "e").body == body
