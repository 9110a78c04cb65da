"""Before any serving snapshot exists the API reads the warehouse file itself: it must not block
the pipeline that writes it, and says 503 (retry) while a writer holds the lock.

DuckDB locks the file per process, so the writer here is a separate Python process, as the
pipeline is in production. (Once a publish has written a snapshot, readers never open the
warehouse again: test_serving_snapshots.py.)
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from stockyard.config import Settings
from support.writers import run_sql, writer_holding_lock

pytestmark = pytest.mark.integration

INSERT_ONE_TRADE = """
INSERT INTO marts.fct_trades (trade_id, bioguide_id, member_name, chamber, ticker, tx_type,
                              tx_date, is_current)
VALUES ('t99', 'W000779', 'Ron Wyden', 'senate', 'MSFT', 'P', DATE '2020-12-01', TRUE)
"""


def test_writer_can_publish_between_requests(server_url: str, warehouse_path: Path) -> None:
    with httpx.Client(base_url=server_url) as http:
        before = http.get("/api/trades").json()["total"]
        # The server keeps its reader open a moment after a request (reader_linger_seconds) so
        # a busy API does not reopen DuckDB per request; a writer waits that out.
        time.sleep(Settings().reader_linger_seconds + 0.5)
        # Fails with "Could not set lock" if the server kept the file open after that.
        written = run_sql(warehouse_path, INSERT_ONE_TRADE)
        assert written.returncode == 0, written.stderr
        after = http.get("/api/trades").json()["total"]
        page = http.get("/trades", params={"ticker": "MSFT"})
    assert after == before + 1
    assert page.status_code == 200
    assert "Ron Wyden" in page.text


def test_busy_warehouse_answers_503_then_recovers(server_url: str, warehouse_path: Path) -> None:
    with httpx.Client(base_url=server_url) as http:
        with writer_holding_lock(warehouse_path):
            busy_api = http.get("/api/trades")
            busy_page = http.get("/trades")
            health = http.get("/healthz")
        recovered = http.get("/api/trades")
    assert busy_api.status_code == 503
    assert "being written by another process" in busy_api.json()["detail"]
    assert busy_api.headers["retry-after"] == "5"
    assert busy_page.status_code == 503
    assert "Warehouse busy" in busy_page.text
    assert (health.status_code, health.json()["warehouse"]) == (200, "busy")
    assert recovered.status_code == 200
