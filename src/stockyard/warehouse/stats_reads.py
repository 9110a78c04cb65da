"""Read-only aggregates for the overview and member pages: lag, late filings, party flows,
and performance against a benchmark (when the market marts exist).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb

from stockyard.warehouse.queries import (
    EST_AMOUNT,
    TradeFilters,
    TradeRow,
    fetch_records,
    has_relation,
    list_trades,
    trade_ticker_expr,
)

# The STOCK Act's outer limit: a trade reported more than 45 days after it happened is late.
LATE_AFTER_DAYS = 45
RECENT_WINDOW_DAYS = 90
# Disclosure-lag histogram bins in days: (label, lowest, highest or None for open-ended).
LAG_BINS: tuple[tuple[str, int, int | None], ...] = (
    ("0–15", 0, 15),
    ("16–30", 16, 30),
    ("31–45", 31, 45),
    ("46–90", 46, 90),
    ("91–180", 91, 180),
    ("181+", 181, None),
)


@dataclass(frozen=True, slots=True)
class LagStats:
    trades_with_lag: int
    median_lag_days: float | None
    late_trades: int  # lag over LATE_AFTER_DAYS
    late_share: float | None
    histogram: list[tuple[str, int]]


def lag_stats(con: duckdb.DuckDBPyConnection, bioguide_id: str | None = None) -> LagStats:
    """Disclosure lag over current trades (negative lags are data errors and left out)."""
    where = "is_current AND lag_days >= 0"
    params: list[Any] = []
    if bioguide_id:
        where += " AND bioguide_id = ?"
        params.append(bioguide_id.upper())
    bins = ", ".join(
        f"count(*) FILTER (WHERE lag_days >= {low}"
        + (f" AND lag_days <= {high})" if high is not None else ")")
        for _, low, high in LAG_BINS
    )
    row = con.execute(
        f"""
        SELECT count(*), median(lag_days),
               count(*) FILTER (WHERE lag_days > {LATE_AFTER_DAYS}), {bins}
        FROM marts.fct_trades WHERE {where}
        """,
        params,
    ).fetchone()
    assert row is not None  # an aggregate without GROUP BY always returns one row
    total = int(row[0])
    late = int(row[2])
    return LagStats(
        trades_with_lag=total,
        median_lag_days=float(row[1]) if row[1] is not None else None,
        late_trades=late,
        late_share=round(late / total, 4) if total else None,
        histogram=[(label, int(n)) for (label, _, _), n in zip(LAG_BINS, row[3:], strict=True)],
    )


@dataclass(frozen=True, slots=True)
class PartyFlow:
    month: date
    party: str  # one letter: D, R, I, or ? when unknown
    purchases: int
    sales: int


@dataclass(frozen=True, slots=True)
class TickerActivity:
    ticker: str
    trade_count: int
    purchases: int
    sales: int
    members: int


@dataclass(frozen=True, slots=True)
class Overview:
    data_through: date | None  # the newest filed date in the marts
    window_start: date | None  # "recent" starts here (RECENT_WINDOW_DAYS before data_through)
    trade_count: int
    member_count: int
    latest: list[TradeRow]
    biggest: list[TradeRow]
    top_tickers: list[TickerActivity]
    party_flows: list[PartyFlow]
    lag: LagStats


def overview(con: duckdb.DuckDBPyConnection, months: int = 36) -> Overview:
    """The front page: newest disclosures, biggest recent trades, busiest tickers, party flows."""
    row = con.execute(
        "SELECT max(filed_date), count(*), count(DISTINCT bioguide_id) "
        "FROM marts.fct_trades WHERE is_current"
    ).fetchone()
    assert row is not None
    through: date | None = row[0]
    start = through - timedelta(days=RECENT_WINDOW_DAYS) if through else None
    latest = list_trades(con, TradeFilters(), "-filed_date", 1, 10).items
    biggest = list_trades(con, TradeFilters(date_from=start), "-amount", 1, 10).items
    expr = trade_ticker_expr(con)
    tickers = [
        TickerActivity(**r)
        for r in fetch_records(
            con.execute(
                f"""
                SELECT {expr} AS ticker, count(*) AS trade_count,
                       count(*) FILTER (WHERE tx_type = 'P') AS purchases,
                       count(*) FILTER (WHERE tx_type LIKE 'S%') AS sales,
                       count(DISTINCT bioguide_id) AS members
                FROM marts.fct_trades
                WHERE is_current AND {expr} IS NOT NULL AND tx_date >= ?
                GROUP BY 1 ORDER BY trade_count DESC, ticker LIMIT 10
                """,
                [start],
            )
        )
    ]
    flows = [
        PartyFlow(**r)
        for r in fetch_records(
            con.execute(
                """
                SELECT date_trunc('month', tx_date)::DATE AS month,
                       coalesce(upper(left(party, 1)), '?') AS party,
                       count(*) FILTER (WHERE tx_type = 'P') AS purchases,
                       count(*) FILTER (WHERE tx_type LIKE 'S%') AS sales
                FROM marts.fct_trades
                WHERE is_current AND tx_date IS NOT NULL AND tx_date <= ?
                  AND tx_date >= ?
                GROUP BY ALL ORDER BY month, party
                """,
                [through, (through - timedelta(days=31 * months)) if through else None],
            )
        )
    ]
    return Overview(
        data_through=through,
        window_start=start,
        trade_count=int(row[1]),
        member_count=int(row[2]),
        latest=latest,
        biggest=biggest,
        top_tickers=tickers,
        party_flows=flows,
        lag=lag_stats(con),
    )


@dataclass(frozen=True, slots=True)
class MemberPerformance:
    benchmark: str | None
    trades: int
    priced_trades: int
    est_dollar_flow: float | None
    median_excess_30d: float | None
    median_excess_90d: float | None
    share_beat_benchmark_30d: float | None


def member_performance(
    con: duckdb.DuckDBPyConnection, bioguide_id: str
) -> MemberPerformance | None:
    """The member's returns against the benchmark, or None until marts.member_performance exists."""
    if not has_relation(con, "marts.member_performance"):
        return None
    found = fetch_records(
        con.execute(
            """
            SELECT benchmark, trades, priced_trades, CAST(est_dollar_flow AS DOUBLE) AS est_dollar_flow,
                   median_excess_30d, median_excess_90d, share_beat_benchmark_30d
            FROM marts.member_performance WHERE bioguide_id = ? LIMIT 1
            """,
            [bioguide_id.upper()],
        )
    )
    return MemberPerformance(**found[0]) if found else None


def member_volume(con: duckdb.DuckDBPyConnection, bioguide_id: str) -> float | None:
    row = con.execute(
        f"SELECT CAST(sum({EST_AMOUNT}) AS DOUBLE) FROM marts.fct_trades "
        "WHERE is_current AND bioguide_id = ?",
        [bioguide_id.upper()],
    ).fetchone()
    return row[0] if row else None
