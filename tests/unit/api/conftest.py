"""A published warehouse (real DuckDB file, `marts` contract shape) and API clients over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from stockyard.api import create_app
from stockyard.config import Settings

SEED_SQL = Path(__file__).resolve().with_name("marts_seed.sql")


def build_published_warehouse(path: Path) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute(SEED_SQL.read_text(encoding="utf-8"))
    finally:
        con.close()
    return path


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built once: every API test only reads it.
    return build_published_warehouse(tmp_path_factory.mktemp("wh") / "warehouse.duckdb")


@pytest.fixture
def client(warehouse_path: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(home=tmp_path, warehouse_path=warehouse_path)
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def unbuilt_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(home=tmp_path, warehouse_path=tmp_path / "absent.duckdb")
    with TestClient(create_app(settings)) as test_client:
        yield test_client
