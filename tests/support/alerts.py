"""A published warehouse (the API tests' seed marts) whose trades publishes version over time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from stockyard.alerts.store import AlertStore
from stockyard.warehouse.db import connect
from stockyard.warehouse.trade_versions import record_versions

SEED_SQL = Path(__file__).resolve().parent.parent / "unit" / "api" / "marts_seed.sql"
T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@dataclass
class Published:
    """The warehouse and a clock of publishes: publish() records the marts as they are now."""

    con: duckdb.DuckDBPyConnection
    count: int = 0

    def publish(self, at: datetime | None = None) -> str:
        """Record the marts as publish ``p<n>``, at ``at`` (default: n hours after T0)."""
        self.count += 1
        publish_id = f"p{self.count}"
        record_versions(
            self.con,
            source="marts.fct_trades",
            publish_id=publish_id,
            published_at=at or self.at(self.count),
            baseline=False,
        )
        return publish_id

    @staticmethod
    def at(n: int) -> datetime:
        """When publish n happened (an hour apart, from T0)."""
        return T0 + timedelta(hours=n)


def seeded(path: Path) -> Published:
    """The seed marts in a writable warehouse at ``path``, with raw.trade_versions beside them."""
    seed = duckdb.connect(str(path))
    seed.execute(SEED_SQL.read_text(encoding="utf-8"))
    seed.close()
    return Published(connect(path))


@pytest.fixture
def published(tmp_path: Path) -> Iterator[Published]:
    """The seed marts as a published warehouse in the test's folder."""
    warehouse = seeded(tmp_path / "warehouse.duckdb")
    yield warehouse
    warehouse.con.close()


@pytest.fixture
def store(tmp_path: Path) -> AlertStore:
    """An alerts store where the settings of a home at tmp_path look for it."""
    return AlertStore(tmp_path / "alerts.sqlite3")
