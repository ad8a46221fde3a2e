"""rclone (S3 remote configured from the environment) and s3cmd (SigV4 and SigV2) round trips
against the real server."""

from __future__ import annotations

import hashlib
import os
import shutil

import pytest

KIB = 1024
SIZES = [0, 1, 128 * KIB - 1, 128 * KIB, 128 * KIB + 1, 20 * KIB * KIB]
RCLONE = shutil.which("rclone")
S3CMD = shutil.which("s3cmd")


def make_tree(root, names_sizes):
    root.mkdir(parents=True, exist_ok=True)
    files = {}
    for name, size in names_sizes:
        data = os.urandom(size)
        (root / name).write_bytes(data)
        files[name] = hashlib.sha256(data).hexdigest()
    return files


def tree_hashes(root):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.iterdir()}


# --- rclone -----------------------------------------------------------------------------------


@pytest.fixture
def rclone(client_env):
    server = client_env.server
    empty = client_env.home / "rclone.conf"
    empty.write_text("")
    env = {
        "RCLONE_CONFIG": str(empty),
        "RCLONE_CONFIG_STRATUS_TYPE": "s3",
        "RCLONE_CONFIG_STRATUS_PROVIDER": "Other",
        "RCLONE_CONFIG_STRATUS_ENDPOINT": server.endpoint,
        "RCLONE_CONFIG_STRATUS_ACCESS_KEY_ID": server.access_key,
        "RCLONE_CONFIG_STRATUS_SECRET_ACCESS_KEY": server.secret_key,
        "RCLONE_CONFIG_STRATUS_REGION": server.region,
        "RCLONE_CONFIG_STRATUS_FORCE_PATH_STYLE": "true",
    }

    def run(*args, check=True, timeout=180):
        return client_env.run([RCLONE, "--retries", "1", "--low-level-retries", "1",
                               "--contimeout", "10s", "--timeout", "60s", *args],
                              extra_env=env, check=check, timeout=timeout)

    return run


@pytest.mark.skipif(RCLONE is None, reason="rclone is not installed")
def test_rclone_copy_lsf_check(rclone, bucket_name, tmp_path):
    names = [(f"f{size}", size) for size in SIZES] + [("name with spaces ü.txt", 10)]
    up = tmp_path / "up"
    files = make_tree(up, names)
    rclone("mkdir", f"stratus:{bucket_name}")
    rclone("copy", up, f"stratus:{bucket_name}/dir")
    listed = rclone("lsf", f"stratus:{bucket_name}/dir").stdout.decode().splitlines()
    assert sorted(listed) == sorted(files), listed
    sizes = rclone("lsf", "--format", "ps", f"stratus:{bucket_name}/dir").stdout.decode()
    assert {line.rsplit(";", 1)[0]: int(line.rsplit(";", 1)[1])
            for line in sizes.splitlines()} == dict(names), sizes
    # check compares sizes and MD5 (the ETag) of every file.
    rclone("check", up, f"stratus:{bucket_name}/dir")
    down = tmp_path / "down"
    rclone("copy", f"stratus:{bucket_name}/dir", down)
    assert tree_hashes(down) == files
    # A changed local file makes check fail.
    (up / "f1").write_bytes(b"\x00" if (up / "f1").read_bytes() != b"\x00" else b"\x01")
    proc = rclone("check", up, f"stratus:{bucket_name}/dir", check=False)
    assert proc.returncode != 0, proc
    rclone("delete", f"stratus:{bucket_name}/dir")
    assert rclone("lsf", f"stratus:{bucket_name}").stdout.decode() == ""
    rclone("rmdir", f"stratus:{bucket_name}")
    listed = rclone("lsf", "stratus:").stdout.decode().splitlines()
    assert f"{bucket_name}/" not in listed, listed


# --- s3cmd ------------------------------------------------------------------------------------


def s3cmd_config(server, path, signature_v2):
    hostport = f"{server.host}:{server.port}"
    path.write_text(
        "[default]\n"
        f"access_key = {server.access_key}\n"
        f"secret_key = {server.secret_key}\n"
        f"host_base = {hostport}\n"
        f"host_bucket = {hostport}\n"
        "use_https = False\n"
        f"signature_v2 = {signature_v2}\n"
        f"bucket_location = {server.region}\n"
        "enable_multipart = False\n"
        "socket_timeout = 60\n"
        "max_retries = 1\n"
        "progress_meter = False\n"
    )


@pytest.mark.skipif(S3CMD is None, reason="s3cmd is not installed")
@pytest.mark.parametrize("signature_v2", [False, True], ids=["sigv4", "sigv2"])
def test_s3cmd(client_env, bucket_name, tmp_path, signature_v2):
    config = tmp_path / "s3cfg"
    s3cmd_config(client_env.server, config, signature_v2)

    def s3cmd(*args, check=True):
        return client_env.run([S3CMD, "-c", config, *args], check=check, timeout=180)

    s3cmd("mb", f"s3://{bucket_name}")
    assert f"s3://{bucket_name}" in s3cmd("ls").stdout.decode()
    files = make_tree(tmp_path / "up", [(f"f{size}", size) for size in SIZES])
    s3cmd("put", *[tmp_path / "up" / name for name in files], f"s3://{bucket_name}/dir/")
    listing = s3cmd("ls", f"s3://{bucket_name}/dir/").stdout.decode()
    listed = {line.split()[-1].rsplit("/", 1)[-1]: int(line.split()[-2])
              for line in listing.splitlines() if line.strip()}
    assert listed == {f"f{size}": size for size in SIZES}, listing
    down = tmp_path / "down"
    down.mkdir()
    s3cmd("get", "--recursive", f"s3://{bucket_name}/dir/", f"{down}/")
    assert tree_hashes(down) == files
    proc = s3cmd("rb", f"s3://{bucket_name}", check=False)
    assert proc.returncode != 0, proc
    s3cmd("del", *[f"s3://{bucket_name}/dir/{name}" for name in files])
    assert s3cmd("ls", f"s3://{bucket_name}/dir/").stdout.decode().strip() == ""
    s3cmd("rb", f"s3://{bucket_name}")
    assert f"s3://{bucket_name}" not in s3cmd("ls").stdout.decode()
