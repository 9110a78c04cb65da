"""One pipeline machine, N web machines: snapshots pushed to a URL, pulled by a site that has
nothing but that URL. A folder behind a file:// URL stands in for object storage (the same fsspec
calls as s3://)."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from stockyard.config import Settings
from stockyard.warehouse import serving, serving_remote
from stockyard.warehouse.db import open_for_writing
from stockyard.web import create_web_app
from support.web_server import serve_in_thread

pytestmark = pytest.mark.integration

INSERT_ONE_TRADE = """
INSERT INTO marts.fct_trades (trade_id, bioguide_id, member_name, chamber, ticker, tx_type,
                              tx_date, is_current)
VALUES ('t99', 'W000779', 'Ron Wyden', 'senate', 'MSFT', 'P', DATE '2020-12-01', TRUE)
"""


def publish_and_push(warehouse: Path, publish_id: str, url: str, sql: str = "") -> None:
    """The pipeline machine's half (wap.publish does the same after an audit passes)."""
    con = open_for_writing(warehouse)
    try:
        if sql:
            con.execute(sql)
        snapshot = serving.write_snapshot(
            con, serving.serving_dir(warehouse), publish_id=publish_id
        )
    finally:
        con.close()
    serving_remote.push(snapshot, url)


def wait_for(check: object, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def test_a_web_machine_with_only_the_url_serves_each_publish(
    warehouse_path: Path, tmp_path: Path
) -> None:
    url = f"file://{tmp_path / 'object-store'}"
    publish_and_push(warehouse_path, "publish-one", url)
    web_home = tmp_path / "web-machine"  # no warehouse, no pipeline: just the URL
    settings = Settings(home=web_home, serving_pull_url=url, serving_pull_seconds=0.2)
    with serve_in_thread(create_web_app(settings)) as site, httpx.Client(base_url=site) as http:

        def served() -> str | None:
            publish: str | None = http.get("/readyz").json().get("served_publish")
            return publish

        wait_for(lambda: served() == "publish-one", "the first snapshot was never pulled")
        before = http.get("/api/trades").json()["total"]
        publish_and_push(warehouse_path, "publish-two", url, INSERT_ONE_TRADE)
        wait_for(lambda: served() == "publish-two", "the second snapshot was never pulled")
        after = http.get("/api/trades").json()["total"]
        page = http.get("/trades", params={"ticker": "MSFT"})
    assert after == before + 1
    assert page.status_code == 200 and "Ron Wyden" in page.text
    assert not (web_home / "warehouse.duckdb").exists()
    pulled = serving.current(serving.serving_dir(web_home / "warehouse.duckdb"))
    assert pulled is not None and pulled.publish_id == "publish-two"


def test_pull_downloads_only_a_snapshot_it_lacks(warehouse_path: Path, tmp_path: Path) -> None:
    url = str(tmp_path / "object-store")
    folder = tmp_path / "web" / "serving"
    assert serving_remote.pull(url, folder) is None  # nothing pushed yet: nothing served
    publish_and_push(warehouse_path, "p1", url)
    first = serving_remote.pull(url, folder)
    assert first is not None and first.publish_id == "p1"
    stamp = first.path.stat().st_mtime_ns
    again = serving_remote.pull(url, folder)
    assert again == first and again.path.stat().st_mtime_ns == stamp  # not fetched twice
