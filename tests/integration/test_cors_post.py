"""CORS (bucket configuration, preflight, headers on actual responses) and POST Object, the
browser form upload signed by a POST policy, driven by boto3 and curl."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import boto3
import botocore.exceptions
import pytest
from botocore.config import Config

import harness

RULES = {
    "CORSRules": [
        {
            "ID": "site",
            "AllowedOrigins": ["https://*.example.com"],
            "AllowedMethods": ["GET", "PUT"],
            "AllowedHeaders": ["x-amz-*", "Content-Type"],
            "ExposeHeaders": ["ETag", "x-amz-request-id"],
            "MaxAgeSeconds": 600,
        },
        {"ID": "anyone", "AllowedOrigins": ["*"], "AllowedMethods": ["HEAD"]},
    ]
}


def curl(*args: str, timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
    """Runs curl; returns the final status, its headers (lower-case names) and the body."""
    out = subprocess.run(["curl", "-sS", "-D", "-", "-o", "/dev/stderr", *args],
                         capture_output=True, timeout=timeout, check=True)
    blocks = [b for b in out.stdout.decode().split("\r\n\r\n") if b.startswith("HTTP/")]
    lines = blocks[-1].split("\r\n")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, out.stderr


def error_code(body: bytes) -> str | None:
    try:
        return ET.fromstring(body).findtext("Code")
    except ET.ParseError:
        return None


def keys(s3, bucket: str) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_bucket_cors_put_get_delete(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_cors(Bucket=bucket)
    assert e.value.response["Error"]["Code"] == "NoSuchCORSConfiguration"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404

    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=RULES)
    got = s3.get_bucket_cors(Bucket=bucket)["CORSRules"]
    assert got == RULES["CORSRules"]

    s3.delete_bucket_cors(Bucket=bucket)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.get_bucket_cors(Bucket=bucket)
    assert e.value.response["Error"]["Code"] == "NoSuchCORSConfiguration"


@pytest.mark.parametrize("rule,code", [
    ({"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]}, "InvalidRequest"),
    ({"AllowedOrigins": ["*.*"], "AllowedMethods": ["GET"]}, "InvalidRequest"),
    ({"AllowedOrigins": ["*"], "AllowedMethods": ["GET"], "ExposeHeaders": ["*"]},
     "InvalidRequest"),
])
def test_bucket_cors_refused(s3, bucket, rule, code):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [rule]})
    assert e.value.response["Error"]["Code"] == code


def test_bucket_cors_malformed_xml(raw, bucket):
    r = raw.request("PUT", bucket, query=[("cors", "")], body=b"<CORSConfiguration><CORSRule>")
    assert r.status == 400 and r.error_code() == "MalformedXML", r


def test_preflight(stratus, s3, bucket):
    url = f"{stratus.endpoint}/{bucket}/some/key"
    status, headers, body = curl("-X", "OPTIONS", url, "-H", "Origin: https://www.example.com",
                                 "-H", "Access-Control-Request-Method: PUT")
    assert status == 403 and error_code(body) == "AccessForbidden", (headers, body)

    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=RULES)
    status, headers, body = curl(
        "-X", "OPTIONS", url, "-H", "Origin: https://www.example.com",
        "-H", "Access-Control-Request-Method: PUT",
        "-H", "Access-Control-Request-Headers: X-Amz-Date, content-type")
    assert status == 200, (headers, body)
    assert headers["access-control-allow-origin"] == "https://www.example.com"
    assert headers["access-control-allow-methods"] == "GET, PUT"
    assert headers["access-control-allow-headers"] == "x-amz-date, content-type"
    assert headers["access-control-max-age"] == "600"
    assert headers["access-control-expose-headers"] == "ETag, x-amz-request-id"
    assert headers["access-control-allow-credentials"] == "true"
    assert headers["vary"] == ("Origin, Access-Control-Request-Headers, "
                               "Access-Control-Request-Method")

    # The wildcard rule answers "*".
    status, headers, _ = curl("-X", "OPTIONS", url, "-H", "Origin: https://anywhere.org",
                              "-H", "Access-Control-Request-Method: HEAD")
    assert status == 200 and headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in headers

    refused = [
        ("https://evil.org", "PUT", None),                        # origin
        ("https://www.example.com", "DELETE", None),              # method
        ("https://www.example.com", "PUT", "x-custom-header"),    # header
        ("http://www.example.com", "GET", None),                  # scheme
    ]
    for origin, method, request_headers in refused:
        args = ["-X", "OPTIONS", url, "-H", f"Origin: {origin}",
                "-H", f"Access-Control-Request-Method: {method}"]
        if request_headers:
            args += ["-H", f"Access-Control-Request-Headers: {request_headers}"]
        status, headers, body = curl(*args)
        assert status == 403 and error_code(body) == "AccessForbidden", (origin, method, body)
        assert "access-control-allow-origin" not in headers
        assert b"CORSResponse: This CORS request is not allowed" in body

    status, _, body = curl("-X", "OPTIONS", url, "-H", "Access-Control-Request-Method: GET")
    assert status == 400, body


def test_cross_origin_actual_requests(stratus, s3, bucket):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration=RULES)
    s3.put_object(Bucket=bucket, Key="page.html", Body=b"<p>hi</p>")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "page.html"})
    status, headers, body = curl(url, "-H", "Origin: https://app.example.com")
    assert status == 200 and body == b"<p>hi</p>"
    assert headers["access-control-allow-origin"] == "https://app.example.com"
    assert headers["access-control-allow-methods"] == "GET, PUT"
    assert headers["access-control-expose-headers"] == "ETag, x-amz-request-id"
    assert headers["access-control-max-age"] == "600"
    assert headers["vary"].startswith("Origin")

    # Errors carry them too.
    missing = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "nope"})
    status, headers, body = curl(missing, "-H", "Origin: https://app.example.com")
    assert status == 404 and error_code(body) == "NoSuchKey"
    assert headers["access-control-allow-origin"] == "https://app.example.com"

    # No matching rule, or no Origin: no CORS headers.
    for extra in (["-H", "Origin: https://evil.org"], []):
        status, headers, _ = curl(url, *extra)
        assert status == 200 and "access-control-allow-origin" not in headers


@pytest.fixture
def s3v4(stratus):
    """boto3 signing presigned POSTs with SigV4 (older botocore defaults to SigV2 for them)."""
    return stratus.boto3_client(signature_version="s3v4")


def form_args(url: str, fields: dict[str, str], file_path, extra=()) -> list[str]:
    args = [url]
    for name, value in fields.items():
        args += ["--form-string", f"{name}={value}"]
    args += list(extra)
    args += ["-F", f"file=@{file_path}"]
    return args


def test_presigned_post_within_policy(stratus, s3, s3v4, bucket, tmp_path):
    data = bytes(range(256)) * 40
    path = tmp_path / "photo.bin"
    path.write_bytes(data)
    post = s3v4.generate_presigned_post(
        bucket, "uploads/${filename}",
        Fields={"Content-Type": "image/png", "x-amz-meta-owner": "alice"},
        Conditions=[["content-length-range", 1, 100000], {"Content-Type": "image/png"},
                    {"x-amz-meta-owner": "alice"}],
        ExpiresIn=600)
    assert post["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    status, headers, body = curl(*form_args(post["url"], post["fields"], path))
    assert status == 204, body
    assert headers["etag"].strip('"') and headers["location"].endswith("/uploads/photo.bin")
    got = s3.get_object(Bucket=bucket, Key="uploads/photo.bin")
    assert got["Body"].read() == data
    assert got["ContentType"] == "image/png"
    assert got["Metadata"] == {"owner": "alice"}


def test_presigned_post_large_file_streams(stratus, s3, s3v4, bucket, tmp_path):
    data = (b"0123456789abcdef\r\n--" * 60000)[: 3 * 1024 * 1024 + 5]
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    post = s3v4.generate_presigned_post(bucket, "big", ExpiresIn=600)
    status, _, body = curl(*form_args(post["url"], post["fields"], path))
    assert status == 204, body
    assert s3.get_object(Bucket=bucket, Key="big")["Body"].read() == data


def test_presigned_post_outside_policy(stratus, s3, s3v4, bucket, tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"x" * 2000)
    post = s3v4.generate_presigned_post(
        bucket, "user/${filename}", Conditions=[["content-length-range", 1, 1000]],
        ExpiresIn=600)
    status, _, body = curl(*form_args(post["url"], post["fields"], path))
    # S3 (and MinIO) answer a size outside content-length-range with EntityTooLarge/Small, 400.
    assert status == 400 and error_code(body) == "EntityTooLarge", body
    assert b"[&quot;content-length-range&quot;,1,1000]" in body, body
    path.write_bytes(b"")
    status, _, body = curl(*form_args(post["url"], post["fields"], path))
    assert status == 400 and error_code(body) == "EntityTooSmall", body
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0

    path.write_bytes(b"small")
    fields = dict(post["fields"], key="other/f.txt")
    status, _, body = curl(*form_args(post["url"], fields, path))
    assert status == 403 and error_code(body) == "AccessDenied", body
    assert b"starts-with" in body

    fields = dict(post["fields"], **{"x-amz-meta-extra": "1"})
    status, _, body = curl(*form_args(post["url"], fields, path))
    assert status == 403 and b"Extra input fields: x-amz-meta-extra" in body, body

    fields = dict(post["fields"])
    fields["x-amz-signature"] = "0" * 64
    status, _, body = curl(*form_args(post["url"], fields, path))
    assert status == 403 and error_code(body) == "SignatureDoesNotMatch", body

    expired = s3v4.generate_presigned_post(bucket, "late", ExpiresIn=-10)
    status, _, body = curl(*form_args(expired["url"], expired["fields"], path))
    assert status == 403 and b"Invalid according to Policy: Policy expired." in body, body

    assert keys(s3, bucket) == []

    # Within the policy, the same form works.
    status, _, body = curl(*form_args(post["url"], post["fields"], path))
    assert status == 204, body
    assert keys(s3, bucket) == ["user/f.txt"]


def test_presigned_post_success_status_and_redirect(stratus, s3, s3v4, bucket, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"hello")
    post = s3v4.generate_presigned_post(bucket, "a.txt", Fields={"success_action_status": "201"},
                                      Conditions=[{"success_action_status": "201"}])
    status, headers, body = curl(*form_args(post["url"], post["fields"], path))
    assert status == 201, body
    root = ET.fromstring(body)
    assert root.tag == "PostResponse"
    assert root.findtext("Bucket") == bucket and root.findtext("Key") == "a.txt"
    assert root.findtext("ETag") == headers["etag"]
    assert root.findtext("Location").endswith(f"/{bucket}/a.txt")

    redirect = "https://app.example.com/done?x=1"
    post = s3v4.generate_presigned_post(bucket, "b.txt",
                                      Fields={"success_action_redirect": redirect},
                                      Conditions=[{"success_action_redirect": redirect}])
    status, headers, _ = curl(*form_args(post["url"], post["fields"], path))
    assert status == 303
    location = headers["location"]
    assert location.startswith(redirect + "&bucket=" + bucket + "&key=b.txt&etag=%22")
    assert s3.get_object(Bucket=bucket, Key="b.txt")["Body"].read() == b"hello"


def test_post_without_signature_is_denied(stratus, s3, bucket, tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"hello")
    status, _, body = curl(*form_args(f"{stratus.endpoint}/{bucket}", {"key": "a"}, path))
    assert status == 403 and error_code(body) == "AccessDenied", body
    assert keys(s3, bucket) == []


def test_virtual_hosted_post_and_presigned_get(stratus_factory, tmp_path):
    server = stratus_factory(extra_args=["--domain", "localhost"])
    bucket = harness.unique_bucket_name("vhpost")
    assert server.raw().request("PUT", bucket).status == 200
    # Signed for bucket.localhost; curl --resolve sends it to the server's address.
    virtual = boto3.session.Session().client(
        "s3", endpoint_url=f"http://localhost:{server.port}",
        aws_access_key_id=server.access_key, aws_secret_access_key=server.secret_key,
        region_name=server.region,
        config=Config(s3={"addressing_style": "virtual"}, signature_version="s3v4"))
    host = f"{bucket}.localhost"
    resolve = ["--resolve", f"{host}:{server.port}:127.0.0.1"]

    path = tmp_path / "v.txt"
    path.write_bytes(b"virtually posted")
    post = virtual.generate_presigned_post(bucket, "dir/${filename}",
                                           Fields={"success_action_status": "201"},
                                           Conditions=[{"success_action_status": "201"}])
    assert post["url"] == f"http://{host}:{server.port}/"
    assert post["fields"]["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    status, _, body = curl(*form_args(post["url"], post["fields"], path), *resolve)
    assert status == 201, body
    assert ET.fromstring(body).findtext("Location") == f"http://{host}:{server.port}/dir/v.txt"

    url = virtual.generate_presigned_url("get_object", Params={"Bucket": bucket,
                                                               "Key": "dir/v.txt"})
    assert url.startswith(f"http://{host}:{server.port}/dir/v.txt?")
    status, _, body = curl(url, *resolve)
    assert status == 200 and body == b"virtually posted"


def test_sigv2_post(stratus, s3, bucket, tmp_path):
    import base64
    import datetime
    import hashlib
    import hmac
    import json

    expiration = (datetime.datetime.now(datetime.timezone.utc)
                  + datetime.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    policy = base64.b64encode(json.dumps({
        "expiration": expiration,
        "conditions": [{"bucket": bucket}, ["starts-with", "$key", "v2/"]],
    }).encode()).decode()
    signature = base64.b64encode(hmac.new(stratus.secret_key.encode(), policy.encode(),
                                          hashlib.sha1).digest()).decode()
    path = tmp_path / "v2.txt"
    path.write_bytes(b"signed the old way")
    fields = {"key": "v2/${filename}", "AWSAccessKeyId": stratus.access_key, "policy": policy,
              "signature": signature}
    status, _, body = curl(*form_args(f"{stratus.endpoint}/{bucket}", fields, path))
    assert status == 204, body
    assert s3.get_object(Bucket=bucket, Key="v2/v2.txt")["Body"].read() == b"signed the old way"

    fields["signature"] = base64.b64encode(b"x" * 20).decode()
    status, _, body = curl(*form_args(f"{stratus.endpoint}/{bucket}", fields, path))
    assert status == 403 and error_code(body) == "SignatureDoesNotMatch", body
