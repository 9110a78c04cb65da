"""The served API reads the warehouse without blocking the pipeline that writes it.

DuckDB locks the file per process, so the writer here is a separate Python process, as the
pipeline is in production.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from stockyard.config import Settings

pytestmark = pytest.mark.integration

INSERT_ONE_TRADE = """
INSERT INTO marts.fct_trades (trade_id, bioguide_id, member_name, chamber, ticker, tx_type,
                              tx_date, is_current)
VALUES ('t99', 'W000779', 'Ron Wyden', 'senate', 'MSFT', 'P', DATE '2020-12-01', TRUE)
"""


def _run_writer(path: Path, sql: str) -> subprocess.CompletedProcess[str]:
    script = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); con.execute(sys.argv[2])"
    return subprocess.run(
        [sys.executable, "-c", script, str(path), sql],
        capture_output=True,
        text=True,
        timeout=60,
    )


@contextmanager
def writer_holding_lock(path: Path) -> Iterator[None]:
    """A process with the warehouse open read-write until the block ends."""
    script = textwrap.dedent(
        """
        import duckdb, sys
        con = duckdb.connect(sys.argv[1])
        print("locked", flush=True)
        sys.stdin.read()
        con.close()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdin is not None
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)


def test_writer_can_publish_between_requests(server_url: str, warehouse_path: Path) -> None:
    with httpx.Client(base_url=server_url) as http:
        before = http.get("/api/trades").json()["total"]
        # The server keeps its reader open a moment after a request (reader_linger_seconds) so
        # a busy API does not reopen DuckDB per request; a writer waits that out.
        time.sleep(Settings().reader_linger_seconds + 0.5)
        # Fails with "Could not set lock" if the server kept the file open after that.
        written = _run_writer(warehouse_path, INSERT_ONE_TRADE)
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
