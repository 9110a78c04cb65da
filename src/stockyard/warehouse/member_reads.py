"""Read-only queries for members: the list with trade counts, one member's profile.

Same rules as ``queries.py``: bound parameters only, sort keys from whitelists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from stockyard.warehouse.queries import EST_AMOUNT, Page, fetch_records, order_by, run_paged

MEMBER_SORTS: dict[str, str] = {
    "trade_count": "trade_count",
    "last_trade_date": "last_trade_date",
    "name": "last_name",
    "state": "state",
    "party": "party",
    "chamber": "chamber",
    "volume": "est_volume",
}
DEFAULT_MEMBER_SORT = "-trade_count"


@dataclass(frozen=True, slots=True)
class MemberSummary:
    bioguide_id: str
    full_name: str | None
    last_name: str | None
    party: str | None
    state: str | None
    district: str | None
    chamber: str | None
    is_current: bool | None
    trade_count: int
    last_trade_date: date | None
    est_volume: float | None = None


@dataclass(frozen=True, slots=True)
class TickerCount:
    ticker: str
    trade_count: int


@dataclass(frozen=True, slots=True)
class TradeSummary:
    trade_count: int
    purchase_count: int
    sale_count: int
    exchange_count: int
    late_count: int
    first_tx_date: date | None
    last_tx_date: date | None
    top_tickers: list[TickerCount] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class MemberProfile:
    bioguide_id: str
    full_name: str | None
    first_name: str | None
    last_name: str | None
    party: str | None
    state: str | None
    district: str | None
    chamber: str | None
    committees: list[str]
    subcommittees: list[str]
    is_current: bool | None
    first_served: date | None
    last_served: date | None
    trades: TradeSummary


_MEMBER_SELECT = f"""
    WITH counts AS (
        SELECT bioguide_id, count(*) AS trade_count, max(tx_date) AS last_trade_date,
               sum({EST_AMOUNT}) AS est_volume
        FROM marts.fct_trades
        WHERE is_current AND bioguide_id IS NOT NULL
        GROUP BY bioguide_id
    )
    SELECT m.bioguide_id, m.full_name, m.last_name, m.party, m.state,
           CAST(m.district AS VARCHAR) AS district, m.chamber, m.is_current,
           coalesce(c.trade_count, 0) AS trade_count, c.last_trade_date,
           CAST(c.est_volume AS DOUBLE) AS est_volume
    FROM marts.dim_members AS m
    LEFT JOIN counts AS c USING (bioguide_id)
"""


def list_members(
    con: duckdb.DuckDBPyConnection,
    *,
    name: str | None = None,
    state: str | None = None,
    party: str | None = None,
    chamber: str | None = None,
    include_without_trades: bool = False,
    sort: str = DEFAULT_MEMBER_SORT,
    page: int = 1,
    page_size: int = 50,
) -> Page[MemberSummary]:
    """Members with their count of current trades; by default only those who have traded."""
    clauses: list[str] = []
    params: list[Any] = []
    if not include_without_trades:
        clauses.append("trade_count > 0")
    if name:
        clauses.append("contains(lower(full_name), lower(?))")
        params.append(name)
    if state:
        clauses.append("state = ?")
        params.append(state.upper())
    if party:
        clauses.append("upper(left(party, 1)) = ?")
        params.append(party.upper())
    if chamber:
        clauses.append("chamber = ?")
        params.append(chamber)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    order = order_by(sort, MEMBER_SORTS, tiebreak="bioguide_id")
    base = f"SELECT * FROM ({_MEMBER_SELECT}) {where}"
    records, total = run_paged(con, base, params, order, page, page_size)
    items = [MemberSummary(**record) for record in records]
    return Page(items=items, page=page, page_size=page_size, total=total)


def get_member(con: duckdb.DuckDBPyConnection, bioguide_id: str) -> MemberProfile | None:
    """A member's profile and a summary of their current trades, or None when unknown."""
    cursor = con.execute(
        """
        SELECT bioguide_id, full_name, first_name, last_name, party, state,
               CAST(district AS VARCHAR) AS district, chamber, committees, subcommittees,
               is_current, first_served, last_served
        FROM marts.dim_members WHERE bioguide_id = ?
        """,
        [bioguide_id.upper()],
    )
    records = fetch_records(cursor)
    if not records:
        return None
    record = records[0]
    record["committees"] = list(record["committees"] or [])
    record["subcommittees"] = list(record["subcommittees"] or [])
    return MemberProfile(**record, trades=_trade_summary(con, record["bioguide_id"]))


def _trade_summary(con: duckdb.DuckDBPyConnection, bioguide_id: str) -> TradeSummary:
    row = con.execute(
        """
        SELECT count(*),
               count(*) FILTER (WHERE tx_type = 'P'),
               count(*) FILTER (WHERE tx_type LIKE 'S%'),
               count(*) FILTER (WHERE tx_type = 'E'),
               count(*) FILTER (WHERE is_late),
               min(tx_date), max(tx_date)
        FROM marts.fct_trades WHERE is_current AND bioguide_id = ?
        """,
        [bioguide_id],
    ).fetchone()
    assert row is not None  # an aggregate without GROUP BY always returns one row
    tickers = con.execute(
        """
        SELECT ticker, count(*) AS n FROM marts.fct_trades
        WHERE is_current AND bioguide_id = ? AND ticker IS NOT NULL
        GROUP BY ticker ORDER BY n DESC, ticker LIMIT 5
        """,
        [bioguide_id],
    ).fetchall()
    return TradeSummary(
        trade_count=row[0],
        purchase_count=row[1],
        sale_count=row[2],
        exchange_count=row[3],
        late_count=row[4],
        first_tx_date=row[5],
        last_tx_date=row[6],
        top_tickers=[TickerCount(ticker=t, trade_count=n) for t, n in tickers],
    )
