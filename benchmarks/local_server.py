"""What the API and page benchmarks share: a demo-built warehouse, `stockyard serve` in its own
process on loopback, and percentiles."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from rich.console import Console


def wide_console() -> Console:
    """A Rich console that keeps every table column when the output goes to a file or a pipe."""
    console = Console()
    if not console.is_terminal:
        console.width = 132
    return console


def demo_warehouse(path: str | None, scratch: Path, console: Console) -> Path:
    """The warehouse to measure: ``path``, else $STOCKYARD_HOME's, else a fresh demo build."""
    if path:
        return Path(path)
    home = Path(os.environ.get("STOCKYARD_HOME", ".stockyard"))
    if (home / "warehouse.duckdb").exists():
        return home / "warehouse.duckdb"
    console.print("No demo warehouse found: building one (`stockyard demo --no-serve`, ~2 min)…")
    demo_home = scratch / "demo"
    subprocess.run(
        [sys.executable, "-m", "stockyard.cli.app", "demo", "--no-serve", "--home", str(demo_home)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return demo_home / "warehouse.duckdb"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`stockyard serve --home HOME` (uvicorn) on a free loopback port, once /healthz answers."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STOCKYARD_")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stockyard.cli.app",
            "serve",
            "--home",
            str(home),
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("stockyard serve did not come up")
        time.sleep(0.2)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
