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
