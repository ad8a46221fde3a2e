"""Whole trees and long listings against the real server: `aws s3 sync` of 2,000 nested files
up and back down, rclone sync/check, s3cmd sync/ls, and boto3's ListObjects(V2) paginators
over many pages with "/" and other delimiters (clients/boto_ops.py `paginators`). A sync only
finds what the listing shows, so a key lost or repeated between pages shows up here."""

from __future__ import annotations

import json
import os
import random
import shutil
import time

import pytest

import harness

CLIENT = harness.HERE / "clients" / "boto_ops.py"
AWS_V2 = "/usr/bin/aws"
# The 2,000-file tree goes through /usr/bin/aws (v2); a smaller one through the `aws` first on
# PATH when it is another program (v1, current botocore).
OTHER_AWS = [exe for exe in harness.distinct_executables(AWS_V2, "aws") if exe != AWS_V2] or [
    pytest.param(None, marks=pytest.mark.skip(reason="no aws-cli besides /usr/bin/aws"))]
PYTHONS = list(harness.boto3_pythons()) or [
    pytest.param(None, marks=pytest.mark.skip(reason="no python3 with boto3"))]
RCLONE = shutil.which("rclone")
S3CMD = shutil.which("s3cmd")

KIB = 1024
SIZES = [0, 1, 100, 1000, 2 * KIB, 4 * KIB + 1]
# Local files are older than anything uploaded, so a sync never re-sends an unchanged file
# because it was written in the same second as its upload.
AN_HOUR_AGO = time.time() - 3600


def make_tree(root, count, seed):
    """`count` small files under root at depths 0 to 4, some empty, a few named with spaces,
    '+' and non-ASCII; returns {relative path: bytes}."""
    rng = random.Random(seed)
    files = {}
    for n in range(count):
        dirs = [f"d{n % 7}", f"e{n % 4}", f"f{n % 3}", "g"][:n % 5]
        if n % 97 == 0:
            name = f"file {n:04d} \u00fc.txt"
        elif n % 89 == 0:
            name = f"file+{n:04d}.bin"
        else:
            name = f"file-{n:04d}.bin"
        data = rng.randbytes(SIZES[n % len(SIZES)])
        write(root, "/".join([*dirs, name]), data, files)
    return files


def write(root, relative, data, files):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    files[relative] = data


def read_tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in root.rglob("*") if p.is_file()}


def assert_same_tree(got, files):
    assert sorted(got) == sorted(files), (sorted(set(got) ^ set(files))[:10], len(got))
    different = [name for name in files if got[name] != files[name]]
    assert not different, different[:10]


def change_tree(root, files):
    """Deletes three files, rewrites two (one with the same size), adds two in a new directory;
    returns (deleted, rewritten or added)."""
    names = sorted(files)
    deleted = [names[5], names[len(names) // 2], names[-1]]
    for name in deleted:
        (root / name).unlink()
        del files[name]
    same_size = next(n for n in names[10:] if n not in deleted and len(files[n]) > 0)
    other_size = next(n for n in names[20:] if n not in deleted and n != same_size)
    changed = {
        same_size: bytes(b ^ 0xFF for b in files[same_size]),
        other_size: files[other_size] + b"appended",
        "new dir/added-1.bin": os.urandom(300),
        "new dir/deeper/added-2.bin": b"",
    }
    for name, data in changed.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)  # mtime now: newer than the uploaded copy
        files[name] = data
    return deleted, sorted(changed)


# --- aws-cli ------------------------------------------------------------------------------------


def aws(client_env, exe, *args, timeout=300, check=True):
    return client_env.run([exe, "--endpoint-url", client_env.server.endpoint, *args],
                          timeout=timeout, check=check)


def aws_ls_one_level(client_env, exe, url, *options):
    """(subdirectories from PRE lines, file names) of a delimiter listing by `aws s3 ls`."""
    out = aws(client_env, exe, "s3", "ls", *options, url).stdout.decode()
    dirs, names = [], []
    for line in out.splitlines():
        if line.split()[0] == "PRE":
            dirs.append(line.split("PRE ", 1)[1])
        else:
            names.append(line.split(maxsplit=3)[3])
    return sorted(dirs), sorted(names)


def expected_one_level(files):
    return (sorted({n.split("/")[0] + "/" for n in files if "/" in n}),
            sorted(n for n in files if "/" not in n))


def aws_ls_recursive(client_env, exe, url, *options):
    """{key: size} from `aws s3 ls --recursive` (keys in full, spaces kept)."""
    out = aws(client_env, exe, "s3", "ls", "--recursive", *options, url).stdout.decode()
    listed = {}
    for line in out.splitlines():
        _date, _time, size, key = line.split(maxsplit=3)
        assert key not in listed, (key, "listed twice")
        listed[key] = int(size)
    return listed


def aws_sync_lines(client_env, exe, *args):
    """What a sync did, as sorted (action, s3:// URL) pairs from its `upload: A to B`,
    `download: A to B` and `delete: B` lines (local paths are printed relative to the cwd)."""
    out = aws(client_env, exe, "s3", "sync", "--no-progress", *args).stdout.decode()
    done = []
    for line in out.splitlines():
        action, paths = line.split(": ", 1)
        url = [p for p in paths.split(" to ") if p.startswith("s3://")]
        assert len(url) == 1, line
        done.append((action, url[0]))
    return sorted(done)


@pytest.mark.skipif(not os.path.exists(AWS_V2), reason="aws-cli v2 not at /usr/bin/aws")
def test_aws_sync_2000_files(client_env, bucket, tmp_path):
    up = tmp_path / "up"
    files = make_tree(up, 2000, seed=1)
    target = f"s3://{bucket}/"
    aws(client_env, AWS_V2, "s3", "sync", "--only-show-errors", up, target)
    assert aws_ls_recursive(client_env, AWS_V2, target) == \
        {name: len(data) for name, data in files.items()}

    # The tree is in the bucket: a second sync sends nothing.
    assert aws_sync_lines(client_env, AWS_V2, up, target) == []

    # Only the changes travel; --delete removes what is gone locally.
    deleted, changed = change_tree(up, files)
    lines = aws_sync_lines(client_env, AWS_V2, "--delete", up, target)
    assert lines == sorted([("delete", f"{target}{name}") for name in deleted]
                           + [("upload", f"{target}{name}") for name in changed]), lines
    assert aws_ls_recursive(client_env, AWS_V2, target) == \
        {name: len(data) for name, data in files.items()}
    # One level, a delimiter listing over many pages: PRE lines and the top-level files.
    assert aws_ls_one_level(client_env, AWS_V2, target, "--page-size", "25") == \
        expected_one_level(files)

    down = tmp_path / "down"
    down.mkdir()
    aws(client_env, AWS_V2, "s3", "sync", "--only-show-errors", target, down)
    assert_same_tree(read_tree(down), files)

    aws(client_env, AWS_V2, "s3", "rm", "--recursive", "--only-show-errors", target)
    assert aws_ls_recursive(client_env, AWS_V2, target) == {}
    listing = client_env.server.raw().request("GET", bucket, query=[("list-type", "2")])
    assert listing.status == 200 and harness.list_keys(listing.body) == [], listing


@pytest.mark.parametrize("exe", OTHER_AWS)
def test_aws_sync_small_pages(client_env, bucket, exe, tmp_path):
    """A smaller tree through the other aws-cli with small pages: each listing takes several."""
    up = tmp_path / "up"
    files = make_tree(up, 150, seed=2)
    target = f"s3://{bucket}/tree/"
    aws(client_env, exe, "s3", "sync", "--only-show-errors", "--page-size", "40", up, target)
    assert aws_ls_recursive(client_env, exe, target, "--page-size", "40") == \
        {f"tree/{name}": len(data) for name, data in files.items()}

    assert aws_ls_one_level(client_env, exe, target, "--page-size", "3") == \
        expected_one_level(files)

    assert aws_sync_lines(client_env, exe, "--page-size", "40", up, target) == []
    down = tmp_path / "down"
    down.mkdir()
    aws(client_env, exe, "s3", "sync", "--only-show-errors", "--page-size", "40", target, down)
    assert_same_tree(read_tree(down), files)
    aws(client_env, exe, "s3", "rm", "--recursive", "--only-show-errors", "--page-size", "40",
        target)
    assert aws_ls_recursive(client_env, exe, f"s3://{bucket}/") == {}


# --- boto3 paginators ---------------------------------------------------------------------------


@pytest.mark.parametrize("python", PYTHONS)
def test_boto3_paginators(client_env, bucket, python):
    proc = client_env.run([python, CLIENT, "paginators", bucket], timeout=240)
    out = json.loads(proc.stdout.decode().strip().splitlines()[-1])
    assert out["keys"] > 350, out
    pages = out["pages"]
    for operation in ("list_objects_v2", "list_objects"):
        for case in ("all", "slash", "dash", "ab", "prefix-slash", "prefix-dash"):
            assert pages[f"{operation} {case}"] > 3, (operation, case, pages)
    assert pages["list_objects_v2 start-after"] > 1, pages


# --- rclone -------------------------------------------------------------------------------------


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
        # Pages of 50 keys, so every listing of the tree takes several.
        "RCLONE_S3_LIST_CHUNK": "50",
    }

    def run(*args, check=True, timeout=180):
        return client_env.run([RCLONE, "--retries", "1", "--low-level-retries", "1",
                               "--contimeout", "10s", "--timeout", "60s", *args],
                              extra_env=env, check=check, timeout=timeout)

    return run


def rclone_check(rclone, local, remote, files, *options):
    proc = rclone("check", *options, local, remote)
    stderr = proc.stderr.decode()
    assert "0 differences found" in stderr, stderr
    assert f"{len(files)} matching files" in stderr, stderr


@pytest.mark.skipif(RCLONE is None, reason="rclone is not installed")
def test_rclone_sync_check(rclone, bucket, tmp_path):
    up = tmp_path / "up"
    files = make_tree(up, 300, seed=3)
    remote = f"stratus:{bucket}/tree"
    rclone("sync", up, remote)
    rclone_check(rclone, up, remote, files)
    listed = rclone("lsf", "-R", "--files-only", remote).stdout.decode().splitlines()
    assert sorted(listed) == sorted(files), sorted(set(listed) ^ set(files))[:10]

    change_tree(up, files)
    rclone("sync", up, remote)
    # Directory by directory (delimiter listings) and in one recursive listing.
    rclone_check(rclone, up, remote, files)
    rclone_check(rclone, up, remote, files, "--fast-list")
    listed = rclone("lsf", "-R", "--files-only", "--fast-list", remote).stdout.decode()
    assert sorted(listed.splitlines()) == sorted(files), listed

    down = tmp_path / "down"
    rclone("copy", remote, down)
    assert_same_tree(read_tree(down), files)


# --- s3cmd --------------------------------------------------------------------------------------


def s3cmd_config(server, path):
    hostport = f"{server.host}:{server.port}"
    path.write_text(
        "[default]\n"
        f"access_key = {server.access_key}\n"
        f"secret_key = {server.secret_key}\n"
        f"host_base = {hostport}\n"
        f"host_bucket = {hostport}\n"
        "use_https = False\n"
        "signature_v2 = False\n"
        f"bucket_location = {server.region}\n"
        "enable_multipart = False\n"
        "socket_timeout = 60\n"
        "max_retries = 1\n"
        "progress_meter = False\n"
    )


def s3cmd_ls(output):
    """{name: size or None for a DIR} from `s3cmd ls` output."""
    listed = {}
    for line in output.splitlines():
        if not line.strip():
            continue
        url = line[line.index("s3://"):]
        fields = line[:line.index("s3://")].split()
        assert url not in listed, (url, "listed twice")
        listed[url] = None if fields == ["DIR"] else int(fields[-1])
    return listed


@pytest.mark.skipif(S3CMD is None, reason="s3cmd is not installed")
def test_s3cmd_sync_ls(client_env, bucket, tmp_path):
    config = tmp_path / "s3cfg"
    s3cmd_config(client_env.server, config)

    def s3cmd(*args):
        return client_env.run([S3CMD, "-c", config, *args], timeout=180)

    up = tmp_path / "up"
    files = make_tree(up, 120, seed=4)
    base = f"s3://{bucket}/tree/"
    s3cmd("sync", f"{up}/", base)

    top = s3cmd_ls(s3cmd("ls", base).stdout.decode())
    expected = {base + n.split("/")[0] + "/": None for n in files if "/" in n}
    expected.update({base + n: len(data) for n, data in files.items() if "/" not in n})
    assert top == expected, sorted(set(top) ^ set(expected))
    everything = s3cmd_ls(s3cmd("ls", "--recursive", f"s3://{bucket}/").stdout.decode())
    assert everything == {base + n: len(data) for n, data in files.items()}, \
        sorted(set(everything) ^ {base + n for n in files})[:10]

    down = tmp_path / "down"
    down.mkdir()
    s3cmd("sync", base, f"{down}/")
    assert_same_tree(read_tree(down), files)

    # The changes go up (--delete-removed drops what is gone), then down into the old copy.
    change_tree(up, files)
    s3cmd("sync", "--delete-removed", f"{up}/", base)
    everything = s3cmd_ls(s3cmd("ls", "--recursive", base).stdout.decode())
    assert everything == {base + n: len(data) for n, data in files.items()}, \
        sorted(set(everything) ^ {base + n for n in files})[:10]
    s3cmd("sync", "--delete-removed", base, f"{down}/")
    assert_same_tree(read_tree(down), files)


@pytest.mark.parametrize("list_type", [[("list-type", "2")], []])
def test_max_keys_zero_is_an_empty_page_not_truncated(stratus, bucket, list_type):
    raw = stratus.raw()
    assert raw.request("PUT", bucket, "k", body=b"x").status == 200
    response = raw.request("GET", bucket, query=list_type + [("max-keys", "0")])
    assert response.status == 200, response
    assert b"<IsTruncated>false</IsTruncated>" in response.body, response.body
    assert b"<Contents>" not in response.body
    assert b"<MaxKeys>0</MaxKeys>" in response.body
