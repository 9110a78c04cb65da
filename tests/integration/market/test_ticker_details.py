"""Ticker details over HTTP: the most-traded tickers first, a 404 remembered, a broken answer
quarantined and asked again, nothing asked twice while its answer is fresh.

AAPL's answer is Polygon's recorded one (the bundled sample); MSFT's is that answer cut short
(scenarios/details), served whole with status 200; any other ticker gets the replay's 404."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import duckdb
import pytest

from stockyard.config import MarketSettings
from stockyard.pipeline.ingest.polygon_details import refresh_ticker_details
from stockyard.pipeline.runtime import Runtime
from stockyard.replay import SAMPLE_ROOT, Fault, ReplayServer
from stockyard.warehouse.bulk import Lineage, insert_rows
from stockyard.warehouse.db import connect
from support.market import MARKET_SCENARIOS

pytestmark = pytest.mark.integration
MakeRuntime = Callable[..., Runtime]
DETAILS = "/polygon/v3/reference/tickers/"

ROOTS = [SAMPLE_ROOT, MARKET_SCENARIOS / "details"]
# (resolved ticker, asset class, trades)
TRADED = [("AAPL", "equity", 3), ("MSFT", "equity", 2), ("XYZQ", "equity", 1), ("SPY", "etf", 5)]


def _with_trades(runtime: Runtime) -> Runtime:
    rows = [
        (
            "house_clerk",
            f"doc-{ticker}",
            n,
            ticker,
            ticker,
            ticker,
            1.0,
            "reported_ticker",
            kind,
            None,
        )
        for ticker, kind, count in TRADED
        for n in range(count)
    ]
    lineage = Lineage("stockyard", "trade_tickers", "all", datetime.now(UTC))
    con = connect(runtime.settings.resolved_warehouse_path)
    try:
        insert_rows(con, "trade_tickers", rows, lineage=lineage, landing_paths=None)
    finally:
        con.close()
    return runtime


def _held(runtime: Runtime) -> dict[str, tuple[object, ...]]:
    con = duckdb.connect(str(runtime.settings.resolved_warehouse_path), read_only=True)
    try:
        rows = con.execute(
            "SELECT ticker, found, sic_code, sic_description, _landing_path IS NOT NULL "
            "FROM raw.ticker_details"
        ).fetchall()
        quarantined = con.execute(
            "SELECT record_ref, reason FROM raw.quarantine WHERE dataset = 'ticker_details'"
        ).fetchall()
    finally:
        con.close()
    return {str(r[0]): tuple(r[1:]) for r in rows} | {"quarantine": tuple(quarantined)}


def _asked(server: ReplayServer) -> list[str]:
    return [r.path.removeprefix(DETAILS) for r in server.requests if r.path.startswith(DETAILS)]


def test_details_arrive_most_traded_first_and_nothing_fresh_is_asked_again(
    runtime_for: MakeRuntime,
) -> None:
    with ReplayServer(ROOTS) as server:
        runtime = _with_trades(runtime_for(server))
        # A transfer cut short is retried (the HTTP client's job), not stored or quarantined.
        server.inject(Fault("truncate", path=f"{DETAILS}AAPL"))
        first = refresh_ticker_details(runtime)
        after_first = _held(runtime)
        asked_first = _asked(server)
        server.requests.clear()
        second = refresh_ticker_details(runtime)
        asked_second = _asked(server)
        server.requests.clear()
        third = refresh_ticker_details(runtime)
        asked_third = _asked(server)
    # Equities only, most-traded first (the ETF is not asked about).
    assert asked_first == ["AAPL", "AAPL", "MSFT", "XYZQ"]
    assert (first.missing, first.quarantined, first.errors) == (1, 1, [])
    assert after_first["AAPL"] == (True, "3571", "ELECTRONIC COMPUTERS", True)
    assert after_first["XYZQ"] == (False, None, None, False)  # a 404 is an answer too
    assert "MSFT" not in after_first
    assert after_first["quarantine"][0][0] == "MSFT"
    assert "not JSON" in after_first["quarantine"][0][1]
    # Only the broken answer is asked for again; fresh answers are not.
    assert asked_second == ["MSFT"] and second.quarantined == 1 and second.loaded_rows == 0
    assert asked_third == ["MSFT"] and third.fetched == 1


def test_a_run_asks_about_at_most_the_configured_number_of_tickers(
    runtime_for: MakeRuntime,
) -> None:
    with ReplayServer(ROOTS) as server:
        made = runtime_for(server)
        settings = made.settings.model_copy(
            update={"market": MarketSettings(ticker_details_per_run=1)}
        )
        runtime = _with_trades(Runtime(settings))
        try:
            refresh_ticker_details(runtime)
        finally:
            runtime.close()
        asked = _asked(server)
    assert asked == ["AAPL"]
