"""x-amz-storage-class: stored and answered as S3 does (src/s3/storage_class.cc)."""

from __future__ import annotations

import json

import pytest

import harness

AWS = list(harness.distinct_executables("/usr/bin/aws", "aws"))


def test_put_head_get_list_with_boto3(s3, bucket):
    s3.put_object(Bucket=bucket, Key="ia", Body=b"x", StorageClass="STANDARD_IA")
    s3.put_object(Bucket=bucket, Key="std", Body=b"y")
    assert s3.head_object(Bucket=bucket, Key="ia")["StorageClass"] == "STANDARD_IA"
    assert s3.get_object(Bucket=bucket, Key="ia")["StorageClass"] == "STANDARD_IA"
    # S3 names no class on HEAD/GET of a STANDARD object.
    head = s3.head_object(Bucket=bucket, Key="std")
    assert "x-amz-storage-class" not in head["ResponseMetadata"]["HTTPHeaders"], head
    classes = {o["Key"]: o["StorageClass"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]}
    assert classes == {"ia": "STANDARD_IA", "std": "STANDARD"}
    assert {o["Key"]: o["StorageClass"]
            for o in s3.list_objects(Bucket=bucket)["Contents"]} == classes


@pytest.mark.parametrize("name", ["GLACIER", "DEEP_ARCHIVE", "GOLD", "standard"])
def test_refused_classes_store_nothing(raw, bucket, name):
    r = raw.request("PUT", bucket, "k", headers={"x-amz-storage-class": name}, body=b"x")
    assert r.status == 400 and r.error_code() == "InvalidStorageClass", r
    r = raw.request("POST", bucket, "m", query=[("uploads", "")],
                    headers={"x-amz-storage-class": name})
    assert r.status == 400 and r.error_code() == "InvalidStorageClass", r
    assert raw.request("HEAD", bucket, "k").status == 404
    assert b"<Upload>" not in raw.request("GET", bucket, query=[("uploads", "")]).body


def test_copy_in_place_changes_only_the_class(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"data", Metadata={"colour": "blue"})
    src = {"Bucket": bucket, "Key": "k"}
    with pytest.raises(s3.exceptions.ClientError) as refused:
        s3.copy_object(Bucket=bucket, Key="k", CopySource=src)
    assert refused.value.response["Error"]["Code"] == "InvalidRequest"
    s3.copy_object(Bucket=bucket, Key="k", CopySource=src, StorageClass="ONEZONE_IA")
    head = s3.head_object(Bucket=bucket, Key="k")
    assert head["StorageClass"] == "ONEZONE_IA" and head["Metadata"] == {"colour": "blue"}
    # The same class again is no change: S3 refuses it.
    with pytest.raises(s3.exceptions.ClientError):
        s3.copy_object(Bucket=bucket, Key="k", CopySource=src, StorageClass="ONEZONE_IA")
    # A copy elsewhere is STANDARD unless it names a class, as on S3.
    s3.copy_object(Bucket=bucket, Key="other", CopySource=src)
    assert "StorageClass" not in s3.head_object(Bucket=bucket, Key="other")


def test_multipart_keeps_the_class(s3, bucket):
    up = s3.create_multipart_upload(Bucket=bucket, Key="m", StorageClass="INTELLIGENT_TIERING")
    part = s3.upload_part(Bucket=bucket, Key="m", UploadId=up["UploadId"], PartNumber=1,
                          Body=b"p" * 1024)
    assert s3.list_parts(Bucket=bucket, Key="m",
                         UploadId=up["UploadId"])["StorageClass"] == "INTELLIGENT_TIERING"
    s3.complete_multipart_upload(
        Bucket=bucket, Key="m", UploadId=up["UploadId"],
        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert s3.head_object(Bucket=bucket, Key="m")["StorageClass"] == "INTELLIGENT_TIERING"


@pytest.mark.parametrize("aws", AWS)
def test_aws_s3_cp_storage_class_round_trip(stratus, bucket, client_env, tmp_path, aws):
    source = tmp_path / "f"
    source.write_bytes(b"class act")
    client_env.run([aws, "--endpoint-url", stratus.endpoint, "s3", "cp", str(source),
                    f"s3://{bucket}/f", "--storage-class", "REDUCED_REDUNDANCY"])
    out = client_env.run([aws, "--endpoint-url", stratus.endpoint, "s3api", "head-object",
                          "--bucket", bucket, "--key", "f"])
    assert json.loads(out.stdout)["StorageClass"] == "REDUCED_REDUNDANCY"
    listed = client_env.run([aws, "--endpoint-url", stratus.endpoint, "s3api",
                             "list-objects-v2", "--bucket", bucket])
    assert json.loads(listed.stdout)["Contents"][0]["StorageClass"] == "REDUCED_REDUNDANCY"


def test_post_object_field(stratus, s3, bucket, tmp_path):
    post = s3.generate_presigned_post(bucket, "posted", Fields={"x-amz-storage-class":
                                                                  "STANDARD_IA"},
                                      Conditions=[{"x-amz-storage-class": "STANDARD_IA"}])
    import urllib.request
    import uuid
    boundary = uuid.uuid4().hex
    body = b""
    for name, value in post["fields"].items():
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n"
                 f"{value}\r\n").encode()
    body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
             f"filename=\"f\"\r\n\r\nposted bytes\r\n--{boundary}--\r\n").encode()
    request = urllib.request.Request(post["url"], data=body, method="POST", headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=30) as reply:
        assert reply.status in (200, 201, 204)
    assert s3.head_object(Bucket=bucket, Key="posted")["StorageClass"] == "STANDARD_IA"
