"""Shared machinery of the integration suite (imported by conftest.py and the tests): the
stratus process, unique names, client subprocess environments, interpreter discovery."""

from __future__ import annotations

import functools
import importlib.util
import itertools
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import s3wire  # noqa: E402

REPO_ROOT = HERE.parent.parent
DEFAULT_BINARY = REPO_ROOT / "build" / "release" / "stratus"
ROOT_USER = "stratusroot"
ROOT_PASSWORD = "stratus-root-secret-for-tests-0123456789"
REGION = "us-east-1"
START_TIMEOUT = 20.0
LISTEN_RE = re.compile(r"listening on (https?://\S+)")


def binary_path() -> Path:
    return Path(os.environ.get("STRATUS_BINARY") or DEFAULT_BINARY)


@dataclass
class Server:
    """A running stratus process. restart() keeps the data directory."""

    data_dir: Path
    log_path: Path
    access_key: str = ROOT_USER
    secret_key: str = ROOT_PASSWORD
    region: str = REGION
    extra_args: list = field(default_factory=list)
    env_credentials: bool = True  # False: let the server create and print its own
    proc: subprocess.Popen | None = None
    endpoint: str = ""
    host: str = ""
    port: int = 0
    _logs: list = field(default_factory=list)

    def start(self) -> "Server":
        binary = binary_path()
        if not binary.exists():
            pytest.fail(f"stratus binary not found at {binary} (set STRATUS_BINARY)")
        env = dict(os.environ)
        if self.env_credentials:
            env["STRATUS_ROOT_USER"] = self.access_key
            env["STRATUS_ROOT_PASSWORD"] = self.secret_key
        else:
            env.pop("STRATUS_ROOT_USER", None)
            env.pop("STRATUS_ROOT_PASSWORD", None)
        log = open(self.log_path, "ab")
        self._logs.append(log)
        start_offset = log.tell()
        self.proc = subprocess.Popen(
            [str(binary), "server", str(self.data_dir), "--address", "127.0.0.1:0",
             "--region", self.region, *self.extra_args],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            text = self.log_path.read_bytes()[start_offset:].decode(errors="replace")
            match = LISTEN_RE.search(text)
            if match:
                self.endpoint = match.group(1).rstrip("/")
                hostport = self.endpoint.split("://", 1)[1]
                self.host, port = hostport.rsplit(":", 1)
                self.port = int(port)
                return self
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        output = self.log_path.read_bytes()[start_offset:].decode(errors="replace")
        self.stop()
        pytest.fail(
            f"stratus did not print its listening line within {START_TIMEOUT}s "
            f"(exit code {self.proc.returncode}); output:\n{output[-4000:]}"
        )

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM, then SIGKILL after timeout. Returns the exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode

    def assert_alive(self) -> None:
        """Fails with the server's last output when the process has died."""
        if self.proc is None or self.proc.poll() is not None:
            code = None if self.proc is None else self.proc.returncode
            pytest.fail(f"stratus is not running (exit code {code}); last output:\n"
                        f"{self.logs()[-4000:]}")

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def restart(self) -> "Server":
        self.stop()
        return self.start()

    def close(self) -> int | None:
        try:
            return self.stop()
        finally:
            for log in self._logs:
                log.close()

    def logs(self) -> str:
        return self.log_path.read_bytes().decode(errors="replace")

    @property
    def creds(self) -> s3wire.Creds:
        return s3wire.Creds(self.access_key, self.secret_key, self.region)

    def raw(self, timeout: float = 30.0) -> s3wire.Raw:
        return s3wire.Raw(self.host, self.port, self.creds, timeout=timeout)

    def boto3_client(self, **config):
        import boto3
        from botocore.config import Config

        cfg = dict(
            s3={"addressing_style": "path"},
            retries={"total_max_attempts": 1, "mode": "standard"},
            connect_timeout=10,
            read_timeout=60,
        )
        cfg.update(config)
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name=self.region,
            config=Config(**cfg),
        )


def new_server(tmp_root: Path, name: str, **kwargs) -> Server:
    base = Path(tempfile.mkdtemp(prefix=f"stratus-{name}-", dir=tmp_root))
    data = base / "data"
    data.mkdir()
    return Server(data_dir=data, log_path=base / "server.log", **kwargs)


_counter = itertools.count()
_run_id = uuid.uuid4().hex[:8]


def unique_bucket_name(prefix: str = "it") -> str:
    return f"{prefix}-{_run_id}-{next(_counter)}-{uuid.uuid4().hex[:6]}"


def empty_and_delete(server: Server, name: str) -> None:
    """Best-effort cleanup through the raw client (works whatever the SDK)."""
    raw = server.raw(timeout=10)
    try:
        for _ in range(50):
            listing = raw.request("GET", name,
                                  query=[("list-type", "2"), ("encoding-type", "url")])
            if listing.status != 200:
                break
            keys = [urllib.parse.unquote_plus(k) for k in list_keys(listing.body)]
            if not keys:
                break
            for key in keys:
                raw.request("DELETE", name, key)
        raw.request("DELETE", name)
    except OSError:
        pass


def list_keys(body: bytes) -> list[str]:
    """The <Key> of every <Contents> of a ListObjects(V2) answer, as written in the XML."""
    root = ET.fromstring(body)
    keys = []
    for elem in root.iter():
        if elem.tag.rsplit("}", 1)[-1] == "Contents":
            for child in elem:
                if child.tag.rsplit("}", 1)[-1] == "Key":
                    keys.append(child.text or "")
    return keys


# ---------------------------------------------------------------------------------------------
# Client subprocesses


@dataclass
class ClientEnv:
    env: dict
    home: Path
    server: Server

    def run(self, args, timeout: float = 120, input: bytes | None = None, check: bool = True,
            cwd=None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
        env = dict(self.env)
        env.update(extra_env or {})
        try:
            proc = subprocess.run(
                [str(a) for a in args], env=env, input=input, capture_output=True,
                timeout=timeout, cwd=cwd or self.home,
            )
        except subprocess.TimeoutExpired as exc:
            pytest.fail(f"timed out after {timeout}s: {args}\nstdout: {exc.stdout!r}\n"
                        f"stderr: {exc.stderr!r}")
        if check and proc.returncode != 0:
            pytest.fail(
                f"command failed ({proc.returncode}): {' '.join(map(str, args))}\n"
                f"stdout:\n{proc.stdout.decode(errors='replace')[-3000:]}\n"
                f"stderr:\n{proc.stderr.decode(errors='replace')[-3000:]}"
            )
        return proc


def make_client_env(server: Server, home: Path) -> ClientEnv:
    home.mkdir(parents=True, exist_ok=True)
    config = home / "aws-config"
    credentials = home / "aws-credentials"
    config.write_text("")
    credentials.write_text("")
    keep = ("PATH", "PYENV_ROOT", "PYENV_VERSION", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(
        HOME=str(home),
        AWS_ACCESS_KEY_ID=server.access_key,
        AWS_SECRET_ACCESS_KEY=server.secret_key,
        AWS_DEFAULT_REGION=server.region,
        AWS_REGION=server.region,
        AWS_CONFIG_FILE=str(config),
        AWS_SHARED_CREDENTIALS_FILE=str(credentials),
        AWS_EC2_METADATA_DISABLED="true",
        AWS_PAGER="",
        AWS_MAX_ATTEMPTS="1",
        STRATUS_ENDPOINT=server.endpoint,
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.setdefault("LANG", "C.UTF-8")
    return ClientEnv(env=env, home=home, server=server)


@functools.lru_cache(maxsize=None)
def _resolve(name: str) -> str | None:
    """The real executable behind a name first on PATH (pyenv shims resolved)."""
    found = shutil.which(name)
    if not found:
        return None
    if "/shims/" in found and shutil.which("pyenv"):
        try:
            out = subprocess.run(["pyenv", "which", name], capture_output=True, timeout=30)
            if out.returncode == 0 and out.stdout.strip():
                return out.stdout.decode().strip()
        except (OSError, subprocess.TimeoutExpired):
            pass
    return found


@functools.lru_cache(maxsize=None)
def distinct_executables(fixed: str, name: str) -> tuple[str, ...]:
    """(fixed,) plus the `name` first on PATH when it is a different program."""
    result = []
    if os.path.exists(fixed):
        result.append(fixed)
    other = _resolve(name)
    if other and all(os.path.realpath(other) != os.path.realpath(r) for r in result):
        result.append(other)
    return tuple(result)


def _same(a: str, b: str) -> bool:
    return os.path.realpath(a) == os.path.realpath(b)


@functools.lru_cache(maxsize=None)
def boto3_pythons() -> tuple[str, ...]:
    """Debian's /usr/bin/python3 and the python3 first on PATH, each if it has boto3."""
    result = []
    system = "/usr/bin/python3"
    if os.path.exists(system):
        if _same(sys.executable, system):
            if importlib.util.find_spec("boto3") is not None:
                result.append(system)
        elif subprocess.run([system, "-c", "import boto3"], capture_output=True,
                            timeout=60).returncode == 0:
            result.append(system)
    other = shutil.which("python3")
    if other and not _same(other, system):
        try:
            out = subprocess.run(
                [other, "-c", "import sys; print(sys.executable); import boto3"],
                capture_output=True, timeout=60)
            path = out.stdout.decode().strip()
            if out.returncode == 0 and path and not any(_same(path, r) for r in result):
                result.append(path)
        except (OSError, subprocess.TimeoutExpired):
            pass
    return tuple(result)
