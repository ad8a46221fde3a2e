"""CopyObject, object and bucket tagging, DeleteObjects and GetObjectAttributes against the real
server, with boto3 (in-process), aws-cli (both /usr/bin/aws and the `aws` first on PATH) and
raw signed requests where the exact headers matter."""

from __future__ import annotations

import base64
import email.utils
import hashlib
import os
import time
import urllib.parse

import pytest
from botocore.exceptions import ClientError

import harness
import s3wire

KIB = 1024
MIB = 1024 * KIB

AWS = list(harness.distinct_executables("/usr/bin/aws", "aws"))
if not AWS:
    AWS = [pytest.param(None, marks=pytest.mark.skip(reason="aws-cli not installed"))]


def error_code(excinfo) -> str:
    return excinfo.value.response["Error"]["Code"]


def status_of(excinfo) -> int:
    return excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"]


def keys_of(s3, bucket) -> list[str]:
    keys = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        keys += [o["Key"] for o in page.get("Contents", [])]
    return keys


def delete_body(keys, quiet=False) -> bytes:
    objects = "".join(f"<Object><Key>{k}</Key></Object>" for k in keys)
    return (f"<Delete><Quiet>{'true' if quiet else 'false'}</Quiet>{objects}</Delete>").encode()


# --- DeleteObjects ------------------------------------------------------------------------------


def test_delete_objects_reports_every_key(s3, bucket):
    for key in ("a", "b", "dir/c d"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"x" * 10)
    big = os.urandom(300 * KIB)  # in a data file, released with its record
    s3.put_object(Bucket=bucket, Key="big", Body=big)
    answer = s3.delete_objects(Bucket=bucket, Delete={"Objects": [
        {"Key": "a"}, {"Key": "dir/c d"}, {"Key": "big"}, {"Key": "never-existed"},
        {"Key": "b", "VersionId": "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY"}]})
    assert sorted(d["Key"] for d in answer["Deleted"]) == ["a", "big", "dir/c d", "never-existed"]
    assert [(e["Key"], e["Code"]) for e in answer["Errors"]] == [("b", "NotImplemented")]
    assert keys_of(s3, bucket) == ["b"]
    with pytest.raises(ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="big")
    assert error_code(excinfo) == "NoSuchKey"


def test_delete_objects_quiet_answers_only_errors(s3, bucket):
    for i in range(5):
        s3.put_object(Bucket=bucket, Key=f"k{i}", Body=b"x")
    answer = s3.delete_objects(Bucket=bucket, Delete={
        "Quiet": True, "Objects": [{"Key": f"k{i}"} for i in range(5)] + [{"Key": "x" * 1025}]})
    assert "Deleted" not in answer
    assert [(e["Key"], e["Code"]) for e in answer["Errors"]] == [("x" * 1025, "KeyTooLongError")]
    assert keys_of(s3, bucket) == []


def test_delete_objects_requires_and_verifies_a_digest(raw, bucket):
    raw.request("PUT", bucket, "k", body=b"x")
    body = delete_body(["k"])
    missing = raw.request("POST", bucket, query=[("delete", "")], body=body)
    assert missing.status == 400 and missing.error_code() == "MissingContentMD5", missing
    wrong = raw.request("POST", bucket, query=[("delete", "")], body=body,
                        headers={"Content-MD5": s3wire.md5_b64(b"other")})
    assert wrong.status == 400 and wrong.error_code() == "BadDigest", wrong
    bad_crc = raw.request("POST", bucket, query=[("delete", "")], body=body,
                          headers={"x-amz-checksum-crc32": s3wire.checksum_b64("CRC32", b"z")})
    assert bad_crc.status == 400 and bad_crc.error_code() == "BadDigest", bad_crc
    assert raw.request("HEAD", bucket, "k").status == 200
    ok = raw.request("POST", bucket, query=[("delete", "")], body=body,
                     headers={"x-amz-checksum-crc32": s3wire.checksum_b64("CRC32", body)})
    assert ok.status == 200, ok
    assert b"<Deleted><Key>k</Key></Deleted>" in ok.body
    assert raw.request("HEAD", bucket, "k").status == 404


def test_delete_objects_malformed_bodies(raw, bucket):
    too_many = delete_body([f"k{i}" for i in range(1001)])
    for body in (b"garbage", b"<Delete></Delete>", b"<Delete><Object></Object></Delete>",
                 too_many):
        response = raw.request("POST", bucket, query=[("delete", "")], body=body,
                               headers={"Content-MD5": s3wire.md5_b64(body)})
        assert response.status == 400 and response.error_code() == "MalformedXML", response
    # XML cannot carry a NUL; a parser that ended the key there would delete "a" instead.
    raw.request("PUT", bucket, "a", body=b"keep me")
    for body in (b"<Delete><Object><Key>a&#x0;b</Key></Object></Delete>",
                 b"<Delete><Object><Key>a\0b</Key></Object></Delete>"):
        response = raw.request("POST", bucket, query=[("delete", "")], body=body,
                               headers={"Content-MD5": s3wire.md5_b64(body)})
        assert response.status == 400 and response.error_code() == "MalformedXML", response
    assert raw.request("GET", bucket, "a").body == b"keep me"
    missing_bucket = raw.request("POST", bucket + "-none", query=[("delete", "")],
                                 body=delete_body(["k"]),
                                 headers={"Content-MD5": s3wire.md5_b64(delete_body(["k"]))})
    assert missing_bucket.status == 404 and missing_bucket.error_code() == "NoSuchBucket"


@pytest.mark.parametrize("exe", AWS)
def test_aws_s3_rm_recursive(client_env, s3, bucket, exe, tmp_path):
    up = tmp_path / "up"
    up.mkdir()
    for i in range(300):
        (up / f"f{i:03d}").write_bytes(b"%d" % i)
    client_env.run([exe, "--endpoint-url", client_env.server.endpoint, "s3", "cp",
                    "--recursive", "--only-show-errors", up, f"s3://{bucket}/tree/"], timeout=300)
    s3.put_object(Bucket=bucket, Key="keep", Body=b"k")
    assert len(keys_of(s3, bucket)) == 301
    client_env.run([exe, "--endpoint-url", client_env.server.endpoint, "s3", "rm",
                    "--recursive", "--only-show-errors", f"s3://{bucket}/tree/"], timeout=300)
    assert keys_of(s3, bucket) == ["keep"]


# --- CopyObject ---------------------------------------------------------------------------------


def test_copy_with_metadata_and_tagging_directives(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"hello", ContentType="text/plain",
                  Metadata={"colour": "blue"}, Tagging="t1=v1&t2=v%202")
    copied = s3.copy_object(Bucket=bucket, Key="copy", CopySource={"Bucket": bucket, "Key": "src"})
    assert copied["CopyObjectResult"]["ETag"] == '"%s"' % hashlib.md5(b"hello").hexdigest()
    head = s3.head_object(Bucket=bucket, Key="copy")
    assert head["ContentType"] == "text/plain" and head["Metadata"] == {"colour": "blue"}
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "2"
    assert s3.get_object_tagging(Bucket=bucket, Key="copy")["TagSet"] == [
        {"Key": "t1", "Value": "v1"}, {"Key": "t2", "Value": "v 2"}]

    s3.copy_object(Bucket=bucket, Key="replaced", CopySource=f"{bucket}/src",
                   MetadataDirective="REPLACE", ContentType="application/json",
                   Metadata={"size": "big"}, TaggingDirective="REPLACE", Tagging="only=one")
    head = s3.head_object(Bucket=bucket, Key="replaced")
    assert head["ContentType"] == "application/json" and head["Metadata"] == {"size": "big"}
    assert s3.get_object_tagging(Bucket=bucket, Key="replaced")["TagSet"] == [
        {"Key": "only", "Value": "one"}]
    assert s3.get_object(Bucket=bucket, Key="replaced")["Body"].read() == b"hello"

    s3.copy_object(Bucket=bucket, Key="untagged", CopySource=f"{bucket}/src",
                   TaggingDirective="REPLACE")
    assert s3.get_object_tagging(Bucket=bucket, Key="untagged")["TagSet"] == []
    assert "x-amz-tagging-count" not in s3.head_object(
        Bucket=bucket, Key="untagged")["ResponseMetadata"]["HTTPHeaders"]


def test_copy_source_encoding_and_versions(s3, raw, bucket):
    key = "dir/a b+c?d%é"
    s3.put_object(Bucket=bucket, Key=key, Body=b"odd key")
    s3.copy_object(Bucket=bucket, Key="plain", CopySource={"Bucket": bucket, "Key": key})
    assert s3.get_object(Bucket=bucket, Key="plain")["Body"].read() == b"odd key"
    source = "/" + bucket + "/" + urllib.parse.quote(key)
    for value, status in ((source, 200), (source + "?versionId=null", 200),
                          (source + "?versionId=abc", 501), (bucket, 400)):
        response = raw.request("PUT", bucket, "raw-copy", headers={"x-amz-copy-source": value})
        assert response.status == status, (value, response)


def test_copy_missing_source(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="d", CopySource={"Bucket": bucket, "Key": "none"})
    assert error_code(excinfo) == "NoSuchKey"
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="d", CopySource={"Bucket": bucket + "-x", "Key": "k"})
    assert error_code(excinfo) == "NoSuchBucket"


def test_copy_source_conditions(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="src", Body=b"cond")
    etag = put["ETag"]
    modified = s3.head_object(Bucket=bucket, Key="src")["LastModified"].timestamp()
    past = email.utils.formatdate(modified - 3600, usegmt=True)
    future = email.utils.formatdate(modified + 3600, usegmt=True)
    src = {"Bucket": bucket, "Key": "src"}
    ok = [dict(CopySourceIfMatch=etag), dict(CopySourceIfNoneMatch='"other"'),
          dict(CopySourceIfModifiedSince=past), dict(CopySourceIfUnmodifiedSince=future)]
    failing = [dict(CopySourceIfMatch='"other"'), dict(CopySourceIfNoneMatch=etag),
               dict(CopySourceIfModifiedSince=future), dict(CopySourceIfUnmodifiedSince=past)]
    for condition in ok:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource=src, **condition)
    for condition in failing:
        with pytest.raises(ClientError) as excinfo:
            s3.copy_object(Bucket=bucket, Key="dst", CopySource=src, **condition)
        assert status_of(excinfo) == 412, condition
        assert error_code(excinfo) == "PreconditionFailed"


def test_copy_onto_itself_needs_replace(s3, bucket):
    s3.put_object(Bucket=bucket, Key="self", Body=b"me", Metadata={"v": "1"}, Tagging="a=b")
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="self", CopySource={"Bucket": bucket, "Key": "self"})
    assert error_code(excinfo) == "InvalidRequest"
    assert "copy an object to itself" in excinfo.value.response["Error"]["Message"]
    s3.copy_object(Bucket=bucket, Key="self", CopySource={"Bucket": bucket, "Key": "self"},
                   MetadataDirective="REPLACE", Metadata={"v": "2"})
    head = s3.head_object(Bucket=bucket, Key="self")
    assert head["Metadata"] == {"v": "2"}
    assert s3.get_object(Bucket=bucket, Key="self")["Body"].read() == b"me"
    assert s3.get_object_tagging(Bucket=bucket, Key="self")["TagSet"] == [
        {"Key": "a", "Value": "b"}]


@pytest.mark.parametrize("size", [0, 128 * KIB, 128 * KIB + 1, 20 * MIB])
def test_copy_bytes_are_identical(s3, bucket, size):
    data = os.urandom(size)
    s3.put_object(Bucket=bucket, Key="src", Body=data, ChecksumAlgorithm="SHA256")
    answer = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    result = answer["CopyObjectResult"]
    assert result["ETag"] == '"%s"' % hashlib.md5(data).hexdigest()
    assert result["ChecksumSHA256"] == base64.b64encode(hashlib.sha256(data).digest()).decode()
    got = s3.get_object(Bucket=bucket, Key="dst")["Body"].read()
    assert hashlib.sha256(got).digest() == hashlib.sha256(data).digest() and len(got) == size
    # The source is untouched and both survive the other's removal.
    s3.delete_object(Bucket=bucket, Key="src")
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == data


def test_copy_of_a_multipart_object(s3, bucket):
    parts = [os.urandom(5 * MIB), os.urandom(MIB + 3)]
    try:
        upload = s3.create_multipart_upload(Bucket=bucket, Key="mp")
    except ClientError as err:
        pytest.skip(f"multipart upload unavailable: {err}")
    done = []
    for number, body in enumerate(parts, start=1):
        etag = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload["UploadId"],
                              PartNumber=number, Body=body)["ETag"]
        done.append({"PartNumber": number, "ETag": etag})
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload["UploadId"],
                                 MultipartUpload={"Parts": done})
    answer = s3.copy_object(Bucket=bucket, Key="flat", CopySource={"Bucket": bucket, "Key": "mp"})
    whole = b"".join(parts)
    # The copy is one new object: its ETag is its bytes' MD5, not "<md5>-2".
    assert answer["CopyObjectResult"]["ETag"] == '"%s"' % hashlib.md5(whole).hexdigest()
    assert s3.get_object(Bucket=bucket, Key="flat")["Body"].read() == whole
    attributes = s3.get_object_attributes(Bucket=bucket, Key="mp",
                                          ObjectAttributes=["ObjectParts", "ObjectSize"])
    assert attributes["ObjectSize"] == len(whole)
    assert attributes["ObjectParts"]["TotalPartsCount"] == 2
    assert [p["Size"] for p in attributes["ObjectParts"]["Parts"]] == [len(p) for p in parts]


# --- tagging ------------------------------------------------------------------------------------


def test_object_tagging_lifecycle(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"tagged", Tagging="a=1&b=two%20words")
    head = s3.head_object(Bucket=bucket, Key="k")
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-tagging-count"] == "2"
    assert s3.get_object(Bucket=bucket, Key="k")["TagCount"] == 2
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == [
        {"Key": "a", "Value": "1"}, {"Key": "b", "Value": "two words"}]
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": [
        {"Key": "x", "Value": ""}, {"Key": "é", "Value": "ü" * 256}]})
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == [
        {"Key": "x", "Value": ""}, {"Key": "é", "Value": "ü" * 256}]
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"tagged"
    s3.delete_object_tagging(Bucket=bucket, Key="k")
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == []
    assert "x-amz-tagging-count" not in s3.head_object(
        Bucket=bucket, Key="k")["ResponseMetadata"]["HTTPHeaders"]
    with pytest.raises(ClientError) as excinfo:
        s3.get_object_tagging(Bucket=bucket, Key="none")
    assert error_code(excinfo) == "NoSuchKey"
    with pytest.raises(ClientError) as excinfo:
        s3.put_object_tagging(Bucket=bucket, Key="none", Tagging={"TagSet": []})
    assert error_code(excinfo) == "NoSuchKey"


def test_tagging_keeps_a_large_object_intact(s3, bucket):
    data = os.urandom(1 * MIB + 7)
    s3.put_object(Bucket=bucket, Key="big", Body=data)
    s3.put_object_tagging(Bucket=bucket, Key="big", Tagging={"TagSet": [{"Key": "k",
                                                                         "Value": "v"}]})
    assert s3.get_object(Bucket=bucket, Key="big")["Body"].read() == data


@pytest.mark.parametrize("tagging", [
    "&".join(f"k{i}=v" for i in range(11)),
    "a=1&a=2",
    "aws:reserved=1",
    "k" * 129 + "=v",
    "k=" + "v" * 257,
])
def test_invalid_tags_on_put(s3, bucket, tagging):
    with pytest.raises(ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="k", Body=b"x", Tagging=tagging)
    assert error_code(excinfo) == "InvalidTag"
    with pytest.raises(ClientError):
        s3.head_object(Bucket=bucket, Key="k")


def test_invalid_tags_on_put_object_tagging(s3, raw, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    for tags in ([{"Key": f"k{i}", "Value": "v"} for i in range(11)],
                 [{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}],
                 [{"Key": "aws:x", "Value": "1"}]):
        with pytest.raises(ClientError) as excinfo:
            s3.put_object_tagging(Bucket=bucket, Key="k", Tagging={"TagSet": tags})
        assert error_code(excinfo) == "InvalidTag"
    bad = raw.request("PUT", bucket, "k", query=[("tagging", "")], body=b"<Tagging><TagSet>")
    assert bad.status == 400 and bad.error_code() == "MalformedXML", bad


def test_copy_with_invalid_replacement_tags(s3, bucket):
    s3.put_object(Bucket=bucket, Key="src", Body=b"x")
    with pytest.raises(ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"},
                       TaggingDirective="REPLACE", Tagging="aws:no=1")
    assert error_code(excinfo) == "InvalidTag"


def test_bucket_tagging(s3, bucket):
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_tagging(Bucket=bucket)
    assert error_code(excinfo) == "NoSuchTagSet" and status_of(excinfo) == 404
    tags = [{"Key": f"k{i}", "Value": f"v{i}"} for i in range(50)]
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == tags
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "team", "Value": "s"}]})
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == [{"Key": "team", "Value": "s"}]
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags + [{"Key": "x",
                                                                         "Value": "y"}]})
    assert error_code(excinfo) == "InvalidTag"
    s3.delete_bucket_tagging(Bucket=bucket)
    with pytest.raises(ClientError) as excinfo:
        s3.get_bucket_tagging(Bucket=bucket)
    assert error_code(excinfo) == "NoSuchTagSet"
    with pytest.raises(ClientError) as excinfo:
        s3.put_bucket_tagging(Bucket=bucket + "-none", Tagging={"TagSet": []})
    assert error_code(excinfo) == "NoSuchBucket"


# --- GetObjectAttributes ------------------------------------------------------------------------


def test_get_object_attributes(s3, bucket):
    data = os.urandom(1000)
    s3.put_object(Bucket=bucket, Key="k", Body=data, ChecksumAlgorithm="CRC32")
    answer = s3.get_object_attributes(
        Bucket=bucket, Key="k",
        ObjectAttributes=["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"])
    assert answer["ETag"] == hashlib.md5(data).hexdigest()
    assert answer["ObjectSize"] == 1000
    assert answer["StorageClass"] == "STANDARD"
    assert answer["Checksum"]["ChecksumCRC32"] == s3wire.checksum_b64("CRC32", data)
    # Older botocore models lack ChecksumType.
    assert answer["Checksum"].get("ChecksumType", "FULL_OBJECT") == "FULL_OBJECT"
    assert "ObjectParts" not in answer
    assert answer["LastModified"].timestamp() == pytest.approx(time.time(), abs=120)
    only = s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=["ObjectSize"])
    assert only["ObjectSize"] == 1000 and "ETag" not in only
    with pytest.raises(ClientError) as excinfo:
        s3.get_object_attributes(Bucket=bucket, Key="none", ObjectAttributes=["ETag"])
    assert error_code(excinfo) == "NoSuchKey"


def test_get_object_attributes_header_errors(raw, bucket):
    raw.request("PUT", bucket, "k", body=b"x")
    missing = raw.request("GET", bucket, "k", query=[("attributes", "")])
    assert missing.status == 400 and missing.error_code() == "InvalidRequest", missing
    unknown = raw.request("GET", bucket, "k", query=[("attributes", "")],
                          headers={"x-amz-object-attributes": "ETag,Colour"})
    assert unknown.status == 400 and unknown.error_code() == "InvalidArgument", unknown


def test_tagging_header_with_empty_values_stores_empty_strings(s3, bucket):
    # S3 reads "foo=" and a bare "bar" as tags whose value is the empty string.
    s3.put_object(Bucket=bucket, Key="t", Body=b"x", Tagging="foo=&bar")
    tags = s3.get_object_tagging(Bucket=bucket, Key="t")["TagSet"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("bar", ""), ("foo", "")]
