"""Real servers for tests: redis-server and influxd on 127.0.0.1, each in its own temp dir.

Use them as context managers (`with RedisServer(tmp_path) as redis: redis.url`); they pick a free
port, wait until the server answers, and stop it (and only it) afterwards. A test that needs a
binary the machine lacks is skipped with the package to install (`make system-packages`).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _need(binary: str, package: str) -> str:
    path = shutil.which(binary) or (
        f"/usr/bin/{binary}" if Path(f"/usr/bin/{binary}").exists() else None
    )
    if path is None:
        pytest.skip(f"{binary} is not installed: apt-get install {package} (make system-packages)")
    return path


def _wait(check: object, what: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode} before it answered")
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise TimeoutError(f"{what} did not answer within {timeout:.0f}s")


class RedisServer:
    """redis-server with append-only persistence, so a restart keeps streams and groups."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.binary = _need("redis-server", "redis-server")
        self.dir = directory / "redis"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--bind", "127.0.0.1",
                "--port", str(self.port),
                "--dir", str(self.dir),
                "--appendonly", "yes",
                "--appendfsync", "always",
                "--save", "",
                "--protected-mode", "yes",
                "--daemonize", "no",
                "--logfile", str(self.dir / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait(self._answers, f"redis-server on port {self.port}", self.process, 15)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def restart(self, down_for: float = 0.0) -> None:
        """Stop, stay down ``down_for`` seconds, start again on the same port and data."""
        self.stop()
        time.sleep(down_for)
        self.start()

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class InfluxServer:
    """influxd 1.x with a temp config: loopback ports, data/meta/wal in the temp dir."""

    def __init__(self, directory: Path) -> None:
        self.binary = _need("influxd", "influxdb")
        self.dir = directory / "influxdb"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/ping", timeout=0.5) as response:
                return int(response.status) == 204
        except OSError:
            return False

    def query(self, q: str, database: str) -> dict[str, object]:
        import json
        from urllib.parse import urlencode

        url = f"{self.url}/query?{urlencode({'q': q, 'db': database, 'epoch': 'ms'})}"
        with urllib.request.urlopen(url, timeout=10) as response:
            result: dict[str, object] = json.loads(response.read())
        return result

    def start(self) -> InfluxServer:
        config = self.dir / "influxdb.conf"
        config.write_text(
            f"""reporting-disabled = true
bind-address = "127.0.0.1:{free_port()}"
[meta]
  dir = "{self.dir / "meta"}"
[data]
  dir = "{self.dir / "data"}"
  wal-dir = "{self.dir / "wal"}"
  query-log-enabled = false
[http]
  bind-address = "127.0.0.1:{self.port}"
  log-enabled = false
[monitor]
  store-enabled = false
[continuous_queries]
  enabled = false
""",
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            [self.binary, "run", "-config", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait(self._answers, f"influxd on port {self.port}", self.process, 30)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None

    def __enter__(self) -> InfluxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")  # Debian's postgresql-15 keeps them off PATH


class PostgresServer:
    """Debian's PostgreSQL 15: initdb in a temp dir, on a random loopback port, trust auth.

    PostgreSQL refuses to run as root, so under root the server runs as the `postgres` user the
    package creates, in a directory it owns (outside pytest's root-only temp dirs).
    """

    def __init__(self, database: str = "stockyard") -> None:
        self.initdb = str(POSTGRES_BIN / "initdb")
        if not Path(self.initdb).exists():
            _need("initdb", "postgresql")  # skips with the package to install
        self.database = database
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="stockyard-pg-"))
        self.data = self.dir / "data"
        self.process: subprocess.Popen[bytes] | None = None
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.dir, "postgres", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *command: str) -> None:
        done = subprocess.run([*self._as, *command], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{command[0]} failed: {done.stderr or done.stdout}")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                pass
        except OSError:
            return False
        ready = subprocess.run(
            [str(POSTGRES_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
            capture_output=True,
        )
        return ready.returncode == 0

    def start(self) -> PostgresServer:
        if not self.data.exists():
            self._run(
                self.initdb, "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"
            )
        self.process = subprocess.Popen(
            [
                *self._as,
                str(POSTGRES_BIN / "postgres"),
                "-D", str(self.data),
                "-h", "127.0.0.1",
                "-p", str(self.port),
                "-k", str(self.dir),  # the unix socket in our dir, not /var/run/postgresql
                "-c", "fsync=off",  # a throwaway test cluster
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        _wait(self._answers, f"postgres on port {self.port}", self.process, 30)
        self._run(
            str(POSTGRES_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
            "-U", "postgres", self.database,
        )  # fmt: skip
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            # pg_ctl, not a signal to runuser: the server is runuser's child.
            with contextlib.suppress(RuntimeError):
                self._run(str(POSTGRES_BIN / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast")
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.process = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
