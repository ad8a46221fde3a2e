"""Request XML with a DTD or an undeclared entity is MalformedXML and changes nothing."""

from __future__ import annotations

import re

import s3wire

DTD = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x "expanded">]>'


def md5(body: bytes) -> dict[str, str]:
    return {"Content-MD5": s3wire.md5_b64(body)}


def refused(response) -> bool:
    return response.status == 400 and response.error_code() == "MalformedXML"


def test_dtds_and_entities_are_refused_in_every_request_document(stratus, bucket, bucket_name):
    raw = stratus.raw()
    assert raw.request("PUT", bucket, "k", body=b"x").status == 200
    tagging = (DTD + "<Tagging><TagSet><Tag><Key>&x;</Key><Value>v</Value></Tag></TagSet>"
               "</Tagging>").encode()
    for key in ("k", None):
        assert refused(raw.request("PUT", bucket, key, query=[("tagging", "")],
                                   headers=md5(tagging), body=tagging))
    assert b"<Tag>" not in raw.request("GET", bucket, "k", query=[("tagging", "")]).body

    cors = (DTD + "<CORSConfiguration><CORSRule><AllowedMethod>GET</AllowedMethod>"
            "<AllowedOrigin>&x;</AllowedOrigin></CORSRule></CORSConfiguration>").encode()
    assert refused(raw.request("PUT", bucket, query=[("cors", "")], headers=md5(cors), body=cors))
    assert raw.request("GET", bucket, query=[("cors", "")]).status == 404

    delete = (DTD + "<Delete><Object><Key>k</Key></Object></Delete>").encode()
    assert refused(raw.request("POST", bucket, query=[("delete", "")], headers=md5(delete),
                               body=delete))
    undeclared = b"<Delete><Object><Key>&xxe;</Key></Object></Delete>"
    assert refused(raw.request("POST", bucket, query=[("delete", "")], headers=md5(undeclared),
                               body=undeclared))
    assert raw.request("GET", bucket, "k").body == b"x"

    created = raw.request("POST", bucket, "m", query=[("uploads", "")])
    upload = re.search(rb"<UploadId>([^<]+)</UploadId>", created.body).group(1).decode()
    part = raw.request("PUT", bucket, "m", query=[("partNumber", "1"), ("uploadId", upload)],
                       body=b"p")
    complete = (DTD + "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"
                + part.header("etag") + "</ETag></Part></CompleteMultipartUpload>").encode()
    assert refused(raw.request("POST", bucket, "m", query=[("uploadId", upload)], body=complete))
    assert raw.request("HEAD", bucket, "m").status == 404

    config = (DTD + "<CreateBucketConfiguration><LocationConstraint>&x;</LocationConstraint>"
              "</CreateBucketConfiguration>").encode()
    assert refused(raw.request("PUT", bucket_name, body=config))
    assert raw.request("HEAD", bucket_name).status == 404


def test_parsed_bodies_share_one_memory_budget(stratus_factory):
    # 100 kB of budget: a 40 kB DeleteObjects body (charged 3x) does not fit, a small one does.
    server = stratus_factory(extra_args=["--parsed-body-memory", "100000"])
    raw = server.raw()
    assert raw.request("PUT", "parsed").status == 200
    assert raw.request("PUT", "parsed", "k", body=b"x").status == 200
    keys = "".join(f"<Object><Key>missing-{i:05d}-{'p' * 20}</Key></Object>" for i in range(800))
    big = f"<Delete>{keys}<Object><Key>k</Key></Object></Delete>".encode()
    assert len(big) > 34000
    response = raw.request("POST", "parsed", query=[("delete", "")], headers=md5(big), body=big)
    assert response.status == 503 and response.error_code() == "SlowDown", response.body
    assert b"spent" not in response.body  # the detail goes to the log only
    assert raw.request("HEAD", "parsed", "k").status == 200  # nothing deleted

    small = b"<Delete><Object><Key>k</Key></Object></Delete>"
    response = raw.request("POST", "parsed", query=[("delete", "")], headers=md5(small),
                           body=small)
    assert response.status == 200, response.body
    assert raw.request("HEAD", "parsed", "k").status == 404
