"""Read-only figures for `stockyard status`: loads, row counts, freshness, audits, quarantine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb


@dataclass(frozen=True)
class WarehouseStatus:
    loads: list[dict[str, Any]]  # last load per source/dataset
    table_rows: dict[str, int]
    freshness: list[dict[str, Any]]  # newest filed date per source
    last_audit: dict[str, Any] | None
    quarantine: list[dict[str, Any]]  # count per source/dataset/reason (top)
    quarantine_total: int


def _dicts(cur: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cur.description or []]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "SELECT table_schema || '.' || table_name FROM information_schema.tables"
    ).fetchall()
    return {r[0] for r in rows}


def warehouse_status(con: duckdb.DuckDBPyConnection) -> WarehouseStatus:
    tables = _tables(con)
    loads = _dicts(
        con.execute(
            "SELECT source, dataset, max(finished_at) AS last_load, sum(rows) AS rows, "
            "sum(quarantined) AS quarantined, count(*) AS partitions "
            "FROM raw.load_log GROUP BY ALL ORDER BY source, dataset"
        )
    )
    counted = [
        t
        for t in (
            "marts.fct_trades",
            "marts.fct_filings",
            "marts.dim_members",
            "raw.documents",
            "raw.transactions",
            "raw.fd_index",
        )
        if t in tables
    ]
    table_rows = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in counted}  # type: ignore[index]
    freshness = _dicts(
        con.execute(
            "SELECT source, max(filed_date) AS newest_filing, count(*) AS documents "
            "FROM raw.documents GROUP BY source ORDER BY source"
        )
    )
    last_audit = None
    if "raw.audit_runs" in tables:
        audits = _dicts(
            con.execute("SELECT * FROM raw.audit_runs ORDER BY started_at DESC LIMIT 1")
        )
        last_audit = audits[0] if audits else None
    quarantine = _dicts(
        con.execute(
            "SELECT source, dataset, reason, count(*) AS n FROM raw.quarantine "
            "GROUP BY ALL ORDER BY n DESC LIMIT 10"
        )
    )
    total = int(con.execute("SELECT count(*) FROM raw.quarantine").fetchone()[0])  # type: ignore[index]
    return WarehouseStatus(loads, table_rows, freshness, last_audit, quarantine, total)
