"""Market-data loads: bars idempotent with impossible bars quarantined; reference data kept as
history (never deleted, never blanked); the trading calendar upserted."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import duckdb
import pytest

from stockyard.models import QuarantineRecord
from stockyard.sources.polygon.parse import DailyBar, TickerRef
from stockyard.warehouse.market import (
    bar_problem,
    load_daily_bars,
    merge_ticker_reference,
    record_market_days,
)

# Real bars (tests/fixtures/prices): AAPL and MSFT on 2020-07-01.
AAPL = DailyBar(
    "AAPL", date(2020, 7, 1), 91.27999877929688, 91.83999633789062, 90.97750091552734,
    91.02749633789062, 110737200.0, None, None,
)  # fmt: skip
MSFT = DailyBar(
    "MSFT", date(2020, 7, 1), 203.13999938964844, 206.3500061035156, 201.7700042724609,
    204.6999969482422, 32061200.0, 204.1, 412_345,
)  # fmt: skip


def rows(con: duckdb.DuckDBPyConnection, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    return con.execute(sql, list(params)).fetchall()


# -- daily bars -----------------------------------------------------------------------------------
def test_a_bar_load_is_idempotent_per_partition(con: duckdb.DuckDBPyConnection) -> None:
    first = load_daily_bars(
        con, partition="2020-07-01", bars=[AAPL, MSFT], landing_path="p/1.json", adjusted=True
    )
    again = load_daily_bars(
        con, partition="2020-07-01", bars=[AAPL, MSFT], landing_path="p/1.json", adjusted=True
    )
    assert (first.rows, again.rows, again.quarantined) == (2, 2, 0)
    assert rows(con, "SELECT ticker, close, vwap, transactions, adjusted FROM raw.daily_bars ORDER BY 1") == [
        ("AAPL", 91.02749633789062, None, None, True),
        ("MSFT", 204.6999969482422, 204.1, 412_345, True),
    ]  # fmt: skip
    lineage = rows(
        con, "SELECT DISTINCT _source, _dataset, _partition, _landing_path FROM raw.daily_bars"
    )
    assert lineage == [("polygon", "grouped_daily", "2020-07-01", "p/1.json")]  # fmt: skip


def test_another_partition_keeps_its_own_version_of_a_ticker_day(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_daily_bars(con, partition="2020-07-01", bars=[AAPL], landing_path=None, adjusted=True)
    load_daily_bars(
        con,
        partition="AAPL:2020-07-01:2020-07-31",
        bars=[replace(AAPL, close=91.0)],
        landing_path=None,
        adjusted=True,
        dataset="range_bars",
    )
    # raw keeps both loads; fct_daily_bars picks the latest one
    assert rows(con, "SELECT _dataset, close FROM raw.daily_bars ORDER BY 1") == [
        ("grouped_daily", 91.02749633789062),
        ("range_bars", 91.0),
    ]


def test_impossible_and_duplicate_bars_are_quarantined_with_the_reason(
    con: duckdb.DuckDBPyConnection,
) -> None:
    inverted = replace(MSFT, ticker="XOM", high=40.0, low=45.0)
    zero = replace(MSFT, ticker="ZERO", low=0.0)
    close_above_high = replace(MSFT, ticker="HI", close=207.0)
    parser_reject = QuarantineRecord(
        "polygon", "grouped_daily", "field 'o' missing", None, "results[7]"
    )
    result = load_daily_bars(
        con,
        partition="2020-07-01",
        bars=[AAPL, inverted, zero, close_above_high, replace(AAPL, close=91.5)],
        landing_path="p/1.json",
        adjusted=True,
        rejects=[parser_reject],
    )  # fmt: skip
    assert (result.rows, result.quarantined) == (1, 5)
    assert rows(con, "SELECT ticker, close FROM raw.daily_bars") == [("AAPL", 91.02749633789062)]
    reasons = dict(rows(con, "SELECT record_ref, reason FROM raw.quarantine"))
    assert reasons["XOM 2020-07-01"] == "high 40.0 below low 45.0"
    assert reasons["ZERO 2020-07-01"].startswith("non-positive price (low=0.0)")
    assert reasons["HI 2020-07-01"] == "high 206.3500061035156 below open/close 207.0"
    assert reasons["AAPL 2020-07-01"].startswith("duplicate ticker-day")
    assert reasons["results[7]"] == "field 'o' missing"
    paths = rows(con, "SELECT DISTINCT landing_path, _partition FROM raw.quarantine")
    assert paths == [("p/1.json", "2020-07-01")]
    # reloading the partition replaces its quarantine rows too
    load_daily_bars(con, partition="2020-07-01", bars=[AAPL], landing_path=None, adjusted=True)
    assert rows(con, "SELECT count(*) FROM raw.quarantine") == [(0,)]


def test_bar_problem_accepts_a_real_day_and_names_nan() -> None:
    assert bar_problem(AAPL) is None
    assert bar_problem(replace(AAPL, open=float("nan"))) == "non-positive price (open=nan)"


# -- ticker reference -----------------------------------------------------------------------------
T0 = datetime(2024, 1, 2, tzinfo=UTC)
T1 = datetime(2024, 2, 1, tzinfo=UTC)
T2 = datetime(2024, 3, 1, tzinfo=UTC)


def ref(ticker: str, name: str, **more: Any) -> TickerRef:
    fields: dict[str, Any] = {
        "ticker": ticker,
        "name": name,
        "market": "stocks",
        "type": "CS",
        "active": True,
        "primary_exchange": "XNAS",
        "cik": None,
        "composite_figi": None,
        "delisted_utc": None,
        "last_updated": None,
    }
    fields.update(more)
    return TickerRef(**fields)


APPLE = ref("AAPL", "Apple Inc.", cik="0000320193", composite_figi="BBG000B9XRY4")
META = ref("FB", "Facebook, Inc. Class A Common Stock")
XLNX = ref("XLNX", "Xilinx, Inc.")


def history(con: duckdb.DuckDBPyConnection, ticker: str) -> list[tuple[Any, ...]]:
    return rows(
        con,
        """SELECT name, active, delisted_utc, valid_from, valid_to, is_current
           FROM raw.ticker_reference WHERE ticker = ? ORDER BY valid_from""",
        ticker,
    )


def test_first_fetch_opens_one_current_row_per_ticker(con: duckdb.DuckDBPyConnection) -> None:
    result = merge_ticker_reference(
        con, [APPLE, META, XLNX], fetched_at=T0, complete=True, landing_path="t/0.json"
    )
    assert (result.new, result.changed, result.unchanged, result.closed) == (3, 0, 0, 0)
    assert history(con, "AAPL") == [("Apple Inc.", True, None, T0, None, True)]
    again = merge_ticker_reference(
        con, [APPLE, META, XLNX], fetched_at=T1, complete=True, landing_path=None
    )
    assert (again.new, again.changed, again.unchanged, again.closed) == (0, 0, 3, 0)
    assert rows(con, "SELECT count(*) FROM raw.ticker_reference") == [(3,)]


def test_a_rename_and_a_delisting_close_the_old_row_and_open_a_new_one(
    con: duckdb.DuckDBPyConnection,
) -> None:
    merge_ticker_reference(
        con, [APPLE, META, XLNX], fetched_at=T0, complete=True, landing_path=None
    )
    delisted = datetime(2022, 2, 14, tzinfo=UTC)
    result = merge_ticker_reference(
        con,
        [
            APPLE,
            replace(META, name="Meta Platforms, Inc. Class A Common Stock"),
            replace(XLNX, active=False, delisted_utc=delisted),
        ],
        fetched_at=T1,
        complete=True,
        landing_path=None,
    )  # fmt: skip
    assert (result.new, result.changed, result.unchanged, result.closed) == (0, 2, 1, 0)
    assert history(con, "FB") == [
        ("Facebook, Inc. Class A Common Stock", True, None, T0, T1, False),
        ("Meta Platforms, Inc. Class A Common Stock", True, None, T1, None, True),
    ]
    assert history(con, "XLNX") == [
        ("Xilinx, Inc.", True, None, T0, T1, False),
        ("Xilinx, Inc.", False, delisted, T1, None, True),
    ]


def test_an_empty_or_partial_fetch_deletes_and_blanks_nothing(
    con: duckdb.DuckDBPyConnection,
) -> None:
    merge_ticker_reference(
        con, [APPLE, META, XLNX], fetched_at=T0, complete=True, landing_path=None
    )
    before = rows(con, "SELECT * EXCLUDE (_loaded_at) FROM raw.ticker_reference ORDER BY ticker")
    empty = merge_ticker_reference(con, [], fetched_at=T1, complete=True, landing_path=None)
    assert (empty.new, empty.changed, empty.unchanged, empty.closed) == (0, 0, 0, 0)
    # a partial fetch (a page failed) lists only AAPL, and without its cik: nothing is closed,
    # and the cik we know stays
    partial = merge_ticker_reference(
        con, [replace(APPLE, cik=None)], fetched_at=T1, complete=False, landing_path=None
    )
    assert (partial.unchanged, partial.closed) == (1, 0)
    after = rows(con, "SELECT * EXCLUDE (_loaded_at) FROM raw.ticker_reference ORDER BY ticker")
    assert after == before


def test_a_ticker_missing_from_a_complete_fetch_becomes_inactive_not_deleted(
    con: duckdb.DuckDBPyConnection,
) -> None:
    merge_ticker_reference(
        con, [APPLE, META, XLNX], fetched_at=T0, complete=True, landing_path=None
    )
    result = merge_ticker_reference(
        con, [APPLE, META], fetched_at=T1, complete=True, landing_path=None
    )
    assert (result.unchanged, result.closed) == (2, 1)
    assert history(con, "XLNX") == [
        ("Xilinx, Inc.", True, None, T0, T1, False),
        ("Xilinx, Inc.", False, None, T1, None, True),
    ]
    # already inactive: a later complete fetch without it changes nothing more
    later = merge_ticker_reference(
        con, [APPLE, META], fetched_at=T2, complete=True, landing_path=None
    )
    assert later.closed == 0
    assert len(history(con, "XLNX")) == 2
    # and it comes back when listed again
    back = merge_ticker_reference(
        con, [APPLE, META, XLNX], fetched_at=T2 + (T2 - T1), complete=True, landing_path=None
    )
    assert back.changed == 1
    assert history(con, "XLNX")[-1][1:] == (True, None, T2 + (T2 - T1), None, True)


def test_an_older_fetch_cannot_undo_a_newer_one(con: duckdb.DuckDBPyConnection) -> None:
    merge_ticker_reference(con, [APPLE], fetched_at=T1, complete=True, landing_path=None)
    result = merge_ticker_reference(
        con, [replace(APPLE, name="Apple Computer, Inc.")], fetched_at=T0, complete=True,
        landing_path=None,
    )  # fmt: skip
    assert (result.changed, result.stale) == (0, 1)
    assert history(con, "AAPL") == [("Apple Inc.", True, None, T1, None, True)]


def test_a_ticker_listed_twice_keeps_the_active_copy_and_quarantines_the_other(
    con: duckdb.DuckDBPyConnection,
) -> None:
    old_listing = replace(META, name="Old FB Corp", active=False)
    result = merge_ticker_reference(
        con, [old_listing, META], fetched_at=T0, complete=True, landing_path="t/0.json"
    )
    assert (result.new, result.duplicates) == (1, 1)
    assert history(con, "FB")[0][:2] == ("Facebook, Inc. Class A Common Stock", True)
    assert rows(con, "SELECT record_ref, landing_path FROM raw.quarantine") == [("FB", "t/0.json")]


# -- market days ----------------------------------------------------------------------------------
def test_market_days_are_upserted(con: duckdb.DuckDBPyConnection) -> None:
    record_market_days(con, {date(2020, 9, 4): True, date(2020, 9, 7): True})
    # Labor Day: corrected to closed; a new day added
    record_market_days(con, {date(2020, 9, 7): False, date(2020, 9, 8): True})
    record_market_days(con, {})
    assert rows(con, "SELECT day, is_trading_day FROM raw.market_days ORDER BY day") == [
        (date(2020, 9, 4), True),
        (date(2020, 9, 7), False),
        (date(2020, 9, 8), True),
    ]


@pytest.mark.parametrize("adjusted", [True, False])
def test_the_adjusted_flag_is_stored(con: duckdb.DuckDBPyConnection, adjusted: bool) -> None:
    load_daily_bars(con, partition="d", bars=[AAPL], landing_path=None, adjusted=adjusted)
    assert rows(con, "SELECT adjusted FROM raw.daily_bars") == [(adjusted,)]
