"""boto3 scenarios, run as a subprocess under each Python interpreter that has boto3 (Debian's
boto3 1.26 and a current one with default CRC checksums), so each SDK generation makes its own
requests. Asserts inside; exits non-zero on failure; prints one JSON object on success.

usage: boto_ops.py SCENARIO BUCKET [ARGS...]
environment: STRATUS_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION;
STRATUS_CA_BUNDLE (optional) to verify a TLS endpoint.
"""

import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import boto3  # noqa: E402
import botocore  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

import s3wire  # noqa: E402

KIB = 1024
SIZES = [0, 1, 128 * KIB - 1, 128 * KIB, 128 * KIB + 1, 20 * KIB * KIB]


def client(**overrides):
    cfg = dict(s3={"addressing_style": "path"},
               retries={"total_max_attempts": 1, "mode": "standard"},  # no retries
               connect_timeout=10, read_timeout=120)
    cfg.update(overrides)
    return boto3.session.Session().client(
        "s3",
        endpoint_url=os.environ["STRATUS_ENDPOINT"],
        region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        verify=os.environ.get("STRATUS_CA_BUNDLE") or None,
        config=Config(**cfg),
    )


def error_code(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
    except ClientError as exc:
        return exc.response["Error"]["Code"], exc.response["ResponseMetadata"]["HTTPStatusCode"]
    raise AssertionError(f"{fn.__name__} succeeded, expected an error")


def sha(data):
    return hashlib.sha256(data).hexdigest()


def roundtrip(bucket, *args):
    """PutObject / GetObject / HeadObject / ListObjectsV2 / DeleteObject for every size."""
    s3 = client()
    results = {}
    for size in SIZES:
        key = f"roundtrip/size-{size}"
        data = os.urandom(size)
        put = s3.put_object(Bucket=bucket, Key=key, Body=data)
        assert put["ETag"] == '"%s"' % hashlib.md5(data).hexdigest(), (size, put["ETag"])
        head = s3.head_object(Bucket=bucket, Key=key)
        assert head["ContentLength"] == size, (size, head["ContentLength"])
        assert head["ETag"] == put["ETag"]
        got = s3.get_object(Bucket=bucket, Key=key)
        body = got["Body"].read()
        assert len(body) == size and sha(body) == sha(data), (size, len(body))
        assert got["ContentLength"] == size
        results[size] = put["ETag"]
    listing = s3.list_objects_v2(Bucket=bucket, Prefix="roundtrip/")
    listed = {o["Key"]: o["Size"] for o in listing.get("Contents", [])}
    assert listed == {f"roundtrip/size-{s}": s for s in SIZES}, listed
    for size in SIZES:
        s3.delete_object(Bucket=bucket, Key=f"roundtrip/size-{size}")
    code, status = error_code(s3.get_object, Bucket=bucket, Key="roundtrip/size-1")
    assert (code, status) == ("NoSuchKey", 404), (code, status)
    # Deleting a missing key still answers 204.
    deleted = s3.delete_object(Bucket=bucket, Key="roundtrip/never-existed")
    assert deleted["ResponseMetadata"]["HTTPStatusCode"] == 204, deleted
    listing = s3.list_objects_v2(Bucket=bucket, Prefix="roundtrip/")
    assert listing.get("KeyCount", 0) == 0 and not listing.get("Contents"), listing
    return {"etags": results}


def supported_algorithms():
    from botocore import httpchecksum

    names = set(getattr(httpchecksum, "_CHECKSUM_CLS", {}).keys())
    return [a for a in ("crc32", "crc32c", "crc64nvme", "sha1", "sha256") if a in names]


def checksums(bucket, *args):
    """ChecksumAlgorithm= for every algorithm this botocore can compute; then a wrong value."""
    s3 = client()
    done = {}
    data = os.urandom(3000)
    for algorithm in supported_algorithms():
        key = f"checksum/{algorithm}"
        field = "Checksum" + algorithm.upper()
        expected = s3wire.checksum_b64(algorithm, data)
        put = s3.put_object(Bucket=bucket, Key=key, Body=data,
                            ChecksumAlgorithm=algorithm.upper())
        assert put.get(field) == expected, (algorithm, put)
        got = s3.get_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        assert got["Body"].read() == data
        assert got.get(field) == expected, (algorithm, {k: v for k, v in got.items()
                                                        if k.startswith("Checksum")})
        head = s3.head_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        assert head.get(field) == expected, (algorithm, head)
        done[algorithm] = expected
    # Algorithms this botocore cannot compute (no CRT) but whose parameter it knows: send a
    # precomputed value as the x-amz-checksum-* header.
    members = s3.meta.service_model.operation_model("PutObject").input_shape.members
    for algorithm in ("crc32c", "crc64nvme"):
        field = "Checksum" + algorithm.upper()
        if algorithm in done or field not in members:
            continue
        key = f"checksum/precomputed-{algorithm}"
        expected = s3wire.checksum_b64(algorithm, data)
        s3.put_object(Bucket=bucket, Key=key, Body=data, **{field: expected})
        got = s3.get_object(Bucket=bucket, Key=key, ChecksumMode="ENABLED")
        assert got["Body"].read() == data
        assert got.get(field) == expected, (algorithm, {k: v for k, v in got.items()
                                                        if k.startswith("Checksum")})
        done[algorithm] = expected
    # Every object has a CRC64NVME, whatever was sent (when this botocore knows the field).
    if "ChecksumCRC64NVME" in members:
        s3.put_object(Bucket=bucket, Key="checksum/none", Body=data)
        got = s3.head_object(Bucket=bucket, Key="checksum/none", ChecksumMode="ENABLED")
        assert got.get("ChecksumCRC64NVME") == s3wire.checksum_b64("crc64nvme", data), got
    # A precomputed value that does not match the body: BadDigest, nothing stored.
    for algorithm in ("crc32", "sha256"):
        key = f"checksum/wrong-{algorithm}"
        wrong = s3wire.checksum_b64(algorithm, data + b"x")
        code, status = error_code(s3.put_object, Bucket=bucket, Key=key, Body=data,
                                  **{"Checksum" + algorithm.upper(): wrong})
        assert (code, status) == ("BadDigest", 400), (algorithm, code, status)
        code, status = error_code(s3.head_object, Bucket=bucket, Key=key)
        assert status == 404, (algorithm, code, status)
    return {"algorithms": done, "botocore": botocore.__version__}


def presign(bucket, key, *args):
    """Presigned GET and PUT URLs: SigV4 explicitly, the SDK's default, and SigV2."""
    urls = {}
    for name, version in (("s3v4", "s3v4"), ("default", None), ("v2", "s3")):
        kwargs = {} if version is None else {"signature_version": version}
        s3 = client(**kwargs)
        urls[name] = {
            "get": s3.generate_presigned_url(
                "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=600),
            "put": s3.generate_presigned_url(
                "put_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=600),
        }
    return {"urls": urls}


def errors(bucket, *args):
    s3 = client()
    checks = {
        "get-missing-key": (s3.get_object, dict(Bucket=bucket, Key="no/such/key")),
        "get-missing-bucket": (s3.get_object, dict(Bucket=bucket + "-missing", Key="k")),
        "list-missing-bucket": (s3.list_objects_v2, dict(Bucket=bucket + "-missing")),
        "create-existing": (s3.create_bucket, dict(Bucket=bucket)),
    }
    out = {name: list(error_code(fn, **kwargs)) for name, (fn, kwargs) in checks.items()}
    assert out["get-missing-key"] == ["NoSuchKey", 404], out
    assert out["get-missing-bucket"] == ["NoSuchBucket", 404], out
    assert out["list-missing-bucket"] == ["NoSuchBucket", 404], out
    assert out["create-existing"] == ["BucketAlreadyOwnedByYou", 409], out
    return out


def buckets(bucket, *args):
    """CreateBucket/HeadBucket/ListBuckets/GetBucketLocation/DeleteBucket on a new name."""
    s3 = client()
    s3.create_bucket(Bucket=bucket)
    s3.head_bucket(Bucket=bucket)
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert bucket in names, names
    location = s3.get_bucket_location(Bucket=bucket)["LocationConstraint"]
    assert location in (None, "", "us-east-1"), location
    s3.put_object(Bucket=bucket, Key="x", Body=b"x")
    code, status = error_code(s3.delete_bucket, Bucket=bucket)
    assert (code, status) == ("BucketNotEmpty", 409), (code, status)
    s3.delete_object(Bucket=bucket, Key="x")
    s3.delete_bucket(Bucket=bucket)
    try:
        s3.head_bucket(Bucket=bucket)
        raise AssertionError("bucket still exists")
    except ClientError as exc:
        assert exc.response["ResponseMetadata"]["HTTPStatusCode"] == 404, exc.response
    return {"location": location}


SCENARIOS = {f.__name__: f for f in (roundtrip, checksums, presign, errors, buckets)}


def main():
    scenario, bucket, *rest = sys.argv[1:]
    result = SCENARIOS[scenario](bucket, *rest)
    result["boto3"] = boto3.__version__
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
