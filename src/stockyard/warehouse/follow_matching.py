"""Which published trade versions each follow asks about: one join in DuckDB for all follows.

A follow is a saved trades filter (the vocabulary of /api/trades). Matching a publish against
10,000 follows is one query: each follow is hash-joined to the new versions on one filter it
sets, and its other filters are checked on the pairs found, rather than one query per follow.
The follows arrive as an Arrow table and the versions sit in a temporary table, so the read-only
serving snapshot needs nothing written to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Final

import duckdb
import numpy as np
import pyarrow as pa

from stockyard.warehouse.ops_reads import existing_tables

__all__ = ["FollowCriteria", "Matches", "Version", "match_versions", "unplanned_publishes"]


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
class Version:
    """A published version of a trade that some follow matched."""

    trade_id: str
    version: str
    publish_id: str
    published_at: datetime
    change: str  # new | amended
    changed_fields: str | None  # JSON list of {field, old, new} for an amendment

    @property
    def key(self) -> str:
        """Names this version of this trade uniquely (fields can recur; a publish cannot)."""
        return f"{self.publish_id}:{self.version}"


@dataclass(frozen=True, slots=True)
class Matches:
    """Each matched version once, and which of them each follow matched (in publish order).

    Kept as indexes, not one object per pair: a publish can owe 10,000 follows hundreds of
    thousands of (follow, trade) pairs between them."""

    versions: list[Version]
    by_follow: dict[str, list[int]]

    def __len__(self) -> int:
        return sum(len(found) for found in self.by_follow.values())

    def pairs(self) -> set[tuple[str, str]]:
        """(follow_id, trade_id) of every match."""
        return {
            (follow_id, self.versions[i].trade_id)
            for follow_id, found in self.by_follow.items()
            for i in found
        }


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
    # Column by column: dataclasses.asdict deep-copies every value, the slowest part at 10,000.
    columns = {name: [getattr(f, name) for f in follows] for name in _SCHEMA.names}
    return pa.table(columns, schema=_SCHEMA)


def unplanned_publishes(con: duckdb.DuckDBPyConnection, planned: set[str]) -> list[str]:
    """Publishes whose versions are recorded here and not in ``planned``, oldest first."""
    if "raw.trade_versions" not in existing_tables(con):
        return []
    rows = con.execute(
        """SELECT publish_id FROM raw.trade_versions GROUP BY publish_id
           ORDER BY min(published_at), publish_id"""
    ).fetchall()
    return [str(r[0]) for r in rows if str(r[0]) not in planned]


# Each follow is joined on one filter it sets (its "anchor": the most selective it has), so every
# join below is a hash join on equality; its other filters are then checked on the pairs found.
_ANCHORS: Final = (
    ("bioguide_id", "t.bioguide_id"),
    ("ticker", "t.ticker_key"),
    ("committee", "s.committee"),
    ("state", "t.state"),
    ("tx_type", "t.tx_type"),
    ("owner", "coalesce(t.owner, 'self')"),
    ("chamber", "t.chamber"),
    ("party", "t.party_key"),
)
_CHECKS: Final = """
    t.published_at > f.created_at
    AND (f.bioguide_id IS NULL OR t.bioguide_id = f.bioguide_id)
    AND (f.state IS NULL OR t.state = f.state)
    AND (f.party IS NULL OR t.party_key = f.party)
    AND (f.chamber IS NULL OR t.chamber = f.chamber)
    AND (f.ticker IS NULL OR t.ticker_key = f.ticker)
    AND (f.tx_type IS NULL OR t.tx_type = f.tx_type)
    AND (f.owner IS NULL OR coalesce(t.owner, 'self') = f.owner)
    AND (f.min_amount IS NULL OR t.amount_min >= f.min_amount)
    AND (f.committee IS NULL OR list_contains(t.committees, f.committee))
    AND (NOT f.oversight OR t.in_oversight)"""


def _anchor(follow: FollowCriteria) -> str | None:
    for name, _ in _ANCHORS:
        if getattr(follow, name) is not None:
            return name
    return None


def _pairs_sql() -> str:
    branches = []
    for name, trade_column in _ANCHORS:
        source = (
            "trades AS t JOIN trade_seats AS s USING (ti)" if name == "committee" else "trades AS t"
        )
        branches.append(
            f"SELECT f.fi, t.ti FROM follows_arrow AS f JOIN {source} "
            f"ON f.anchor = '{name}' AND {trade_column} = f.{name} AND {_CHECKS}"
        )
    # Follows that set none of those (only a band floor or oversight) meet every trade.
    branches.append(
        f"SELECT f.fi, t.ti FROM follows_arrow AS f, trades AS t "
        f"WHERE f.anchor IS NULL AND {_CHECKS}"
    )
    return "\nUNION ALL\n".join(branches)


def match_versions(
    con: duckdb.DuckDBPyConnection,
    follows: Sequence[FollowCriteria],
    publish_ids: Sequence[str],
) -> Matches:
    """Every (follow, trade version) pair where a version published in ``publish_ids`` matches
    the follow's filter. A new trade matches only while current (an amendment published with it
    replaced it); an amended one matches either way, since the amendment is the news."""
    tables = existing_tables(con)
    if not follows or not publish_ids or "raw.trade_versions" not in tables:
        return Matches([], {})
    oversight = (
        "LEFT JOIN (SELECT DISTINCT trade_id, true AS in_oversight"
        " FROM marts.fct_oversight_trades) AS o USING (trade_id)"
        if "marts.fct_oversight_trades" in tables
        else "LEFT JOIN (SELECT NULL::VARCHAR AS trade_id, NULL::BOOLEAN AS in_oversight) AS o"
        " USING (trade_id)"
    )
    seats = (
        "LEFT JOIN (SELECT bioguide_id, list(committee_id) AS committees"
        " FROM marts.bridge_member_committees GROUP BY bioguide_id) AS c USING (bioguide_id)"
        if "marts.bridge_member_committees" in tables
        else "LEFT JOIN (SELECT NULL::VARCHAR AS bioguide_id, NULL::VARCHAR[] AS committees) AS c"
        " USING (bioguide_id)"
    )
    # A cursor of its own: the temporary table and the registered Arrow tables live and die
    # with it, whatever the caller's connection has open.
    [(catalog,)] = con.execute("SELECT current_database()").fetchall()
    cur = con.cursor()
    cur.execute(f'USE "{catalog}"')  # a cursor starts in the default catalog, not the caller's
    follows_table = (
        _follows_table(follows)
        .append_column("fi", pa.array(range(len(follows)), pa.int32()))
        .append_column("anchor", pa.array([_anchor(f) for f in follows], pa.string()))
    )
    try:
        cur.register("follows_arrow", follows_table)
        cur.register(
            "publishes", pa.table({"publish_id": pa.array(list(publish_ids), pa.string())})
        )
        cur.execute(
            f"""CREATE OR REPLACE TEMP TABLE matching_trades AS
                SELECT (row_number() OVER (ORDER BY v.published_at, v.trade_id) - 1)::INTEGER AS ti,
                       v.trade_id, v.version, v.publish_id, v.published_at, v.change,
                       v.changed_fields, t.bioguide_id, t.state, upper(left(t.party, 1)) AS party_key,
                       t.chamber, upper(coalesce(t.resolved_ticker, t.ticker)) AS ticker_key,
                       t.tx_type, t.owner, t.amount_min,
                       coalesce(o.in_oversight, false) AS in_oversight,
                       coalesce(c.committees, []::VARCHAR[]) AS committees
                FROM raw.trade_versions AS v JOIN marts.fct_trades AS t USING (trade_id)
                {oversight}
                {seats}
                WHERE v.publish_id IN (SELECT publish_id FROM publishes)
                  AND (v.change = 'amended' OR (v.change = 'new' AND t.is_current))"""
        )
        versions = cur.execute(
            """SELECT trade_id, version, publish_id, published_at, change, changed_fields
               FROM matching_trades ORDER BY ti"""
        ).fetchall()
        pairs = cur.execute(
            f"""WITH trades AS (SELECT * FROM matching_trades),
                trade_seats AS (SELECT ti, unnest(committees) AS committee FROM trades)
                SELECT fi, ti FROM ({_pairs_sql()}) ORDER BY fi, ti"""
        ).fetchnumpy()
    finally:
        cur.close()
    follow_index, version_index = pairs["fi"], pairs["ti"]
    if len(follow_index) == 0:
        return Matches([Version(*row) for row in versions], {})
    # Sorted by follow: split the version indexes where the follow changes.
    starts = np.flatnonzero(np.diff(follow_index, prepend=-1))
    groups = np.split(version_index, starts[1:])
    return Matches(
        versions=[Version(*row) for row in versions],
        by_follow={
            follows[int(follow_index[start])].follow_id: group.tolist()
            for start, group in zip(starts, groups, strict=True)
        },
    )
