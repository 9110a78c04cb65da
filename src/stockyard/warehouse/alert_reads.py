"""What alerts read from a published snapshot besides matching: who a follow names, and when
each trade's current version was published (the `updated` of a feed entry)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from stockyard.warehouse.ops_reads import existing_tables

__all__ = ["MemberName", "committee_name", "members_named", "version_times"]


@dataclass(frozen=True, slots=True)
class MemberName:
    bioguide_id: str
    full_name: str


def members_named(con: duckdb.DuckDBPyConnection, member: str, limit: int = 6) -> list[MemberName]:
    """The member with this bioguide id, or the members whose name contains ``member``."""
    rows = con.execute(
        """SELECT bioguide_id, full_name FROM marts.dim_members
           WHERE upper(bioguide_id) = upper(?) OR contains(lower(full_name), lower(?))
           ORDER BY upper(bioguide_id) = upper(?) DESC, full_name LIMIT ?""",
        [member, member, member, limit],
    ).fetchall()
    return [MemberName(str(b), str(n)) for b, n in rows]


def committee_name(con: duckdb.DuckDBPyConnection, committee_id: str) -> str | None:
    """A committee's name if it has members in the marts, else None."""
    row = con.execute(
        """SELECT any_value(committee_name) FROM marts.bridge_member_committees
           WHERE committee_id = upper(?)""",
        [committee_id],
    ).fetchone()
    if row is None or row[0] is None:
        return None
    return str(row[0])


def version_times(con: duckdb.DuckDBPyConnection, trade_ids: list[str]) -> dict[str, datetime]:
    """When each trade's latest version was published; trades without a version are absent."""
    if not trade_ids or "raw.trade_versions" not in existing_tables(con):
        return {}
    rows = con.execute(
        """SELECT trade_id, max(published_at) FROM raw.trade_versions
           WHERE trade_id IN (SELECT unnest(?)) GROUP BY trade_id""",
        [trade_ids],
    ).fetchall()
    return {str(t): at for t, at in rows}
