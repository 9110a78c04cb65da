"""A real HTTP server (uvicorn, in a thread) over a published warehouse file of its own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from stockyard.config import Settings
from stockyard.web import create_web_app
from support.web_server import serve_in_thread

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


@pytest.fixture
def server_url(warehouse_path: Path, tmp_path: Path) -> Iterator[str]:
    app = create_web_app(Settings(home=tmp_path, warehouse_path=warehouse_path))
    with serve_in_thread(app) as url:
        yield url
