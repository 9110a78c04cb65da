"""Read-only queries for states and committees: who sits there and what they traded.

Same rules as ``queries.py``: bound parameters only, sort keys from whitelists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from stockyard.warehouse.queries import (
    EST_AMOUNT,
    Page,
    fetch_records,
    has_relation,
    order_by,
    run_paged,
)

STATE_SORTS: dict[str, str] = {
    "state": "state",
    "members": "members",
    "traders": "traders",
    "trade_count": "trade_count",
    "volume": "est_volume",
    "last_trade_date": "last_trade_date",
}
DEFAULT_STATE_SORT = "-trade_count"

COMMITTEE_SORTS: dict[str, str] = {
    "name": "committee_name",
    "chamber": "chamber",
    "members": "members",
    "traders": "traders",
    "trade_count": "trade_count",
    "volume": "est_volume",
}
DEFAULT_COMMITTEE_SORT = "-trade_count"

# A committee's seats, in rank order unless asked otherwise.
SEAT_SORTS: dict[str, str] = {
    "rank": 'b."rank"',
    "name": "m.last_name",
    "party": "m.party",
    "state": "m.state",
    "title": "b.title",
    "trade_count": "trade_count",
    "volume": "est_volume",
    "last_trade_date": "t.last_trade_date",
}
DEFAULT_SEAT_SORT = "rank"

# Per-member trade totals, reused by both pages.
_MEMBER_TOTALS = f"""
    SELECT bioguide_id, count(*) AS trade_count, sum({EST_AMOUNT}) AS est_volume,
           max(tx_date) AS last_trade_date
    FROM marts.fct_trades WHERE is_current AND bioguide_id IS NOT NULL GROUP BY bioguide_id
"""


@dataclass(frozen=True, slots=True)
class StateSummary:
    state: str
    members: int  # current members of Congress from the state
    traders: int  # of them (or former members) with at least one disclosed trade
    trade_count: int
    est_volume: float | None
    purchases: int
    sales: int
    last_trade_date: date | None


_STATES_SQL = f"""
    WITH seats AS (
        SELECT state, count(*) AS members FROM marts.dim_members
        WHERE is_current AND state IS NOT NULL GROUP BY state
    ),
    trades AS (
        SELECT state, count(DISTINCT bioguide_id) AS traders, count(*) AS trade_count,
               CAST(sum({EST_AMOUNT}) AS DOUBLE) AS est_volume,
               count(*) FILTER (WHERE tx_type = 'P') AS purchases,
               count(*) FILTER (WHERE tx_type LIKE 'S%') AS sales,
               max(tx_date) AS last_trade_date
        FROM marts.fct_trades WHERE is_current AND state IS NOT NULL {{chamber}} GROUP BY state
    )
    SELECT state, coalesce(s.members, 0) AS members, coalesce(t.traders, 0) AS traders,
           coalesce(t.trade_count, 0) AS trade_count, t.est_volume,
           coalesce(t.purchases, 0) AS purchases, coalesce(t.sales, 0) AS sales,
           t.last_trade_date
    FROM seats AS s FULL OUTER JOIN trades AS t USING (state)
"""


def list_states(
    con: duckdb.DuckDBPyConnection,
    *,
    chamber: str | None = None,
    sort: str = DEFAULT_STATE_SORT,
    page: int = 1,
    page_size: int = 100,
) -> Page[StateSummary]:
    """Every state (and territory) with seats or trades, with its trading totals."""
    params: list[Any] = []
    chamber_clause = ""
    if chamber:
        chamber_clause = "AND chamber = ?"
        params.append(chamber)
    sql = _STATES_SQL.format(chamber=chamber_clause)
    order = order_by(sort, STATE_SORTS, tiebreak="state")
    records, total = run_paged(con, sql, params, order, page, page_size)
    return Page([StateSummary(**r) for r in records], page, page_size, total)


def get_state(con: duckdb.DuckDBPyConnection, state: str) -> StateSummary | None:
    sql = f"SELECT * FROM ({_STATES_SQL.format(chamber='')}) WHERE state = ?"
    records = fetch_records(con.execute(sql, [state.upper()]))
    return StateSummary(**records[0]) if records else None


@dataclass(frozen=True, slots=True)
class CommitteeSummary:
    committee_id: str
    committee_name: str | None
    chamber: str | None
    parent_committee_id: str | None
    members: int
    traders: int
    trade_count: int
    est_volume: float | None


_COMMITTEES_SQL = f"""
    WITH totals AS ({_MEMBER_TOTALS})
    SELECT b.committee_id, any_value(b.committee_name) AS committee_name,
           any_value(b.chamber) AS chamber, any_value(b.parent_committee_id) AS parent_committee_id,
           count(DISTINCT b.bioguide_id) AS members,
           count(DISTINCT t.bioguide_id) AS traders,
           coalesce(sum(t.trade_count), 0) AS trade_count,
           CAST(sum(t.est_volume) AS DOUBLE) AS est_volume
    FROM marts.bridge_member_committees AS b
    LEFT JOIN totals AS t USING (bioguide_id)
    GROUP BY b.committee_id
"""


def list_committees(
    con: duckdb.DuckDBPyConnection,
    *,
    name: str | None = None,
    chamber: str | None = None,
    include_subcommittees: bool = False,
    sort: str = DEFAULT_COMMITTEE_SORT,
    page: int = 1,
    page_size: int = 50,
) -> Page[CommitteeSummary]:
    """Committees with how many of their members trade and how much; empty before they load."""
    if not has_relation(con, "marts.bridge_member_committees"):
        return Page([], page, page_size, 0)
    clauses: list[str] = []
    params: list[Any] = []
    if not include_subcommittees:
        clauses.append("parent_committee_id IS NULL")
    if name:
        clauses.append("contains(lower(committee_name), lower(?))")
        params.append(name)
    if chamber:
        clauses.append("chamber = ?")
        params.append(chamber)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"SELECT * FROM ({_COMMITTEES_SQL}) {where}"
    order = order_by(sort, COMMITTEE_SORTS, tiebreak="committee_id")
    records, total = run_paged(con, sql, params, order, page, page_size)
    return Page([CommitteeSummary(**r) for r in records], page, page_size, total)


@dataclass(frozen=True, slots=True)
class CommitteeSeat:
    bioguide_id: str
    full_name: str | None
    party: str | None
    state: str | None
    title: str | None
    rank: int | None
    trade_count: int
    est_volume: float | None
    last_trade_date: date | None


@dataclass(frozen=True, slots=True)
class CommitteeDetail:
    summary: CommitteeSummary
    jurisdiction: str | None
    parent_name: str | None
    subcommittees: list[CommitteeSummary]
    seats: list[CommitteeSeat]
    top_tickers: list[tuple[str, int]]


def get_committee(
    con: duckdb.DuckDBPyConnection, committee_id: str, seat_sort: str = DEFAULT_SEAT_SORT
) -> CommitteeDetail | None:
    """A committee with its seats ordered by ``seat_sort`` (a SEAT_SORTS key, ``-`` for
    descending; ValueError for anything else)."""
    seat_order = order_by(seat_sort, SEAT_SORTS, tiebreak="m.last_name, b.bioguide_id")
    if not has_relation(con, "marts.bridge_member_committees"):
        return None
    key = committee_id.upper()
    found = fetch_records(
        con.execute(f"SELECT * FROM ({_COMMITTEES_SQL}) WHERE committee_id = ?", [key])
    )
    if not found:
        return None
    summary = CommitteeSummary(**found[0])
    subcommittees = [
        CommitteeSummary(**r)
        for r in fetch_records(
            con.execute(
                f"SELECT * FROM ({_COMMITTEES_SQL}) WHERE parent_committee_id = ? "
                "ORDER BY committee_name",
                [key],
            )
        )
    ]
    seats = [
        CommitteeSeat(**r)
        for r in fetch_records(
            con.execute(
                f"""
                WITH totals AS ({_MEMBER_TOTALS})
                SELECT b.bioguide_id, m.full_name, m.party, m.state, b.title, b."rank" AS rank,
                       coalesce(t.trade_count, 0) AS trade_count,
                       CAST(t.est_volume AS DOUBLE) AS est_volume, t.last_trade_date
                FROM marts.bridge_member_committees AS b
                LEFT JOIN marts.dim_members AS m USING (bioguide_id)
                LEFT JOIN totals AS t USING (bioguide_id)
                WHERE b.committee_id = ?
                {seat_order}
                """,
                [key],
            )
        )
    ]
    tickers = con.execute(
        """
        SELECT ticker, count(*) AS n FROM marts.fct_trades
        WHERE is_current AND ticker IS NOT NULL AND bioguide_id IN (
            SELECT bioguide_id FROM marts.bridge_member_committees WHERE committee_id = ?)
        GROUP BY ticker ORDER BY n DESC, ticker LIMIT 10
        """,
        [key],
    ).fetchall()
    jurisdiction = parent_name = None
    if has_relation(con, "raw.committees", "jurisdiction"):
        row = con.execute(
            "SELECT jurisdiction FROM raw.committees WHERE committee_id = ? LIMIT 1", [key]
        ).fetchone()
        jurisdiction = row[0] if row else None
    if summary.parent_committee_id:
        row = con.execute(
            "SELECT any_value(committee_name) FROM marts.bridge_member_committees "
            "WHERE committee_id = ?",
            [summary.parent_committee_id],
        ).fetchone()
        parent_name = row[0] if row else None
    return CommitteeDetail(
        summary=summary,
        jurisdiction=jurisdiction,
        parent_name=parent_name,
        subcommittees=subcommittees,
        seats=seats,
        top_tickers=[(str(t), int(n)) for t, n in tickers],
    )


@dataclass(frozen=True, slots=True)
class MemberSeat:
    committee_id: str
    committee_name: str | None
    parent_committee_id: str | None
    title: str | None


def member_committees(con: duckdb.DuckDBPyConnection, bioguide_id: str) -> list[MemberSeat]:
    """A member's committee and subcommittee seats, committees first, with ids to link to."""
    if not has_relation(con, "marts.bridge_member_committees"):
        return []
    cursor = con.execute(
        """
        SELECT DISTINCT committee_id, committee_name, parent_committee_id, title
        FROM marts.bridge_member_committees WHERE bioguide_id = ?
        ORDER BY parent_committee_id NULLS FIRST, committee_name
        """,
        [bioguide_id.upper()],
    )
    return [MemberSeat(**r) for r in fetch_records(cursor)]
