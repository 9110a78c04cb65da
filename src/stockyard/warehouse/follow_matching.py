"""Which published trade versions each follow asks about: one join in DuckDB for all follows.

A follow is a saved trades filter (the vocabulary of /api/trades). Matching a publish against
10,000 follows is one query over (new versions × follows) with each criterion written as "not
set, or equal", rather than one query per follow. The follows arrive as an Arrow table, so the
read-only serving snapshot needs nothing written to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any, Final

import duckdb
import pyarrow as pa

__all__ = ["FollowCriteria", "Match", "match_versions", "unplanned_publishes"]


@dataclass(frozen=True, slots=True)
class FollowCriteria:
    """A follow's filter, already validated (member resolved to a bioguide id); None = any."""

    follow_id: str
    created_at: datetime  # only versions published after it are news to this follow
    bioguide_id: str | None = None
    state: str | None = None
    party: str | None = None  # one-letter key (D, R, I, L)
    chamber: str | None = None
    committee: str | None = None
    ticker: str | None = None
    tx_type: str | None = None
    owner: str | None = None  # "self" = the filer's own (owner NULL in the marts)
    oversight: bool = False
    min_amount: int | None = None  # the band's floor must reach it


@dataclass(frozen=True, slots=True)
class Match:
    follow_id: str
    trade_id: str
    version: str
    publish_id: str
    published_at: datetime
    change: str  # new | amended
    changed_fields: str | None  # JSON list of {field, old, new} for an amendment


_SCHEMA: Final = pa.schema(
    [
        ("follow_id", pa.string()),
        ("created_at", pa.timestamp("us", tz="UTC")),
        ("bioguide_id", pa.string()),
        ("state", pa.string()),
        ("party", pa.string()),
        ("chamber", pa.string()),
        ("committee", pa.string()),
        ("ticker", pa.string()),
        ("tx_type", pa.string()),
        ("owner", pa.string()),
        ("oversight", pa.bool_()),
        ("min_amount", pa.int64()),
    ]
)
assert [f.name for f in fields(FollowCriteria)] == _SCHEMA.names


def _follows_table(follows: Sequence[FollowCriteria]) -> pa.Table:
    rows: list[dict[str, Any]] = [asdict(f) for f in follows]
    return pa.Table.from_pylist(rows, schema=_SCHEMA)


def _has_table(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()
    return bool(row and row[0])


def unplanned_publishes(con: duckdb.DuckDBPyConnection, planned: set[str]) -> list[str]:
    """Publishes whose versions are recorded here and not in ``planned``, oldest first."""
    if not _has_table(con, "raw", "trade_versions"):
        return []
    rows = con.execute(
        """SELECT publish_id FROM raw.trade_versions GROUP BY publish_id
           ORDER BY min(published_at), publish_id"""
    ).fetchall()
    return [str(r[0]) for r in rows if str(r[0]) not in planned]


def match_versions(
    con: duckdb.DuckDBPyConnection,
    follows: Sequence[FollowCriteria],
    publish_ids: Sequence[str],
) -> list[Match]:
    """Every (follow, trade version) pair where a version published in ``publish_ids`` matches
    the follow's filter. A new trade matches only while current (an amendment published with it
    replaced it); an amended one matches either way, since the amendment is the news."""
    if not follows or not publish_ids or not _has_table(con, "raw", "trade_versions"):
        return []
    oversight = (
        "t.trade_id IN (SELECT trade_id FROM marts.fct_oversight_trades)"
        if _has_table(con, "marts", "fct_oversight_trades")
        else "false"
    )
    committees = (
        """(SELECT list(committee_id) FROM marts.bridge_member_committees AS b
            WHERE b.bioguide_id = t.bioguide_id)"""
        if _has_table(con, "marts", "bridge_member_committees")
        else "[]::VARCHAR[]"
    )
    follows_arrow = _follows_table(follows)  # noqa: F841 (DuckDB reads it by name)
    publishes = pa.table({"publish_id": pa.array(list(publish_ids), pa.string())})  # noqa: F841
    rows = con.execute(
        f"""WITH versions AS (
                SELECT v.* FROM raw.trade_versions AS v
                WHERE v.publish_id IN (SELECT publish_id FROM publishes)
                  AND v.change IN ('new', 'amended')
            ),
            trades AS (
                SELECT v.trade_id, v.version, v.publish_id, v.published_at, v.change,
                       v.changed_fields, t.bioguide_id, t.state, upper(left(t.party, 1)) AS party_key,
                       t.chamber, upper(coalesce(t.resolved_ticker, t.ticker)) AS ticker_key, t.tx_type, t.owner, t.amount_min, t.is_current,
                       {oversight} AS in_oversight,
                       {committees} AS committees
                FROM versions AS v JOIN marts.fct_trades AS t USING (trade_id)
            )
            SELECT f.follow_id, t.trade_id, t.version, t.publish_id, t.published_at, t.change,
                   t.changed_fields
            FROM trades AS t JOIN follows_arrow AS f
              ON t.published_at > f.created_at
             AND (t.change = 'amended' OR t.is_current)
             AND (f.bioguide_id IS NULL OR t.bioguide_id = f.bioguide_id)
             AND (f.state IS NULL OR t.state = f.state)
             AND (f.party IS NULL OR t.party_key = f.party)
             AND (f.chamber IS NULL OR t.chamber = f.chamber)
             AND (f.ticker IS NULL OR t.ticker_key = f.ticker)
             AND (f.tx_type IS NULL OR t.tx_type = f.tx_type)
             AND (f.owner IS NULL OR (f.owner = 'self' AND t.owner IS NULL) OR t.owner = f.owner)
             AND (f.min_amount IS NULL OR t.amount_min >= f.min_amount)
             AND (f.committee IS NULL OR list_contains(t.committees, f.committee))
             AND (NOT f.oversight OR t.in_oversight)
            ORDER BY f.follow_id, t.published_at, t.trade_id"""
    ).fetchall()
    return [Match(*row) for row in rows]
