"""Readers serve a published snapshot and never touch the warehouse the pipeline writes.

The writer is a separate process (support.writers), as the pipeline is in production.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import httpx
import pytest

from stockyard.warehouse import serving
from stockyard.warehouse.db import open_for_writing
from stockyard.warehouse.reader import SharedReader
from support.writers import publish_snapshot, writer_holding_lock

pytestmark = pytest.mark.integration

INSERT_ONE_TRADE = """
INSERT INTO marts.fct_trades (trade_id, bioguide_id, member_name, chamber, ticker, tx_type,
                              tx_date, is_current)
VALUES ('t99', 'W000779', 'Ron Wyden', 'senate', 'MSFT', 'P', DATE '2020-12-01', TRUE)
"""


def total(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT count(*) FROM marts.fct_trades").fetchone()[0])  # type: ignore[index]


def test_pages_answer_from_the_snapshot_while_the_warehouse_is_locked(
    server_url: str, warehouse_path: Path
) -> None:
    first = publish_snapshot(warehouse_path, "publish-one")
    with httpx.Client(base_url=server_url) as http:
        before = http.get("/api/trades").json()["total"]
        with writer_holding_lock(warehouse_path):
            # Without snapshots each of these was a 503 (test_api_reader_locks.py).
            answers = [http.get(path) for path in ("/api/trades", "/trades", "/pipeline")]
            health = http.get("/healthz").json()
            ready = http.get("/readyz").json()
            api_pipeline = http.get("/api/pipeline").json()
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json()["total"] == before
    assert health["warehouse"] == "ready"
    assert (ready["served_publish"], ready["served_snapshot"]) == ("publish-one", first)
    assert api_pipeline["readiness"]["served_publish"] == "publish-one"
    assert "publish-one" in answers[2].text and first in answers[2].text


def test_the_next_request_after_a_publish_sees_it_with_a_new_etag(
    server_url: str, warehouse_path: Path
) -> None:
    publish_snapshot(warehouse_path, "publish-one")
    with httpx.Client(base_url=server_url) as http:
        old = http.get("/api/trades")
        publish_snapshot(warehouse_path, "publish-two", INSERT_ONE_TRADE)
        new = http.get("/api/trades")
        revalidated = http.get("/api/trades", headers={"If-None-Match": old.headers["etag"]})
        ready = http.get("/readyz").json()
    assert new.json()["total"] == old.json()["total"] + 1
    assert new.headers["etag"] != old.headers["etag"]
    assert revalidated.status_code == 200  # the old version is no longer current
    assert ready["served_publish"] == "publish-two"


def test_a_request_in_flight_keeps_its_snapshot_and_the_next_one_switches(
    warehouse_path: Path,
) -> None:
    folder = serving.serving_dir(warehouse_path)
    publish_snapshot(warehouse_path, "publish-one")
    reader = SharedReader(lambda: serving.served_path(warehouse_path))
    with reader.cursor() as in_flight:
        seen_before = total(in_flight)
        publish_snapshot(warehouse_path, "publish-two", INSERT_ONE_TRADE)
        with reader.cursor() as next_request:
            assert total(next_request) == seen_before + 1
        assert total(in_flight) == seen_before  # still the old file, still readable
    # The old snapshot's connection closed with its last request; only the new one is left.
    assert reader.is_open is False
    current = serving.current(folder)
    assert current is not None and current.publish_id == "publish-two"
    removed = serving.remove_stale(folder, keep_seconds=0)
    assert [p.name for p in folder.glob("*.duckdb")] == [current.name]
    assert len(removed) == 1


def test_the_writer_is_never_blocked_by_a_reader(warehouse_path: Path) -> None:
    publish_snapshot(warehouse_path, "publish-one")
    reader = SharedReader(lambda: serving.served_path(warehouse_path), linger=60)
    with reader.cursor() as cursor:
        assert total(cursor) > 0
        # The reader keeps its connection open (linger) and a request is running; the writer in
        # another process still takes the warehouse and publishes.
        publish_snapshot(warehouse_path, "publish-two", INSERT_ONE_TRADE)
    reader.close()


def test_a_snapshot_cut_short_is_never_served_and_is_cleaned_up(warehouse_path: Path) -> None:
    name = publish_snapshot(warehouse_path, "publish-one")
    folder = serving.serving_dir(warehouse_path)
    partial = folder / ".20990101T000000-cut-short.duckdb.partial"
    partial.write_bytes(b"half a file: the publisher died while copying")
    old = time.time() - 3600
    os.utime(partial, (old, old))
    assert serving.served_path(warehouse_path) == folder / name
    serving.remove_stale(folder, keep_seconds=600)
    assert not partial.exists()
    assert (folder / name).exists()  # the current snapshot is kept however old it is


def test_a_snapshot_holds_the_marts_and_the_raw_tables_pages_read(warehouse_path: Path) -> None:
    con = open_for_writing(warehouse_path)
    try:
        snapshot = serving.write_snapshot(con, serving.serving_dir(warehouse_path), publish_id="p1")
        expected = {
            r[0]
            for r in con.execute(
                "SELECT schema_name || '.' || table_name FROM duckdb_tables() "
                "WHERE database_name = current_database() AND (schema_name = 'marts' OR "
                f"(schema_name = 'raw' AND table_name IN {serving.SERVED_RAW_TABLES!r}))"
            ).fetchall()
        }
    finally:
        con.close()
    copy = duckdb.connect(str(snapshot.path), read_only=True)
    try:
        found = {
            r[0]
            for r in copy.execute(
                "SELECT schema_name || '.' || table_name FROM duckdb_tables()"
            ).fetchall()
        }
        info = copy.execute("SELECT publish_id, file FROM serving.snapshot").fetchone()
    finally:
        copy.close()
    assert expected and found == expected | {"serving.snapshot"}
    assert info == ("p1", snapshot.name)
