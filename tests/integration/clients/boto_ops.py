"""boto3 scenarios, run as a subprocess under each Python interpreter that has boto3 (Debian's
boto3 1.26 and a current one with default CRC checksums), so each SDK generation makes its own
requests. Asserts inside; exits non-zero on failure; prints one JSON object on success.

usage: boto_ops.py SCENARIO BUCKET [ARGS...]
environment: STRATUS_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION;
STRATUS_CA_BUNDLE (optional) to verify a TLS endpoint.
"""

import concurrent.futures
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
    # S3 reports the algorithm an object was uploaded with, and only that one; an object sent
    # with none reports the CRC64NVME S3 computes itself (when this botocore knows the field:
    # it sends CRC32 by default unless told to checksum only when required).
    if "ChecksumCRC64NVME" in members:
        try:
            quiet = client(request_checksum_calculation="when_required")
        except TypeError:
            quiet = s3  # a botocore from before default checksums sends none anyway
        quiet.put_object(Bucket=bucket, Key="checksum/none", Body=data)
        got = s3.head_object(Bucket=bucket, Key="checksum/none", ChecksumMode="ENABLED")
        assert got.get("ChecksumCRC64NVME") == s3wire.checksum_b64("crc64nvme", data), got
        s3.put_object(Bucket=bucket, Key="checksum/crc32", Body=data, ChecksumAlgorithm="CRC32")
        got = s3.head_object(Bucket=bucket, Key="checksum/crc32", ChecksumMode="ENABLED")
        reported = sorted(k for k in got if k.startswith("Checksum") and k != "ChecksumType")
        assert reported == ["ChecksumCRC32"], got
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
    }
    out = {name: list(error_code(fn, **kwargs)) for name, (fn, kwargs) in checks.items()}
    # S3's legacy us-east-1 rule: re-creating a bucket you own there succeeds.
    s3.create_bucket(Bucket=bucket)
    out["create-existing"] = ["OK", 200]
    assert out["get-missing-key"] == ["NoSuchKey", 404], out
    assert out["get-missing-bucket"] == ["NoSuchBucket", 404], out
    assert out["list-missing-bucket"] == ["NoSuchBucket", 404], out
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


def bucket_pages(prefix, *args):
    """ListBuckets by prefix in pages of two, with the paginator where botocore has one (its
    list_buckets gained MaxBuckets, ContinuationToken and Prefix in 2024)."""
    s3 = client()
    names = [f"{prefix}-p{i}" for i in range(5)]
    for name in names:
        s3.create_bucket(Bucket=name)
    try:
        listed = [b["Name"] for b in s3.list_buckets()["Buckets"]]
        assert set(names) <= set(listed), listed
        if not s3.can_paginate("list_buckets"):
            return {"paged": False}
        pages = list(s3.get_paginator("list_buckets").paginate(
            Prefix=prefix, PaginationConfig={"PageSize": 2}))
        got = [b["Name"] for page in pages for b in page["Buckets"]]
        assert got == names, (got, pages)
        assert [len(page["Buckets"]) for page in pages] == [2, 2, 1], pages
        assert all(page.get("Prefix") == prefix for page in pages), pages
        code, status = error_code(s3.list_buckets, MaxBuckets=10001)
        assert (code, status) == ("InvalidArgument", 400), (code, status)
        return {"paged": True}
    finally:
        for name in names:
            s3.delete_bucket(Bucket=name)


def sigv2(bucket, *args):
    """Signature V2 (signature_version='s3') on bucket-level and sub-resource requests, whose
    canonical resource botocore builds its own way ("/b/" for the bucket alone, the URI
    template's query before the sub-resources: "/b?location?location")."""
    s3 = client(signature_version="s3")
    tags = {"TagSet": [{"Key": "a", "Value": "b"}]}
    s3.create_bucket(Bucket=bucket)
    s3.head_bucket(Bucket=bucket)
    s3.put_object(Bucket=bucket, Key="k", Body=b"v2")
    s3.get_bucket_location(Bucket=bucket)
    assert [o["Key"] for o in s3.list_objects(Bucket=bucket)["Contents"]] == ["k"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["k"]
    s3.put_bucket_tagging(Bucket=bucket, Tagging=tags)
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == tags["TagSet"]
    s3.put_object_tagging(Bucket=bucket, Key="k", Tagging=tags)
    assert s3.get_object_tagging(Bucket=bucket, Key="k")["TagSet"] == tags["TagSet"]
    s3.list_multipart_uploads(Bucket=bucket)
    s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "k"}]})
    s3.delete_bucket_tagging(Bucket=bucket)
    s3.delete_bucket(Bucket=bucket)
    # A wrong secret still fails: the variants widen nothing.
    bad = boto3.session.Session().client(
        "s3", endpoint_url=os.environ["STRATUS_ENDPOINT"], aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key="wrong",
        region_name=os.environ.get("AWS_DEFAULT_REGION", "us-east-1"),
        config=Config(signature_version="s3", s3={"addressing_style": "path"},
                      retries={"total_max_attempts": 1, "mode": "standard"}))
    code, status = error_code(bad.list_buckets)
    assert (code, status) == ("SignatureDoesNotMatch", 403), (code, status)
    return {}


def listing_keys():
    """Keys for `paginators`: files beside folders of the same stem (so that pages mix Contents
    and CommonPrefixes), several depths, a folder marker, keys that need URL encoding, and keys
    holding the multi-character delimiter "ab"."""
    keys = []
    for a in range(100):
        keys += [f"dir{a:02d}-{j}" for j in range(2)]
        keys += [f"dir{a:02d}/file-{j}" for j in range(1 + a % 2)]
        if a % 10 == 0:
            keys.append(f"dir{a:02d}/sub/leaf")
    keys += [f"deep/a/b/c/d-{i}" for i in range(10)]
    for i in range(30):
        keys += [f"k{i:02d}a", f"k{i:02d}ab0", f"k{i:02d}ab1/x"]
    keys += ["dir05/", "dir03/sp ace+plus-\u00fc", "dir03-\u00fc \u00e9", "k07abab"]
    assert len(keys) == len(set(keys))
    return keys


def expected_listing(keys, prefix="", delimiter="", start_after=""):
    """(Contents keys, CommonPrefixes) S3 answers, from its definition: a key under the prefix
    whose rest contains the delimiter rolls up to everything up to and including it."""
    contents, prefixes = set(), set()
    for key in keys:
        if not key.startswith(prefix) or key <= start_after:  # code point order = UTF-8 order
            continue
        at = key.find(delimiter, len(prefix)) if delimiter else -1
        if at >= 0:
            prefixes.add(key[:at + len(delimiter)])
        else:
            contents.add(key)
    return contents, prefixes


def check_pages(s3, operation, bucket, keys, page_size, **params):
    """Pages through `operation` and checks every page and their union; returns the page count."""
    contents, prefixes = expected_listing(
        keys, params.get("Prefix", ""), params.get("Delimiter", ""), params.get("StartAfter", ""))
    case = (operation, page_size, params)
    pages = list(s3.get_paginator(operation).paginate(
        Bucket=bucket, PaginationConfig={"PageSize": page_size}, **params))
    assert len(pages) <= 1000, case
    got_keys, got_prefixes, entries = [], [], []
    for number, page in enumerate(pages):
        page_keys = [o["Key"] for o in page.get("Contents", [])]
        page_prefixes = [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        count = len(page_keys) + len(page_prefixes)
        last = number == len(pages) - 1
        where = (case, number, page_keys[:3], page_prefixes[:3])
        assert page["IsTruncated"] is (not last), where
        assert page["MaxKeys"] == page_size, (where, page["MaxKeys"])
        assert page.get("Prefix", "") == params.get("Prefix", ""), (where, page.get("Prefix"))
        assert page.get("Delimiter", "") == params.get("Delimiter", ""), where
        if operation == "list_objects_v2":
            assert page["KeyCount"] == count, (where, page["KeyCount"], count)
        # Every page but the last is full.
        if last:
            assert 0 < count <= page_size, (where, count)
        else:
            assert count == page_size, (where, count)
        assert page_keys == sorted(page_keys) and page_prefixes == sorted(page_prefixes), where
        got_keys += page_keys
        got_prefixes += page_prefixes
        entries += sorted(page_keys + page_prefixes)
    assert len(got_keys) == len(set(got_keys)), (case, "duplicate keys across pages")
    assert len(got_prefixes) == len(set(got_prefixes)), (case, "duplicate prefixes")
    assert entries == sorted(entries), (case, "pages out of order")
    assert set(got_keys) == contents, (case, sorted(set(got_keys) ^ contents)[:10])
    assert set(got_prefixes) == prefixes, (case, sorted(set(got_prefixes) ^ prefixes)[:10])
    total = len(contents) + len(prefixes)
    assert len(pages) == max(1, -(-total // page_size)), (case, len(pages), total)
    return len(pages)


def paginators(bucket, *args):
    """ListObjectsV2 and ListObjects paginators over more than three pages, with and without
    delimiters ("/", "-", "ab"), prefixes and StartAfter; then DeleteObjects empties the bucket."""
    s3 = client()
    keys = listing_keys()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda k: s3.put_object(Bucket=bucket, Key=k, Body=k.encode()), keys))
    cases = {
        "all": (100, {}),
        "slash": (100, {"Delimiter": "/"}),
        "dash": (75, {"Delimiter": "-"}),
        "ab": (100, {"Delimiter": "ab"}),
        "prefix-slash": (8, {"Prefix": "dir1", "Delimiter": "/"}),
        "prefix-ab": (25, {"Prefix": "k", "Delimiter": "ab"}),
        "prefix-dash": (5, {"Prefix": "dir0", "Delimiter": "-"}),
        "folder": (1, {"Prefix": "dir00/", "Delimiter": "/"}),
    }
    pages = {}
    for operation in ("list_objects_v2", "list_objects"):
        for name, (page_size, params) in cases.items():
            pages[f"{operation} {name}"] = check_pages(s3, operation, bucket, keys, page_size,
                                                       **params)
    pages["list_objects_v2 start-after"] = check_pages(
        s3, "list_objects_v2", bucket, keys, 100, StartAfter="dir49-1")
    for start in range(0, len(keys), 1000):
        answer = s3.delete_objects(Bucket=bucket, Delete={
            "Objects": [{"Key": k} for k in keys[start:start + 1000]], "Quiet": True})
        assert not answer.get("Errors"), answer["Errors"][:5]
    listing = s3.list_objects_v2(Bucket=bucket)
    assert listing["KeyCount"] == 0 and not listing.get("Contents"), listing
    return {"keys": len(keys), "pages": pages}


SCENARIOS = {f.__name__: f for f in (roundtrip, checksums, presign, errors, buckets,
                                     bucket_pages, sigv2, paginators)}


def main():
    scenario, bucket, *rest = sys.argv[1:]
    result = SCENARIOS[scenario](bucket, *rest)
    result["boto3"] = boto3.__version__
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
