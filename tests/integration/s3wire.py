"""Wire-level S3 helpers for the integration suite: a small SigV4 signer, raw HTTP requests,
aws-chunked bodies and the checksums S3 knows, written from AWS's published specs so the
tests do not depend on any SDK's idea of them.

Only the standard library is used, so this module also runs under any interpreter.
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import hmac
import http.client
import socket
import urllib.parse
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"


# ---------------------------------------------------------------------------------------------
# Checksums (reflected CRCs, table driven; fine for the small bodies the tests compute them on)


def _crc_table(poly: int, width: int) -> list[int]:
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ poly if crc & 1 else crc >> 1
        table.append(crc & ((1 << width) - 1))
    return table


_CRC32C_TABLE = _crc_table(0x82F63B78, 32)
_CRC64NVME_TABLE = _crc_table(0x9A6C9329AC4BC9B5, 64)


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    table = _CRC32C_TABLE
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def crc64nvme(data: bytes) -> int:
    crc = 0xFFFFFFFFFFFFFFFF
    table = _CRC64NVME_TABLE
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFFFFFFFFFF


assert crc32c(b"123456789") == 0xE3069283
assert crc64nvme(b"123456789") == 0xAE8B14860A799888


def checksum_b64(algorithm: str, data: bytes) -> str:
    """The base64 value S3 uses in x-amz-checksum-<algorithm> (algorithm in lower case)."""
    algorithm = algorithm.lower()
    if algorithm == "crc32":
        raw = (zlib.crc32(data) & 0xFFFFFFFF).to_bytes(4, "big")
    elif algorithm == "crc32c":
        raw = crc32c(data).to_bytes(4, "big")
    elif algorithm == "crc64nvme":
        raw = crc64nvme(data).to_bytes(8, "big")
    elif algorithm == "sha1":
        raw = hashlib.sha1(data).digest()
    elif algorithm == "sha256":
        raw = hashlib.sha256(data).digest()
    else:
        raise ValueError(algorithm)
    return base64.b64encode(raw).decode()


ALGORITHMS = ("crc32", "crc32c", "crc64nvme", "sha1", "sha256")


def md5_b64(data: bytes) -> str:
    return base64.b64encode(hashlib.md5(data).digest()).decode()


# ---------------------------------------------------------------------------------------------
# SigV4


def uri_encode(s: str | bytes, encode_slash: bool = True) -> str:
    """AWS's UriEncode: everything but A-Z a-z 0-9 - _ . ~ is %XX (upper hex) of UTF-8."""
    safe = "-_.~" if encode_slash else "-_.~/"
    return urllib.parse.quote(s, safe=safe)


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def signing_key(secret: str, date: str, region: str, service: str = "s3") -> bytes:
    k = _hmac(("AWS4" + secret).encode(), date)
    k = _hmac(k, region)
    k = _hmac(k, service)
    return _hmac(k, "aws4_request")


def amz_date(now: _dt.datetime | None = None) -> str:
    now = now or _dt.datetime.now(_dt.timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ")


def canonical_query(query: list[tuple[str, str]]) -> str:
    pairs = sorted((uri_encode(k), uri_encode(v)) for k, v in query)
    return "&".join(f"{k}={v}" for k, v in pairs)


@dataclass
class Creds:
    access_key: str
    secret_key: str
    region: str = "us-east-1"


def sign_v4(
    creds: Creds,
    method: str,
    path: str,
    query: list[tuple[str, str]],
    headers: dict[str, str],
    payload_hash: str,
    when: str | None = None,
) -> tuple[dict[str, str], str]:
    """Adds x-amz-date, x-amz-content-sha256 and Authorization to a copy of headers.

    path is the already-encoded request path exactly as sent on the wire. Returns the new
    headers and the signature (the seed signature for streaming uploads)."""
    when = when or amz_date()
    date = when[:8]
    out = dict(headers)
    out["x-amz-date"] = when
    out["x-amz-content-sha256"] = payload_hash
    lower = {k.lower().strip(): " ".join(str(v).strip().split()) for k, v in out.items()}
    signed = sorted(lower)
    canonical_headers = "".join(f"{k}:{lower[k]}\n" for k in signed)
    signed_headers = ";".join(signed)
    canonical_request = "\n".join(
        [method, path, canonical_query(query), canonical_headers, signed_headers, payload_hash]
    )
    scope = f"{date}/{creds.region}/s3/aws4_request"
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256",
            when,
            scope,
            hashlib.sha256(canonical_request.encode()).hexdigest(),
        ]
    )
    key = signing_key(creds.secret_key, date, creds.region)
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    out["Authorization"] = (
        f"AWS4-HMAC-SHA256 Credential={creds.access_key}/{scope}, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )
    return out, signature


def chunk_signature(
    creds: Creds, when: str, previous: str, chunk: bytes
) -> str:
    date = when[:8]
    scope = f"{date}/{creds.region}/s3/aws4_request"
    string_to_sign = "\n".join(
        [
            "AWS4-HMAC-SHA256-PAYLOAD",
            when,
            scope,
            previous,
            EMPTY_SHA256,
            hashlib.sha256(chunk).hexdigest(),
        ]
    )
    key = signing_key(creds.secret_key, date, creds.region)
    return hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()


def signed_chunked_body(
    creds: Creds,
    when: str,
    seed_signature: str,
    data: bytes,
    chunk_size: int = 64 * 1024,
    tamper_chunk: int | None = None,
) -> bytes:
    """An aws-chunked body with per-chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD).

    tamper_chunk: index of a chunk whose signature gets one hex digit flipped."""
    chunks = [data[i : i + chunk_size] for i in range(0, len(data), chunk_size)] + [b""]
    previous = seed_signature
    out = bytearray()
    for index, chunk in enumerate(chunks):
        signature = chunk_signature(creds, when, previous, chunk)
        previous = signature
        sent = signature
        if tamper_chunk == index:
            sent = ("0" if signature[0] != "0" else "1") + signature[1:]
        out += f"{len(chunk):x};chunk-signature={sent}\r\n".encode() + chunk + b"\r\n"
    return bytes(out)


def unsigned_trailer_body(
    data: bytes, trailer_name: str, trailer_value: str, chunk_size: int = 64 * 1024
) -> bytes:
    out = bytearray()
    for i in range(0, len(data), chunk_size):
        chunk = data[i : i + chunk_size]
        out += f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    out += f"0\r\n{trailer_name}:{trailer_value}\r\n\r\n".encode()
    return bytes(out)


# ---------------------------------------------------------------------------------------------
# Raw requests


@dataclass
class Response:
    status: int
    headers: dict[str, str]  # lower-case names
    body: bytes
    header_list: list[tuple[str, str]] = field(default_factory=list)

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)

    def error_code(self) -> str | None:
        return error_fields(self.body).get("Code")

    def __repr__(self) -> str:  # shows up in assertion messages
        return f"Response({self.status}, {self.headers!r}, {self.body[:600]!r})"


def error_fields(body: bytes) -> dict[str, str]:
    """Code/Message/Resource/RequestId/... of an S3 <Error> document ({} if not one)."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return {}
    if _local(root.tag) != "Error":
        return {}
    return {_local(child.tag): (child.text or "") for child in root}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def object_path(bucket: str, key: str | None = None) -> str:
    path = "/" + uri_encode(bucket)
    if key is not None:
        path += "/" + uri_encode(key, encode_slash=False)
    return path


class Raw:
    """Signed or anonymous requests with http.client, path-style, one connection each."""

    def __init__(self, host: str, port: int, creds: Creds, timeout: float = 30.0):
        self.host, self.port, self.creds, self.timeout = host, port, creds, timeout

    def request(
        self,
        method: str,
        bucket: str | None = None,
        key: str | None = None,
        query: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        body: bytes = b"",
        sign: bool = True,
        creds: Creds | None = None,
        payload_hash: str | None = None,
        when: str | None = None,
    ) -> Response:
        query = query or []
        path = object_path(bucket, key) if bucket is not None else "/"
        headers = dict(headers or {})
        headers.setdefault("Host", f"{self.host}:{self.port}")
        if sign:
            if payload_hash is None:
                payload_hash = hashlib.sha256(body).hexdigest()
            headers, _ = sign_v4(
                creds or self.creds, method, path, query, headers, payload_hash, when
            )
        target = path
        if query:
            target += "?" + "&".join(
                f"{uri_encode(k)}={uri_encode(v)}" if v != "" else uri_encode(k)
                for k, v in query
            )
        return self.send(method, target, headers, body)

    def send(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Response:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
            has_length = any(k.lower() == "content-length" for k in headers)
            has_te = any(k.lower() == "transfer-encoding" for k in headers)
            for k, v in headers.items():
                conn.putheader(k, v)
            if not has_length and not has_te and (body or method in ("PUT", "POST")):
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders()
            if body:
                conn.send(body)
            resp = conn.getresponse()
            data = resp.read() if method != "HEAD" else b""
            header_list = [(k.lower(), v) for k, v in resp.getheaders()]
            return Response(resp.status, dict(header_list), data, header_list)
        finally:
            conn.close()

    def put_streaming_signed(
        self,
        bucket: str,
        key: str,
        data: bytes,
        chunk_size: int = 64 * 1024,
        tamper_chunk: int | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> Response:
        path = object_path(bucket, key)
        when = amz_date()
        headers = {
            "Host": f"{self.host}:{self.port}",
            "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": str(len(data)),
        }
        headers.update(extra_headers or {})
        # Content-Length is the encoded length; compute it with a dummy signature (same size).
        probe = signed_chunked_body(self.creds, when, "0" * 64, data, chunk_size)
        headers["Content-Length"] = str(len(probe))
        headers, seed = sign_v4(self.creds, "PUT", path, [], headers, STREAMING_SIGNED, when)
        body = signed_chunked_body(self.creds, when, seed, data, chunk_size, tamper_chunk)
        assert len(body) == len(probe)
        return self.send("PUT", path, headers, body)

    def put_unsigned_trailer(
        self,
        bucket: str,
        key: str,
        data: bytes,
        algorithm: str = "crc32",
        value: str | None = None,
        chunk_size: int = 64 * 1024,
    ) -> Response:
        path = object_path(bucket, key)
        name = f"x-amz-checksum-{algorithm}"
        value = value if value is not None else checksum_b64(algorithm, data)
        body = unsigned_trailer_body(data, name, value, chunk_size)
        headers = {
            "Host": f"{self.host}:{self.port}",
            "Content-Encoding": "aws-chunked",
            "x-amz-decoded-content-length": str(len(data)),
            "x-amz-trailer": name,
            "Content-Length": str(len(body)),
        }
        headers, _ = sign_v4(self.creds, "PUT", path, [], headers, STREAMING_UNSIGNED_TRAILER)
        return self.send("PUT", path, headers, body)


def raw_exchange(host: str, port: int, payload: bytes, timeout: float = 10.0,
                 half_close: bool = True) -> bytes:
    """Sends bytes on a fresh socket, optionally shuts down writing, returns what comes back."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        sock.sendall(payload)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        try:
            while True:
                data = sock.recv(65536)
                if not data:
                    break
                chunks.append(data)
        except (socket.timeout, ConnectionResetError):
            pass
        return b"".join(chunks)


def parse_status(raw: bytes) -> int | None:
    """Status code of the first HTTP response in raw bytes (None when there is none)."""
    line = raw.split(b"\r\n", 1)[0]
    parts = line.split()
    if len(parts) >= 2 and parts[0].startswith(b"HTTP/") and parts[1].isdigit():
        return int(parts[1])
    return None
