"""Read-only queries for tickers: who trades what, daily prices, and trades to mark on them.

The ticker a trade counts under is the resolved one (``fct_trades.resolved_ticker``, from the
ticker-resolution step) when the mart has that column, else the ticker as disclosed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from stockyard.warehouse.queries import (
    BY_TICKER,
    EST_AMOUNT,
    Page,
    fetch_records,
    has_relation,
    order_by,
    run_paged,
    trade_layout,
    trade_party_expr,
    trade_ticker_expr,
)

TICKER_SORTS: dict[str, str] = {
    "ticker": "ticker",
    "trade_count": "trade_count",
    "members": "members",
    "purchases": "purchases",
    "sales": "sales",
    "volume": "est_volume",
    "last_trade_date": "last_trade_date",
}
DEFAULT_TICKER_SORT = "-trade_count"
MAX_MARKERS = 2000


@dataclass(frozen=True, slots=True)
class TickerSummary:
    ticker: str
    asset_name: str | None
    trade_count: int
    members: int
    purchases: int
    sales: int
    est_volume: float | None
    first_trade_date: date | None
    last_trade_date: date | None


def _summary_sql(expr: str, relation: str = "marts.fct_trades") -> str:
    return f"""
        SELECT {expr} AS ticker, mode(asset_name) AS asset_name, count(*) AS trade_count,
               count(DISTINCT bioguide_id) AS members,
               count(*) FILTER (WHERE tx_type = 'P') AS purchases,
               count(*) FILTER (WHERE tx_type LIKE 'S%') AS sales,
               CAST(sum({EST_AMOUNT}) AS DOUBLE) AS est_volume,
               min(tx_date) AS first_trade_date, max(tx_date) AS last_trade_date
        FROM {relation}
        WHERE is_current AND {expr} IS NOT NULL {{where}}
        GROUP BY 1
    """


def list_tickers(
    con: duckdb.DuckDBPyConnection,
    *,
    q: str | None = None,
    chamber: str | None = None,
    party: str | None = None,
    sort: str = DEFAULT_TICKER_SORT,
    page: int = 1,
    page_size: int = 50,
) -> Page[TickerSummary]:
    """Tickers members traded; ``q`` matches the start of a ticker or part of the asset name."""
    expr = trade_ticker_expr(con)
    clauses: list[str] = []
    params: list[Any] = []
    if chamber:
        clauses.append("chamber = ?")
        params.append(chamber)
    if party:
        clauses.append(f"{trade_party_expr(con)} = ?")
        params.append(party.upper())
    sql = _summary_sql(expr).format(where="".join(f" AND {c}" for c in clauses))
    if q:
        sql = (
            f"SELECT * FROM ({sql}) WHERE starts_with(ticker, upper(?)) "
            "OR contains(lower(asset_name), lower(?))"
        )
        params += [q, q]
    order = order_by(sort, TICKER_SORTS, tiebreak="ticker")
    records, total = run_paged(con, sql, params, order, page, page_size)
    return Page([TickerSummary(**r) for r in records], page, page_size, total)


@dataclass(frozen=True, slots=True)
class DailyBar:
    bar_date: date
    open: float
    high: float
    low: float
    close: float
    volume: float | None


@dataclass(frozen=True, slots=True)
class TradeMarker:
    """One trade to mark on the price chart, with what the hover shows."""

    trade_id: str
    tx_date: date
    tx_type: str | None
    bioguide_id: str | None
    member_name: str | None
    party: str | None
    owner: str | None
    amount_min: int | None
    amount_max: int | None
    filed_date: date | None


@dataclass(frozen=True, slots=True)
class TickerIndustry:
    """The SEC industry (SIC) Polygon's ticker details give the ticker."""

    sic: int
    sic_description: str | None


@dataclass(frozen=True, slots=True)
class TickerDetail:
    summary: TickerSummary
    bars: list[DailyBar]
    markers: list[TradeMarker]
    has_price_data: bool  # False until the market marts exist (then bars may still be empty)
    industry: TickerIndustry | None = None


def get_ticker(con: duckdb.DuckDBPyConnection, ticker: str) -> TickerDetail | None:
    layout = trade_layout(con)
    expr = layout.ticker_sql
    # One ticker's trades: from the ticker-ordered copy when the warehouse has one.
    relation = BY_TICKER if layout.by_ticker else "marts.fct_trades"
    key = ticker.strip().upper()
    found = fetch_records(
        con.execute(_summary_sql(expr, relation).format(where=f"AND {expr} = ?"), [key])
    )
    if not found:
        return None
    summary = TickerSummary(**found[0])
    markers = [
        TradeMarker(**r)
        for r in fetch_records(
            con.execute(
                f"""
                SELECT trade_id, tx_date, tx_type, bioguide_id, member_name, party, owner,
                       amount_min, amount_max, filed_date
                FROM {relation}
                WHERE is_current AND {expr} = ? AND tx_date IS NOT NULL
                ORDER BY tx_date DESC, trade_id LIMIT ?
                """,
                [key, MAX_MARKERS],
            )
        )
    ]
    has_prices = has_relation(con, "marts.fct_daily_bars")
    bars: list[DailyBar] = []
    if has_prices:
        bars = [
            DailyBar(**r)
            for r in fetch_records(
                con.execute(
                    """
                    SELECT bar_date, open, high, low, close, volume FROM marts.fct_daily_bars
                    WHERE upper(ticker) = ? ORDER BY bar_date
                    """,
                    [key],
                )
            )
        ]
    industry = None
    if has_relation(con, "marts.dim_ticker_industries"):
        row = con.execute(
            "SELECT sic, sic_description FROM marts.dim_ticker_industries WHERE ticker = ?", [key]
        ).fetchone()
        industry = TickerIndustry(sic=int(row[0]), sic_description=row[1]) if row else None
    return TickerDetail(summary, bars, markers, has_prices, industry)
