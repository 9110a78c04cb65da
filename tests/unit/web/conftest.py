"""The web app over the published warehouse the API tests use (tests/unit/api/marts_seed.sql)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from stockyard.config import Settings
from stockyard.web import create_web_app

SEED_SQL = Path(__file__).resolve().parents[1] / "api" / "marts_seed.sql"


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("web-wh") / "warehouse.duckdb"
    con = duckdb.connect(str(path))
    try:
        con.execute(SEED_SQL.read_text(encoding="utf-8"))
    finally:
        con.close()
    return path


@pytest.fixture
def web(warehouse_path: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(home=tmp_path, warehouse_path=warehouse_path)
    with TestClient(create_web_app(settings)) as test_client:
        yield test_client
