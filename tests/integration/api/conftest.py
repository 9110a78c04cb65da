"""A real HTTP server (uvicorn, in a thread) over a published warehouse file of its own."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import uvicorn

from stockyard.config import Settings
from stockyard.web import create_web_app

SEED_SQL = Path(__file__).resolve().parents[2] / "unit" / "api" / "marts_seed.sql"


@pytest.fixture
def warehouse_path(tmp_path: Path) -> Path:
    # Function-scoped: these tests write to the file from another process.
    path = tmp_path / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(SEED_SQL.read_text(encoding="utf-8"))
    finally:
        con.close()
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server_url(warehouse_path: Path, tmp_path: Path) -> Iterator[str]:
    app = create_web_app(Settings(home=tmp_path, warehouse_path=warehouse_path))
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 10 s")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
