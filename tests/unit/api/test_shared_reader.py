"""The API's shared read-only connection: reused by overlapping requests, released when idle."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from stockyard.warehouse.queries import WarehouseNotReady
from stockyard.warehouse.reader import SharedReader


def _writer_can_lock(path: Path) -> bool:
    script = "import duckdb, sys; duckdb.connect(sys.argv[1]).close()"
    result = subprocess.run(
        [sys.executable, "-c", script, str(path)], capture_output=True, timeout=60
    )
    return result.returncode == 0


def test_overlapping_cursors_share_one_connection_then_release_it(warehouse_path: Path) -> None:
    reader = SharedReader(lambda: warehouse_path)
    with reader.cursor() as first, reader.cursor() as second:
        assert first is not second
        assert first.execute("SELECT count(*) FROM marts.fct_trades").fetchone() == (35,)
        assert second.execute("SELECT count(*) FROM marts.dim_members").fetchone() == (8,)
        assert reader.is_open
    assert not reader.is_open
    assert _writer_can_lock(warehouse_path)


def test_linger_keeps_the_connection_briefly_then_closes_it(warehouse_path: Path) -> None:
    reader = SharedReader(lambda: warehouse_path, linger=0.2)
    with reader.cursor():
        pass
    assert reader.is_open  # a request right after would reuse it
    deadline = time.monotonic() + 5
    while reader.is_open and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not reader.is_open
    assert _writer_can_lock(warehouse_path)


def test_missing_warehouse_raises_not_ready_and_holds_nothing(tmp_path: Path) -> None:
    reader = SharedReader(lambda: tmp_path / "absent.duckdb")
    with pytest.raises(WarehouseNotReady), reader.cursor():
        pass
    assert not reader.is_open
