"""resolve_trade_tickers over a real DuckDB file: one row per transactions row, rewritten whole;
and Settings.market reaching dbt as its variables."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest

from stockyard.config import MarketSettings, Settings
from stockyard.sources.polygon.parse import DailyBar, TickerRef
from stockyard.warehouse.dbt import BENCHMARK_ENV, PRICES_ADJUSTED_ENV, dbt_environment
from stockyard.warehouse.market import load_daily_bars, merge_ticker_reference
from stockyard.warehouse.raw import load_documents
from stockyard.warehouse.ticker_resolution import resolve_trade_tickers
from support.records import document, trade


def _bar(ticker: str, close: float) -> DailyBar:
    return DailyBar(ticker, date(2024, 1, 2), close, close, close, close, 1.0, None, None)


def _load_sample_lines(con: duckdb.DuckDBPyConnection) -> None:
    # Lines as the bundled filings print them.
    doc = document(
        "20024500",
        trade(0, asset_name="Apple Inc. - Common Stock", ticker="AAPL"),
        trade(1, asset_name="Apple Inc", ticker=None),
        trade(2, asset_name="Berkshire Hathaway Inc.", ticker="BRK-B"),
        trade(3, asset_name="Crane Co.", ticker="CR", asset_type="OP"),
        trade(
            4, asset_name="US TREASURY BILL DUE 03/20/25 (912797KJ5)", ticker=None, asset_type="GS"
        ),
        trade(5, asset_name="Lions Gate Entertainment Corp.", ticker="LGF-B"),
    )
    load_documents(
        con,
        source="house_clerk",
        dataset="ptr",
        partition="2024",
        documents=[(doc, "house_clerk/2024/20024500.pdf")],
    )


def test_every_line_gets_a_row_and_a_rerun_replaces_them(con: duckdb.DuckDBPyConnection) -> None:
    _load_sample_lines(con)
    load_daily_bars(
        con,
        partition="2024-01-02",
        bars=[_bar("AAPL", 185.64), _bar("BRK.B", 362.46), _bar("CR", 73.5)],
        landing_path=None,
        adjusted=True,
    )
    summary = resolve_trade_tickers(con)
    assert (summary.total, summary.resolved, summary.unresolved) == (6, 3, 3)
    assert summary.by_method == {
        "reported_ticker": 1,
        "learned_name": 1,
        "reported_ticker_reformatted": 1,
        "not_equity": 2,
        "unresolved": 1,
    }
    rows = con.execute(
        """SELECT "row", resolved_ticker, method, asset_class FROM raw.trade_tickers
           ORDER BY "row" """
    ).fetchall()
    assert rows == [
        (0, "AAPL", "reported_ticker", "equity"),
        (1, "AAPL", "learned_name", "equity"),
        (2, "BRK.B", "reported_ticker_reformatted", "equity"),
        (3, None, "not_equity", "option"),
        (4, None, "not_equity", "bond"),
        (5, None, "unresolved", "equity"),
    ]
    # Once reference data names Lions Gate's class B shares, a re-run resolves that line too
    # and leaves exactly one row per line.
    merge_ticker_reference(
        con,
        [TickerRef("LGF.B", "Lions Gate Entertainment Corp. Class B", "stocks", "CS", True,
                   "XNYS", None, None, None, None)],
        fetched_at=datetime(2024, 1, 3, tzinfo=UTC),
        complete=False,
        landing_path=None,
    )  # fmt: skip
    again = resolve_trade_tickers(con)
    assert (again.total, again.resolved) == (6, 4)
    lions = con.execute(
        """SELECT resolved_ticker, method, confidence FROM raw.trade_tickers WHERE "row" = 5"""
    ).fetchall()
    assert lions == [("LGF.B", "reported_ticker_reformatted", 0.95)]
    assert con.execute("SELECT count(*) FROM raw.trade_tickers").fetchone() == (6,)


def test_an_empty_warehouse_resolves_nothing(con: duckdb.DuckDBPyConnection) -> None:
    summary = resolve_trade_tickers(con)
    assert (summary.total, summary.resolved, summary.by_method) == (0, 0, {})


def test_market_settings_reach_dbt_as_its_variables(
    warehouse_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Settings().market == MarketSettings(benchmark="SPY", prices_adjusted=True)
    monkeypatch.setenv("STOCKYARD_MARKET__BENCHMARK", "market_equal_weight")
    assert Settings().market.benchmark == "market_equal_weight"
    environment = dbt_environment(
        warehouse_path,
        market=MarketSettings(benchmark="market_equal_weight", prices_adjusted=False),
    )
    assert environment[BENCHMARK_ENV] == "market_equal_weight"
    assert environment[PRICES_ADJUSTED_ENV] == "false"
    # without market settings dbt keeps whatever the process environment says
    assert BENCHMARK_ENV not in dbt_environment(warehouse_path)
