"""The ticker reference over HTTP: pages, delistings and renames as history, never emptied."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from stockyard.pipeline.ingest import polygon_tickers
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.replay import Fault, ReplayServer
from support.market import HTTP_FIXTURES, MARKET_SCENARIOS, POLYGON_TEST_KEY

pytestmark = pytest.mark.integration
MakeRuntime = Callable[..., Runtime]
TICKERS = "/polygon/v3/reference/tickers"
DAY1 = ["A", "AA", "AAA", "AAAU", "ATVI", "TWTR"]


@contextmanager
def _serving(root: Path) -> Iterator[ReplayServer]:
    with ReplayServer([root]) as server:
        yield server


def _refresh(
    root: Path, runtime_for: MakeRuntime, **kwargs: int
) -> tuple[StepReport, ReplayServer, Runtime]:
    with _serving(root) as server:
        runtime = runtime_for(server, **kwargs)
        report = polygon_tickers.refresh_tickers(runtime)
    return report, server, runtime


def _reference(rt_home: Runtime) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(rt_home.settings.resolved_warehouse_path), read_only=True)
    try:
        return con.execute(
            """SELECT ticker, name, active, delisted_utc, valid_to IS NOT NULL, is_current
               FROM raw.ticker_reference ORDER BY ticker, valid_from"""
        ).fetchall()
    finally:
        con.close()


def _current(rows: list[tuple[object, ...]]) -> dict[object, tuple[object, ...]]:
    return {row[0]: row for row in rows if row[5]}


@pytest.fixture
def after_day1(runtime_for: MakeRuntime) -> Runtime:
    """A home whose reference holds day 1: three active pages and one delisted page."""
    report, server, runtime = _refresh(MARKET_SCENARIOS / "day1", runtime_for)
    assert report.errors == [] and report.fetched == 4
    # Three pages followed through next_url (cursor only), then the delisted listing.
    queries = [r.query for r in server.requests]
    assert [q.split("&")[0] for q in queries] == [
        "limit=1000",
        "cursor=PAGE2",
        "cursor=PAGE3",
        "limit=1000",
    ]
    assert all(POLYGON_TEST_KEY in q for q in queries)  # the key travels, but only to our replay
    return runtime  # its home is what later refreshes (same home, other servers) merge into


def test_pages_arrive_in_order_and_a_delisted_ticker_is_kept(after_day1: Runtime) -> None:
    current = _current(_reference(after_day1))
    assert sorted(current) == DAY1
    assert current["ATVI"][2] is True
    twtr = current["TWTR"]
    assert twtr[2] is False and twtr[3] == datetime(2022, 11, 8, tzinfo=UTC)


def test_a_delisting_and_a_rename_become_history(
    after_day1: Runtime, runtime_for: MakeRuntime
) -> None:
    report, _, _ = _refresh(MARKET_SCENARIOS / "day2", runtime_for)
    assert report.errors == []
    rows = _reference(after_day1)
    current = _current(rows)
    assert sorted(current) == DAY1  # nothing deleted
    atvi = [row for row in rows if row[0] == "ATVI"]
    # The active version is closed (valid_to set), the delisted one is current.
    assert [(r[2], r[4], r[5]) for r in atvi] == [(True, True, False), (False, False, True)]
    assert atvi[-1][3] == datetime(2023, 10, 13, tzinfo=UTC)
    aaau = [row[1] for row in rows if row[0] == "AAAU"]
    assert aaau == ["Perth Mint Physical Gold ETF", "Goldman Sachs Physical Gold ETF Shares"]
    assert len([row for row in rows if row[0] == "TWTR"]) == 1  # unchanged: no new version


def test_a_truncated_page_loses_nothing_known(
    after_day1: Runtime, runtime_for: MakeRuntime
) -> None:
    before = _reference(after_day1)
    report, _, _ = _refresh(MARKET_SCENARIOS / "truncated", runtime_for)
    (error,) = report.errors
    assert "active=true" in error and "after 1 page(s)" in error and "not JSON" in error
    assert "Known tickers were kept" in error and POLYGON_TEST_KEY not in error
    # The partial listing never retires anyone: same rows, nothing closed, ATVI still active.
    assert _reference(after_day1) == before
    # The cut page itself was landed, for whoever debugs it.
    partitions = after_day1.landing.partitions("polygon", "tickers")
    names = {f.name for p in partitions for f in after_day1.landing.latest("polygon", "tickers", p)}
    assert "active-true-page-1.json" in names


def test_an_empty_listing_changes_nothing(after_day1: Runtime, runtime_for: MakeRuntime) -> None:
    before = _reference(after_day1)
    report, server, _ = _refresh(MARKET_SCENARIOS / "empty", runtime_for)
    assert report.errors == [] and len(server.requests) == 2
    assert _reference(after_day1) == before


def test_a_repeating_cursor_stops_and_is_not_taken_as_complete(
    after_day1: Runtime, runtime_for: MakeRuntime
) -> None:
    # The recorded pages: active=true is page-1 → page-2; active=false points at itself (LOOP).
    before = _current(_reference(after_day1))
    report, server, _ = _refresh(HTTP_FIXTURES, runtime_for)
    (error,) = report.errors
    assert "active=false" in error and "repeats a cursor" in error
    cursors = [r.query.split("&")[0][:11] for r in server.requests]
    assert cursors == [
        "limit=1000",
        "cursor=YWN0",  # the recorded page-1's next_url cursor
        "limit=1000",
        "cursor=LOOP",
    ]
    current = _current(_reference(after_day1))
    # ATVI and TWTR were absent from this cut-short listing and stay exactly as they were.
    assert current["ATVI"] == before["ATVI"] and current["TWTR"] == before["TWTR"]
    assert "LOOP" in current  # what the loop page did show was merged


def test_a_429_storm_on_a_page_is_waited_out(runtime_for: MakeRuntime) -> None:
    with _serving(MARKET_SCENARIOS / "day1") as server:
        server.inject(Fault(kind="status", path=TICKERS, status=429, retry_after="5", times=3))
        rt = runtime_for(server, max_retries=4)
        report = polygon_tickers.refresh_tickers(rt)
    assert report.errors == [] and report.fetched == 4
    assert [r.status for r in server.requests][:4] == [429, 429, 429, 200]
    assert sorted(_current(_reference(rt))) == DAY1
