"""Honesty: a header that asks for what stratus does not do is refused on every operation,
and nothing changes (src/s3/header_support.cc, docs/headers.md). Also: a 5xx reveals nothing."""

from __future__ import annotations

import hashlib
import os
import re

import pytest

import harness
import s3wire

# (header, value, HTTP status, S3 code): what S3 answers for the feature stratus lacks, or the
# AccessControlListNotSupported S3's own default (BucketOwnerEnforced) buckets answer.
REFUSED = [
    ("x-amz-server-side-encryption", "AES256", 501, "NotImplemented"),
    ("x-amz-server-side-encryption", "aws:kms", 501, "NotImplemented"),
    ("x-amz-server-side-encryption-aws-kms-key-id", "k", 501, "NotImplemented"),
    ("x-amz-server-side-encryption-context", "e30=", 501, "NotImplemented"),
    ("x-amz-server-side-encryption-customer-algorithm", "AES256", 501, "NotImplemented"),
    ("x-amz-server-side-encryption-customer-key-MD5", "a", 501, "NotImplemented"),
    ("x-amz-copy-source-server-side-encryption-customer-key", "a", 501, "NotImplemented"),
    ("x-amz-object-lock-mode", "GOVERNANCE", 501, "NotImplemented"),
    ("x-amz-object-lock-legal-hold", "ON", 501, "NotImplemented"),
    ("x-amz-bucket-object-lock-enabled", "true", 501, "NotImplemented"),
    ("x-amz-website-redirect-location", "/x", 501, "NotImplemented"),
    ("x-amz-acl", "public-read", 400, "AccessControlListNotSupported"),
    ("x-amz-grant-read", 'uri="http://acs.amazonaws.com/groups/global/AllUsers"', 400,
     "AccessControlListNotSupported"),
    ("x-amz-object-ownership", "ObjectWriter", 501, "NotImplemented"),
    ("x-amz-expected-bucket-owner", "111122223333", 501, "NotImplemented"),
    ("x-amz-mfa", "123 456", 501, "NotImplemented"),
    ("x-amz-write-offset-bytes", "0", 501, "NotImplemented"),
    ("x-amz-if-match-size", "1", 501, "NotImplemented"),
]

COMPLETE_BODY = b"<CompleteMultipartUpload></CompleteMultipartUpload>"
DELETE_BODY = b"<Delete><Object><Key>obj</Key></Object></Delete>"
TAGGING_BODY = (b"<Tagging><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet>"
                b"</Tagging>")
CORS_BODY = (b"<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>"
             b"<AllowedOrigin>*</AllowedOrigin></CORSRule></CORSConfiguration>")


def md5(body: bytes) -> dict[str, str]:
    return {"Content-MD5": s3wire.md5_b64(body)}


def operations(bucket: str, upload: str, new_bucket: str):
    """Every routed operation but the anonymous preflight and the form POST (tested apart):
    (name, method, bucket, key, query, headers, body)."""
    src = {"x-amz-copy-source": f"/{bucket}/obj"}
    up = [("uploadId", upload)]
    return [
        ("ListBuckets", "GET", None, None, [], {}, b""),
        ("CreateBucket", "PUT", new_bucket, None, [], {}, b""),
        ("HeadBucket", "HEAD", bucket, None, [], {}, b""),
        ("DeleteBucket", "DELETE", bucket, None, [], {}, b""),
        ("GetBucketLocation", "GET", bucket, None, [("location", "")], {}, b""),
        ("GetBucketCors", "GET", bucket, None, [("cors", "")], {}, b""),
        ("PutBucketCors", "PUT", bucket, None, [("cors", "")], md5(CORS_BODY), CORS_BODY),
        ("DeleteBucketCors", "DELETE", bucket, None, [("cors", "")], {}, b""),
        ("ListObjects", "GET", bucket, None, [], {}, b""),
        ("ListObjectsV2", "GET", bucket, None, [("list-type", "2")], {}, b""),
        ("PutObject", "PUT", bucket, "new", [], {}, b"new bytes"),
        ("PutObjectOverwrite", "PUT", bucket, "obj", [], {}, b"other bytes"),
        ("GetObject", "GET", bucket, "obj", [], {}, b""),
        ("HeadObject", "HEAD", bucket, "obj", [], {}, b""),
        ("DeleteObject", "DELETE", bucket, "obj", [], {}, b""),
        ("CreateMultipartUpload", "POST", bucket, "mpu", [("uploads", "")], {}, b""),
        ("UploadPart", "PUT", bucket, "mpu", [("partNumber", "2")] + up, {}, b"part"),
        ("UploadPartCopy", "PUT", bucket, "mpu", [("partNumber", "3")] + up, src, b""),
        ("CompleteMultipartUpload", "POST", bucket, "mpu", up, {}, COMPLETE_BODY),
        ("AbortMultipartUpload", "DELETE", bucket, "mpu", up, {}, b""),
        ("ListParts", "GET", bucket, "mpu", up, {}, b""),
        ("ListMultipartUploads", "GET", bucket, None, [("uploads", "")], {}, b""),
        ("CopyObject", "PUT", bucket, "copy", [], src, b""),
        ("DeleteObjects", "POST", bucket, None, [("delete", "")], md5(DELETE_BODY), DELETE_BODY),
        ("PutObjectTagging", "PUT", bucket, "obj", [("tagging", "")], {}, TAGGING_BODY),
        ("GetObjectTagging", "GET", bucket, "obj", [("tagging", "")], {}, b""),
        ("DeleteObjectTagging", "DELETE", bucket, "obj", [("tagging", "")], {}, b""),
        ("PutBucketTagging", "PUT", bucket, None, [("tagging", "")], md5(TAGGING_BODY),
         TAGGING_BODY),
        ("GetBucketTagging", "GET", bucket, None, [("tagging", "")], {}, b""),
        ("DeleteBucketTagging", "DELETE", bucket, None, [("tagging", "")], {}, b""),
        ("GetObjectAttributes", "GET", bucket, "obj", [("attributes", "")],
         {"x-amz-object-attributes": "ETag"}, b""),
    ]


def snapshot(raw: s3wire.Raw, bucket: str, upload: str, new_bucket: str) -> tuple:
    """Everything the operations above could change."""
    return tuple(
        (r.status, re.sub(rb"<RequestId>[^<]*</RequestId>", b"", r.body))
        for r in (
            raw.request("GET", bucket, query=[("list-type", "2")]),
            raw.request("GET", bucket, "obj"),
            raw.request("GET", bucket, "obj", query=[("tagging", "")]),
            raw.request("GET", bucket, query=[("tagging", "")]),
            raw.request("GET", bucket, query=[("cors", "")]),
            raw.request("GET", bucket, "mpu", query=[("uploadId", upload)]),
            raw.request("HEAD", new_bucket),
        )
    )


@pytest.fixture
def scene(stratus, bucket, bucket_name):
    raw = stratus.raw()
    assert raw.request("PUT", bucket, "obj", body=b"original").status == 200
    created = raw.request("POST", bucket, "mpu", query=[("uploads", "")])
    assert created.status == 200, created
    upload = re.search(rb"<UploadId>([^<]+)</UploadId>", created.body).group(1).decode()
    part = raw.request("PUT", bucket, "mpu", query=[("partNumber", "1"), ("uploadId", upload)],
                       body=b"first part")
    assert part.status == 200, part
    return raw, bucket, upload, bucket_name


def test_every_operation_refuses_every_unsupported_header_and_changes_nothing(scene):
    raw, bucket, upload, new_bucket = scene
    before = snapshot(raw, bucket, upload, new_bucket)
    for name, method, b, key, query, headers, body in operations(bucket, upload, new_bucket):
        for header, value, status, code in REFUSED:
            response = raw.request(method, b, key, query=query, headers={**headers, header: value},
                                   body=body)
            where = f"{name} with {header}: {value}"
            assert response.status == status, f"{where}: {response}"
            if method != "HEAD":
                assert response.error_code() == code, f"{where}: {response}"
                assert s3wire.error_fields(response.body).get("RequestId"), where
    assert snapshot(raw, bucket, upload, new_bucket) == before


@pytest.mark.parametrize("header,value", [
    ("x-amz-acl", "private"),
    ("x-amz-acl", "bucket-owner-full-control"),
    ("x-amz-object-ownership", "BucketOwnerEnforced"),
    ("x-amz-bucket-object-lock-enabled", "false"),
    ("x-amz-request-payer", "requester"),  # ignored, as S3 on a bucket without Requester Pays
])
def test_accepted_values_pass(stratus, bucket_name, header, value):
    raw = stratus.raw()
    assert raw.request("PUT", bucket_name, headers={header: value}).status == 200
    put = raw.request("PUT", bucket_name, "k", headers={header: value}, body=b"x")
    assert put.status == 200, put
    assert raw.request("GET", bucket_name, "k").body == b"x"


def test_refusal_comes_after_authentication(stratus, bucket):
    response = stratus.raw().request("PUT", bucket, "k", sign=False, body=b"x",
                                     headers={"x-amz-server-side-encryption": "AES256"})
    assert response.status == 403 and response.error_code() == "AccessDenied"


def test_conditional_delete_is_refused_not_ignored(stratus, bucket):
    raw = stratus.raw()
    assert raw.request("PUT", bucket, "k", body=b"keep me").status == 200
    response = raw.request("DELETE", bucket, "k", headers={"If-Match": '"not-its-etag"'})
    assert response.status == 501 and response.error_code() == "NotImplemented"
    assert raw.request("GET", bucket, "k").body == b"keep me"


def test_copy_honours_destination_conditions(stratus, bucket):
    raw = stratus.raw()
    assert raw.request("PUT", bucket, "src", body=b"source").status == 200
    assert raw.request("PUT", bucket, "dst", body=b"destination").status == 200
    src = {"x-amz-copy-source": f"/{bucket}/src"}
    refused = raw.request("PUT", bucket, "dst", headers={**src, "If-None-Match": "*"})
    assert refused.status == 412 and refused.error_code() == "PreconditionFailed"
    mismatch = raw.request("PUT", bucket, "dst", headers={**src, "If-Match": '"0000"'})
    assert mismatch.status == 412
    assert raw.request("GET", bucket, "dst").body == b"destination"
    etag = hashlib.md5(b"destination").hexdigest()
    done = raw.request("PUT", bucket, "dst", headers={**src, "If-Match": f'"{etag}"'})
    assert done.status == 200, done
    assert raw.request("GET", bucket, "dst").body == b"source"


@pytest.mark.parametrize("aws", list(harness.distinct_executables("/usr/bin/aws", "aws")))
def test_aws_cli_sse_and_sse_c_are_refused(stratus, bucket, client_env, tmp_path, aws):
    source = tmp_path / "f"
    source.write_bytes(b"secret")
    for extra in (["--sse", "AES256"],
                  ["--sse-c", "AES256", "--sse-c-key", "0123456789abcdef0123456789abcdef"]):
        run = client_env.run([aws, "--endpoint-url", stratus.endpoint, "s3", "cp", str(source),
                              f"s3://{bucket}/f", *extra], check=False)
        assert run.returncode != 0, run
        assert b"NotImplemented" in run.stderr, run.stderr
    assert stratus.raw().request("HEAD", bucket, "f").status == 404


def test_lost_data_file_is_internal_error_revealing_nothing(stratus_factory):
    server = stratus_factory()
    raw = server.raw()
    assert raw.request("PUT", "lost").status == 200
    body = os.urandom(300 * 1024)  # above the inline threshold: it has a data file
    assert raw.request("PUT", "lost", "big", body=body).status == 200
    files = [p for p in (server.data_dir / "data").rglob("*") if p.is_file()]
    assert len(files) == 1, files
    files[0].unlink()
    response = raw.request("GET", "lost", "big")
    assert response.status == 500 and response.error_code() == "InternalError"
    message = s3wire.error_fields(response.body).get("Message")
    assert message == "We encountered an internal error. Please try again."
    assert str(server.data_dir) not in response.body.decode()
    request_id = s3wire.error_fields(response.body).get("RequestId")
    assert request_id and request_id in server.logs()
