"""`stockyard serve` over a home in its own process, polled by a reader while a test writes.

The server is the real CLI in a separate process, as a user runs it beside the pipeline: DuckDB
locks files per process, so a server in the test's own process would not meet the pipeline's
locks at all.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import httpx

from support.servers import free_port

STOCKYARD = Path(sys.executable).with_name("stockyard")


@dataclass(frozen=True, slots=True)
class Answer:
    path: str
    status: int
    body: Any  # the JSON answer, or None when it was not JSON
    seconds: float


@dataclass(slots=True)
class Poll:
    """Every answer the reader got, in order."""

    answers: list[Answer] = field(default_factory=list)

    def failures(self) -> list[Answer]:
        return [a for a in self.answers if a.status != 200]

    def bodies(self, path: str) -> list[Any]:
        return [a.body for a in self.answers if a.path == path and a.status == 200]


@contextmanager
def stockyard_serve(home: Path, timeout: float = 60.0) -> Iterator[str]:
    """`stockyard serve --home HOME` on a free port; yields its base URL; stopped afterwards."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STOCKYARD_")}
    env["DO_NOT_TRACK"] = "1"
    # A file, not a pipe: an access log nobody reads would fill a pipe and stall the server.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [str(STOCKYARD), "serve", "--home", str(home), "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_for(url, process, log, timeout)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_for(url: str, process: subprocess.Popen[bytes], log: IO[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            log.seek(0)
            said = log.read().decode(errors="replace")[-2000:]
            raise RuntimeError(f"stockyard serve exited with {process.returncode}: {said}")
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"stockyard serve did not answer within {timeout:.0f} s")
        time.sleep(0.1)


@contextmanager
def polled(url: str, paths: Sequence[str], every: float = 0.2) -> Iterator[Poll]:
    """Ask for each of ``paths`` in turn, one request every ``every`` seconds, until the block
    ends; the Poll fills as answers arrive."""
    poll = Poll()
    stop = threading.Event()

    def read() -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            i = 0
            while not stop.is_set():
                path = paths[i % len(paths)]
                i += 1
                started = time.perf_counter()
                try:
                    response = http.get(path)
                except httpx.TransportError as exc:
                    poll.answers.append(Answer(path, 0, str(exc), time.perf_counter() - started))
                else:
                    try:
                        body = response.json()
                    except ValueError:
                        body = None
                    poll.answers.append(
                        Answer(path, response.status_code, body, time.perf_counter() - started)
                    )
                stop.wait(every)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        yield poll
    finally:
        stop.set()
        thread.join(timeout=60)
