"""The AWS SDK for JavaScript v3 (tests/integration/js, `make js-deps` installs it) with its
default checksum behaviour: CRC32 on upload (header or aws-chunked trailer), checksum
validation on download."""

from __future__ import annotations

import json
import shutil

import pytest

import harness

JS_DIR = harness.HERE / "js"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="node is not installed"),
    pytest.mark.skipif(not (JS_DIR / "node_modules" / "@aws-sdk" / "client-s3").is_dir(),
                       reason="JS SDK not installed: run `make js-deps` "
                              "(npm ci in tests/integration/js)"),
]


def test_put_get_with_default_checksums(client_env, bucket):
    proc = client_env.run([NODE, JS_DIR / "roundtrip.mjs", bucket], cwd=JS_DIR, timeout=240)
    results = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    assert len(results) == 8, results
    for key, result in results.items():
        # The SDK asks for checksums on GET; every object has at least its CRC64NVME.
        assert result["checksums"], (key, result)
