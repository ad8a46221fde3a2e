"""Fixtures of the integration suite: the real stratus binary on 127.0.0.1:0 with a temporary
data directory, driven by real S3 clients (see harness.py for the machinery).

- `stratus`: one server for the whole session (most tests).
- `stratus_factory`: private servers with their own data directory (crash tests); each can be
  killed and restarted on the same directory.
- `bucket`: a fresh, uniquely named bucket on the session server, emptied and removed after.
- `client_env`: environment for client subprocesses with no user configuration leaking in.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import harness  # noqa: E402


def pytest_configure(config):
    # The in-process boto3 (pytest's own interpreter) reads no user configuration either.
    config._stratus_awsconfig = Path(tempfile.mkdtemp(prefix="stratus-it-awsconfig-"))
    empty = config._stratus_awsconfig / "empty"
    empty.write_text("")
    for name in ("AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        os.environ[name] = str(empty)
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL",
                 "AWS_REQUEST_CHECKSUM_CALCULATION", "AWS_RESPONSE_CHECKSUM_VALIDATION"):
        os.environ.pop(name, None)


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "_stratus_awsconfig", ""), ignore_errors=True)


@pytest.fixture(scope="session")
def _tmp_root():
    root = Path(tempfile.mkdtemp(prefix="stratus-it-"))
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def stratus(_tmp_root):
    server = harness.new_server(_tmp_root, "session").start()
    yield server
    died = server.proc is not None and server.proc.poll() is not None
    code = server.close()
    if died:
        pytest.fail(f"the session's stratus died during the run; last output:\n"
                    f"{server.logs()[-4000:]}")
    assert code == 0, f"stratus exited {code} on SIGTERM; last output:\n{server.logs()[-4000:]}"


@pytest.fixture
def stratus_factory(_tmp_root):
    servers: list[harness.Server] = []

    def make(**kwargs) -> harness.Server:
        server = harness.new_server(_tmp_root, "private", **kwargs)
        servers.append(server)
        return server.start()

    yield make
    for server in servers:
        server.close()
        shutil.rmtree(server.data_dir.parent, ignore_errors=True)


@pytest.fixture
def bucket(stratus):
    """A fresh bucket created with a raw signed request; emptied and deleted afterwards."""
    stratus.assert_alive()
    name = harness.unique_bucket_name()
    response = stratus.raw().request("PUT", name)
    assert response.status == 200, response
    yield name
    harness.empty_and_delete(stratus, name)


@pytest.fixture
def bucket_name(stratus):
    """A unique name for a bucket the test creates itself (removed afterwards if it exists)."""
    stratus.assert_alive()
    name = harness.unique_bucket_name()
    yield name
    harness.empty_and_delete(stratus, name)


@pytest.fixture
def s3(stratus):
    """An in-process boto3 client (the interpreter running pytest), path-style, no retries."""
    return stratus.boto3_client()


@pytest.fixture
def raw(stratus):
    return stratus.raw()


@pytest.fixture
def client_env(stratus, tmp_path):
    return harness.make_client_env(stratus, tmp_path / "home")
