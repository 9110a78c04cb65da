"""The seed marts as a published warehouse, and an alerts store, per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stockyard.alerts.store import AlertStore
from support.alerts import Published, seeded


@pytest.fixture
def published(tmp_path: Path) -> Iterator[Published]:
    warehouse = seeded(tmp_path / "warehouse.duckdb")
    yield warehouse
    warehouse.con.close()


@pytest.fixture
def store(tmp_path: Path) -> AlertStore:
    return AlertStore(tmp_path / "alerts.sqlite3")
