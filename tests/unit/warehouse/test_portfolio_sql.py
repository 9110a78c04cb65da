"""The follow-the-filings simulation (portfolio_sql) on small warehouses drawn at random, held
to a plain loop over days and trades (support.portfolio_oracle) and to the properties a
portfolio must have whatever its trades."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stockyard.warehouse.portfolio_sql import daily_sql, stats_sql
from support.portfolio_oracle import LEVELS, STRATEGIES, Leg, simulate

TICKERS = ("AAA", "BBB", "CCC")
DAYS = 40
BANDS = ((1001.0, 15000.0), (15001.0, 50000.0), (50001.0, 100000.0), (1000001.0, None))
KINDS = ("buy", "buy", "sell_all", "sell_part")  # purchases twice as likely


def _warehouse(closes: dict[str, list[float]], benchmark: list[float]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE SCHEMA marts")
    start = date(2021, 1, 4)
    con.execute(
        "CREATE TABLE marts.fct_market_days AS SELECT * FROM (VALUES "
        + ", ".join(
            f"(DATE '{start + timedelta(days=i)}', {i + 1}, {level})"
            for i, level in enumerate(benchmark)
        )
        + ") AS t (trading_day, day_seq, benchmark_level)"
    )
    rows = ", ".join(
        f"('{t}', {i + 1}, {c!r})" for t, series in closes.items() for i, c in enumerate(series)
    )
    con.execute(
        "CREATE TABLE marts.fct_portfolio_closes AS SELECT * FROM (VALUES "
        + rows
        + ") AS t (ticker, day_seq, close)"
    )
    con.execute(
        """CREATE TABLE marts.fct_portfolio_legs (
               trade_id VARCHAR, strategy VARCHAR, ticker VARCHAR, kind VARCHAR,
               amount_low DOUBLE, amount_mid DOUBLE, amount_high DOUBLE, day_seq INT,
               price DOUBLE, unpriced_reason VARCHAR)"""
    )
    return con


def _add_legs(con: duckdb.DuckDBPyConnection, legs: list[Leg]) -> None:
    if not legs:
        return
    con.executemany(
        "INSERT INTO marts.fct_portfolio_legs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [
            (
                leg.trade_id,
                leg.strategy,
                leg.ticker,
                leg.kind,
                leg.amounts["low"],
                leg.amounts["mid"],
                leg.amounts["high"],
                leg.day_seq,
                leg.price,
            )
            for leg in legs
        ],
    )


MEMBERS = "SELECT DISTINCT 'p' AS portfolio_id, trade_id FROM marts.fct_portfolio_legs"


def _sql_days(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[tuple]]:
    rows = con.execute(
        f"""SELECT strategy, level, day_seq, value, cash, invested, index_value,
                   benchmark_value
            FROM ({daily_sql("marts", MEMBERS)}) ORDER BY day_seq"""
    ).fetchall()
    out: dict[tuple[str, str], list[tuple]] = {}
    for strategy, level, *rest in rows:
        out.setdefault((strategy, level), []).append(tuple(rest))
    return out


prices = st.floats(min_value=5, max_value=500, allow_nan=False, allow_infinity=False)


@st.composite
def markets(draw: st.DrawFn) -> tuple[dict[str, list[float]], list[float]]:
    closes = {t: draw(st.lists(prices, min_size=DAYS, max_size=DAYS)) for t in TICKERS}
    benchmark = draw(st.lists(prices, min_size=DAYS, max_size=DAYS))
    return closes, benchmark


@st.composite
def trades(
    draw: st.DrawFn, closes: dict[str, list[float]], kinds: tuple[str, ...] = KINDS
) -> list[tuple[str, str, tuple[float, float | None], int, int]]:
    """(trade_id, kind, band, ticker, insider day, public day) drawn on the market given."""
    count = draw(st.integers(min_value=0, max_value=12))
    out = []
    for n in range(count):
        ticker = draw(st.sampled_from(TICKERS))
        kind = draw(st.sampled_from(kinds))
        band = draw(st.sampled_from(BANDS))
        traded = draw(st.integers(min_value=1, max_value=DAYS))
        filed = draw(st.integers(min_value=traded, max_value=DAYS))
        out.append((f"t{n:02d}", ticker, kind, band, traded, filed))
    return out


def _legs(drawn: list, closes: dict[str, list[float]], same_day: bool = False) -> list[Leg]:
    legs = []
    for trade_id, ticker, kind, (low, high), traded, filed in drawn:
        amounts = {
            "low": low,
            "mid": low if high is None else (low + high) / 2,
            "high": low if high is None else high,
        }
        for strategy, day in (("insider", traded), ("public", traded if same_day else filed)):
            legs.append(
                Leg(trade_id, strategy, ticker, kind, amounts, day, closes[ticker][day - 1])
            )
    return legs


def _oracle(legs: list[Leg], closes: dict[str, list[float]], benchmark: list[float]):
    by_day = {(t, i + 1): c for t, series in closes.items() for i, c in enumerate(series)}
    days = [(i + 1, date(2021, 1, 4) + timedelta(days=i), b) for i, b in enumerate(benchmark)]
    return {(s, lv): simulate(legs, by_day, days, s, lv) for s in STRATEGIES for lv in LEVELS}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_sql_simulation_equals_working_it_out_day_by_day(data: st.DataObject) -> None:
    closes, benchmark = data.draw(markets())
    legs = _legs(data.draw(trades(closes)), closes)
    con = _warehouse(closes, benchmark)
    _add_legs(con, legs)
    sql = _sql_days(con)
    expected = _oracle(legs, closes, benchmark)
    for key, days in expected.items():
        got = sql.get(key, [])
        assert len(got) == len(days), key
        for mine, theirs in zip(days, got, strict=True):
            day_seq, value, cash, invested, index, benchmark_value = theirs
            assert day_seq == mine.day_seq
            assert value == pytest.approx(mine.value, abs=0.005), (key, day_seq)
            assert cash == pytest.approx(mine.cash, abs=0.005), (key, day_seq)
            assert invested == pytest.approx(mine.invested, abs=0.005), (key, day_seq)
            assert index == pytest.approx(mine.index, rel=1e-9), (key, day_seq)
            assert benchmark_value == pytest.approx(mine.benchmark_value, abs=0.005)


def test_a_portfolio_with_no_trades_is_flat() -> None:
    closes = {t: [10.0 + i for i in range(DAYS)] for t in TICKERS}
    con = _warehouse(closes, [100.0 + i for i in range(DAYS)])
    memberships = "SELECT 'empty' AS portfolio_id, 'no-such-trade' AS trade_id"
    rows = con.execute(
        f"SELECT DISTINCT value, cash, invested, index_value FROM ({daily_sql('marts', memberships)})"
    ).fetchall()
    assert rows == [(0.0, 0.0, 0.0, 1.0)]
    days = con.execute(f"SELECT count(*) FROM ({daily_sql('marts', memberships)})").fetchone()
    assert days == (DAYS * len(STRATEGIES) * len(LEVELS),)


def test_sales_of_what_was_never_held_leave_it_flat_and_are_counted() -> None:
    closes = {t: [10.0 + i for i in range(DAYS)] for t in TICKERS}
    con = _warehouse(closes, [100.0] * DAYS)
    drawn = [("s1", "AAA", "sell_all", BANDS[0], 3, 5), ("s2", "BBB", "sell_part", BANDS[1], 4, 9)]
    _add_legs(con, _legs(drawn, closes))
    assert {v for days in _sql_days(con).values() for (_, v, *_rest) in days} == {0.0}
    daily = f"({daily_sql('marts', MEMBERS)})"
    stats = con.execute(
        f"SELECT strategy, level, unheld_sales, priced_trades FROM "
        f"({stats_sql('marts', MEMBERS, daily)})"
    ).fetchall()
    assert {(s[2], s[3]) for s in stats} == {(2, 2)}


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_with_purchases_only_the_floor_is_worth_least_and_the_ceiling_most(
    data: st.DataObject,
) -> None:
    closes, benchmark = data.draw(markets())
    legs = _legs(data.draw(trades(closes, kinds=("buy",))), closes)
    con = _warehouse(closes, benchmark)
    _add_legs(con, legs)
    sql = _sql_days(con)
    for strategy in STRATEGIES:
        low, mid, high = (sql.get((strategy, lv), []) for lv in LEVELS)
        for a, b, c in zip(low, mid, high, strict=True):
            assert a[1] <= b[1] + 1e-6 and b[1] <= c[1] + 1e-6, (strategy, a[0])


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_public_and_insider_agree_when_every_filing_is_same_day(data: st.DataObject) -> None:
    closes, benchmark = data.draw(markets())
    legs = _legs(data.draw(trades(closes)), closes, same_day=True)
    con = _warehouse(closes, benchmark)
    _add_legs(con, legs)
    sql = _sql_days(con)
    for level in LEVELS:
        public, insider = sql.get(("public", level), []), sql.get(("insider", level), [])
        assert len(public) == len(insider)
        # Equal but for the order a parallel sum adds in: a few units in the last place.
        flat = [x for day in public for x in day]
        assert flat == pytest.approx([x for day in insider for x in day], rel=1e-12, abs=1e-9)
