"""Which trades a publish makes new or changes, recorded as versions in ``raw.trade_versions``.

A trade's version is a hash of what a reader sees of it (who, what, when, how much, whether an
amendment replaced it, what a reviewer corrected). Publishing a trade id never seen before records
a ``new`` version; publishing different fields for a known id records an ``amended`` version with
the fields that changed, old and new. Publishing the same fields again records nothing, so
re-running a publish is idempotent. Feeds date each entry by its version, and alerts deliver
each version once.

The first publish that records versions over marts that were already published marks every
trade ``baseline``: those trades were not news then, and nobody is alerted about them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final, Literal

import duckdb

__all__ = ["VERSIONED_FIELDS", "ChangedField", "record_versions"]

# What makes a new version. Not the read confidence, parser version or landing path: a better
# parse of the same facts is not news to someone following a member.
VERSIONED_FIELDS: Final = (
    "bioguide_id",
    "member_name",
    "chamber",
    "filing_id",
    "owner",
    "ticker",
    "resolved_ticker",
    "asset_name",
    "asset_type",
    "tx_type",
    "tx_date",
    "notified_date",
    "filed_date",
    "amount_min",
    "amount_max",
    "amended_by",
    "is_current",
    "reviewed_fields",
)
Change = Literal["new", "amended", "baseline"]


@dataclass(frozen=True, slots=True)
class ChangedField:
    field: str
    old: Any
    new: Any


def _fields_sql(relation: str) -> str:
    pairs = ", ".join(f"{name} := {name}" for name in VERSIONED_FIELDS)
    return f"SELECT trade_id, to_json(struct_pack({pairs}))::VARCHAR AS fields FROM {relation}"


def record_versions(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str,
    publish_id: str,
    published_at: datetime,
    baseline: bool,
) -> dict[str, int]:
    """Record the versions of the trades in ``source`` (the trade mart being published) that
    differ from each trade's latest recorded version. Returns how many of each change.

    Runs inside the publish transaction, so versions and marts change together.
    """
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE publishing_versions AS
            WITH current AS ({_fields_sql(source)}),
            latest AS (
                SELECT trade_id, version, fields FROM raw.trade_versions
                QUALIFY row_number() OVER (PARTITION BY trade_id ORDER BY published_at DESC) = 1
            )
            SELECT c.trade_id, md5(c.fields) AS version, c.fields, l.fields AS old_fields,
                   l.trade_id IS NULL AS unseen
            FROM current AS c LEFT JOIN latest AS l USING (trade_id)
            WHERE l.version IS DISTINCT FROM md5(c.fields)"""
    )
    changed = con.execute(
        "SELECT trade_id, fields, old_fields FROM publishing_versions WHERE NOT unseen"
    ).fetchall()
    con.execute(
        """INSERT INTO raw.trade_versions
           SELECT trade_id, version, ?, ?,
                  CASE WHEN ? THEN 'baseline' WHEN unseen THEN 'new' ELSE 'amended' END,
                  NULL, fields
           FROM publishing_versions""",
        [publish_id, published_at, baseline],
    )
    if changed:
        con.executemany(
            """UPDATE raw.trade_versions SET changed_fields = ?
               WHERE trade_id = ? AND publish_id = ?""",
            [
                [json.dumps([vars_of(c) for c in diff(old, new)]), trade_id, publish_id]
                for trade_id, new, old in changed
            ],
        )
    counts = con.execute(
        "SELECT change, count(*) FROM raw.trade_versions WHERE publish_id = ? GROUP BY change",
        [publish_id],
    ).fetchall()
    con.execute("DROP TABLE publishing_versions")
    return {str(change): int(n) for change, n in counts}


def diff(old_fields: str, new_fields: str) -> list[ChangedField]:
    """The versioned fields whose values differ between two recorded versions."""
    old, new = json.loads(old_fields), json.loads(new_fields)
    return [
        ChangedField(name, old.get(name), new.get(name))
        for name in VERSIONED_FIELDS
        if old.get(name) != new.get(name)
    ]


def vars_of(change: ChangedField) -> dict[str, Any]:
    return {"field": change.field, "old": change.old, "new": change.new}
