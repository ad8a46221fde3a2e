"""Virtual-hosted-style requests (`--domain`): the bucket comes from the Host header."""

from __future__ import annotations

import hashlib

import harness
import s3wire


def test_virtual_hosted_style_requests(stratus_factory):
    server = stratus_factory(extra_args=["--domain", "localhost"])
    raw = server.raw()
    bucket = harness.unique_bucket_name("vh")
    assert raw.request("PUT", bucket).status == 200

    def vhost(method, key, body=b"", headers=None):
        path = "/" + s3wire.uri_encode(key, encode_slash=False)
        all_headers = {"Host": f"{bucket}.localhost:{server.port}"}
        all_headers.update(headers or {})
        signed, _ = s3wire.sign_v4(server.creds, method, path, [], all_headers,
                                   hashlib.sha256(body).hexdigest())
        return raw.send(method, path, signed, body)

    r = vhost("PUT", "dir/obj one", b"virtual", {"Content-Type": "text/plain"})
    assert r.status == 200, r
    # The same object through path style, and back through the virtual host.
    assert raw.request("GET", bucket, "dir/obj one").body == b"virtual"
    r = vhost("GET", "dir/obj one")
    assert r.status == 200 and r.body == b"virtual", r
    r = vhost("GET", "missing")
    assert r.status == 404 and r.error_code() == "NoSuchKey", r
    assert vhost("DELETE", "dir/obj one").status == 204
    assert raw.request("HEAD", bucket, "dir/obj one").status == 404
