"""Read-only queries for the committee-oversight flags (marts.fct_oversight_trades).

A warehouse published before that mart existed answers "no flags" rather than failing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import duckdb

from stockyard.warehouse.queries import fetch_records, has_relation

OVERSIGHT = "marts.fct_oversight_trades"
INDUSTRIES = "marts.dim_ticker_industries"


@dataclass(frozen=True, slots=True)
class OversightFlag:
    """One committee of the member's whose industries include the trade's."""

    trade_id: str
    committee_id: str
    committee_name: str | None
    sector: str
    sic: int
    sic_description: str | None


@dataclass(frozen=True, slots=True)
class OversightTrade:
    trade_id: str
    ticker: str
    asset_name: str | None
    tx_type: str | None
    tx_date: date | None
    amount_min: int | None
    amount_max: int | None
    sic: int
    sic_description: str | None
    committees: list[str]  # committee names (ids where a name is missing)


@dataclass(frozen=True, slots=True)
class CommitteeOversight:
    committee_id: str
    committee_name: str | None
    sectors: list[str]
    trades: int


@dataclass(frozen=True, slots=True)
class MemberOversight:
    """A member's trades in industries their committees oversee, and how far that can be told:
    only tickers with a known industry code can be flagged."""

    flagged_trades: int
    tickers_traded: int
    tickers_with_industry: int
    by_committee: list[CommitteeOversight] = field(default_factory=list)
    recent: list[OversightTrade] = field(default_factory=list)


def oversight_flags(
    con: duckdb.DuckDBPyConnection, trade_ids: Sequence[str]
) -> dict[str, list[OversightFlag]]:
    """The flags of these trades (those without any are absent)."""
    if not trade_ids or not has_relation(con, OVERSIGHT):
        return {}
    cursor = con.execute(
        f"""SELECT trade_id, committee_id, committee_name, sector, sic, sic_description
            FROM {OVERSIGHT} WHERE trade_id IN (SELECT unnest(?::VARCHAR[]))
            ORDER BY trade_id, committee_id""",
        [list(trade_ids)],
    )
    flags: dict[str, list[OversightFlag]] = {}
    for record in fetch_records(cursor):
        flags.setdefault(record["trade_id"], []).append(OversightFlag(**record))
    return flags


def member_oversight(
    con: duckdb.DuckDBPyConnection, bioguide_id: str, recent: int = 20
) -> MemberOversight | None:
    """None when the warehouse has no oversight mart (published by an older Stockyard)."""
    if not (has_relation(con, OVERSIGHT) and has_relation(con, INDUSTRIES)):
        return None
    coverage = con.execute(
        f"""
        SELECT count(DISTINCT t.ticker_key), count(DISTINCT d.ticker)
        FROM marts.fct_trades AS t
        LEFT JOIN {INDUSTRIES} AS d ON d.ticker = t.ticker_key
        WHERE t.is_current AND t.bioguide_id = ? AND t.ticker_key IS NOT NULL
        """,
        [bioguide_id],
    ).fetchone()
    assert coverage is not None  # an aggregate without GROUP BY always returns one row
    committees = con.execute(
        f"""SELECT committee_id, any_value(committee_name), list(DISTINCT sector ORDER BY sector),
                   count(DISTINCT trade_id) AS n
            FROM {OVERSIGHT} WHERE bioguide_id = ?
            GROUP BY committee_id ORDER BY n DESC, committee_id""",
        [bioguide_id],
    ).fetchall()
    flagged = con.execute(
        f"SELECT count(DISTINCT trade_id) FROM {OVERSIGHT} WHERE bioguide_id = ?", [bioguide_id]
    ).fetchone()
    rows = con.execute(
        f"""SELECT trade_id, any_value(ticker), any_value(asset_name), any_value(tx_type),
                   any_value(tx_date) AS tx_date, any_value(amount_min), any_value(amount_max),
                   any_value(sic), any_value(sic_description),
                   list(coalesce(committee_name, committee_id) ORDER BY committee_id)
            FROM {OVERSIGHT} WHERE bioguide_id = ?
            GROUP BY trade_id ORDER BY tx_date DESC NULLS LAST, trade_id LIMIT ?""",
        [bioguide_id, recent],
    ).fetchall()
    return MemberOversight(
        flagged_trades=int(flagged[0]) if flagged else 0,
        tickers_traded=int(coverage[0]),
        tickers_with_industry=int(coverage[1]),
        by_committee=[
            CommitteeOversight(committee_id=c, committee_name=name, sectors=list(s), trades=n)
            for c, name, s, n in committees
        ],
        recent=[
            OversightTrade(
                trade_id=row[0],
                ticker=row[1],
                asset_name=row[2],
                tx_type=row[3],
                tx_date=row[4],
                amount_min=row[5],
                amount_max=row[6],
                sic=row[7],
                sic_description=row[8],
                committees=list(row[9]),
            )
            for row in rows
        ],
    )
