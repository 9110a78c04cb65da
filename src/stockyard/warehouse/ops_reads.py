"""Read-only operational figures: publish time, readiness, per-source loads, audit runs.

The API's /readyz, /metrics and /pipeline read these. Every table they touch belongs to the raw
layer or the audit log, which an older or partly built warehouse may not have yet: each reader
checks what exists and reports an absence instead of failing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import duckdb

from stockyard.warehouse.queries import REQUIRED_TABLES, fetch_records


def existing_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """``schema.table`` names present (duckdb_tables() answers in ~2 ms, information_schema ~15)."""
    rows = con.execute("SELECT schema_name || '.' || table_name FROM duckdb_tables()").fetchall()
    views = con.execute("SELECT schema_name || '.' || view_name FROM duckdb_views()").fetchall()
    return {row[0] for row in rows} | {row[0] for row in views}


def table_columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = ? AND table_name = ?",
        [schema, table],
    ).fetchall()
    return {row[0] for row in rows}


def last_publish(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """When the marts were last published (the newest published audit run), or None."""
    if "raw.audit_runs" not in existing_tables(con):
        return None
    row = con.execute(
        "SELECT max(coalesce(finished_at, started_at)) FROM raw.audit_runs WHERE published"
    ).fetchone()
    value = row[0] if row else None
    return _utc(value) if isinstance(value, datetime) else None


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class SourceLoad:
    """Everything the load log says about one source, summed over its datasets."""

    source: str
    datasets: int
    partitions: int
    rows: int
    quarantined: int
    last_load: datetime | None
    # Seconds each partition load took: the per-source load-duration histogram is built from these.
    durations: list[float] = field(default_factory=list)


def source_loads(con: duckdb.DuckDBPyConnection) -> list[SourceLoad]:
    if "raw.load_log" not in existing_tables(con):
        return []
    rows = con.execute(
        """
        SELECT source, count(DISTINCT dataset), count(*), sum(rows), sum(quarantined),
               max(finished_at),
               list(greatest(epoch(finished_at) - epoch(started_at), 0) ORDER BY finished_at)
        FROM raw.load_log GROUP BY source ORDER BY source
        """
    ).fetchall()
    return [
        SourceLoad(
            source=row[0],
            datasets=int(row[1]),
            partitions=int(row[2]),
            rows=int(row[3] or 0),
            quarantined=int(row[4] or 0),
            last_load=_utc(row[5]) if row[5] else None,
            durations=[float(value) for value in row[6] or []],
        )
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class AuditRunRow:
    run_id: str
    started_at: datetime | None
    finished_at: datetime | None
    passed: bool | None
    published: bool
    failures: int
    warnings: int
    message: str | None

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at is None or self.finished_at is None:
            return None
        return max((self.finished_at - self.started_at).total_seconds(), 0.0)

    @property
    def outcome(self) -> str:
        if self.published:
            return "published"
        if self.finished_at is None:
            return "running"
        return "refused" if self.passed is False else "not_published"


def _count_findings(raw: Any) -> tuple[int, int]:
    """(failures, warnings) in an audit run's JSON list of test results."""
    try:
        findings = json.loads(raw) if isinstance(raw, str) else (raw or [])
    except ValueError:
        # A malformed log entry must not take the status page down; it shows as one failure.
        return 1, 0
    warnings = sum(
        1 for item in findings if isinstance(item, dict) and item.get("status") == "warn"
    )
    return len(findings) - warnings, warnings


def audit_runs(con: duckdb.DuckDBPyConnection, limit: int | None = 20) -> list[AuditRunRow]:
    """The newest write-audit-publish runs first (all of them when ``limit`` is None)."""
    if "raw.audit_runs" not in existing_tables(con):
        return []
    sql = (
        "SELECT run_id, started_at, finished_at, passed, published, failures, message "
        "FROM raw.audit_runs ORDER BY started_at DESC"
    )
    rows = (
        con.execute(f"{sql} LIMIT ?", [limit]).fetchall() if limit else con.execute(sql).fetchall()
    )
    out = []
    for run_id, started, finished, passed, published, failures, message in rows:
        failed, warned = _count_findings(failures)
        out.append(
            AuditRunRow(
                run_id=run_id,
                started_at=_utc(started) if started else None,
                finished_at=_utc(finished) if finished else None,
                passed=passed,
                published=bool(published),
                failures=failed,
                warnings=warned,
                message=message,
            )
        )
    return out


def audit_findings(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict[str, Any]]:
    """The failing or warning tests of one audit run, without their sample rows."""
    row = con.execute("SELECT failures FROM raw.audit_runs WHERE run_id = ?", [run_id]).fetchone()
    if not row or not row[0]:
        return []
    try:
        findings = json.loads(row[0])
    except ValueError:
        return [{"test_name": "(unreadable audit log entry)", "status": "error"}]
    keep = ("test_name", "model", "failing_rows", "status", "message")
    return [{key: item.get(key) for key in keep} for item in findings if isinstance(item, dict)]


@dataclass(frozen=True, slots=True)
class QuarantineCount:
    source: str
    dataset: str
    reason: str
    rows: int


def quarantine_summary(
    con: duckdb.DuckDBPyConnection, limit: int = 50
) -> tuple[list[QuarantineCount], int]:
    """The commonest quarantine reasons (duplicates collapse into one reason) and the total."""
    if "raw.quarantine" not in existing_tables(con):
        return [], 0
    # "duplicate of row 706" differs per row; the number is not the reason.
    rows = con.execute(
        """
        SELECT source, dataset, regexp_replace(reason, '\\d+', 'N', 'g') AS why, count(*) AS n
        FROM raw.quarantine GROUP BY ALL ORDER BY n DESC, source, why LIMIT ?
        """,
        [limit],
    ).fetchall()
    total_row = con.execute("SELECT count(*) FROM raw.quarantine").fetchone()
    total = int(total_row[0]) if total_row else 0
    return [QuarantineCount(r[0], r[1], r[2], int(r[3])) for r in rows], total


@dataclass(frozen=True, slots=True)
class Readiness:
    ready: bool
    reasons: list[str]
    published_at: datetime | None
    # source -> hours since its last load, for every source in the load log
    source_age_hours: dict[str, float]
    # the serving snapshot answering (its publish id and file), None when reading the warehouse
    served: ServedSnapshot | None = None


@dataclass(frozen=True, slots=True)
class ServedSnapshot:
    publish_id: str
    published_at: datetime
    file: str


def served_snapshot(con: duckdb.DuckDBPyConnection) -> ServedSnapshot | None:
    """Which publish the open file is, if it is a serving snapshot (serving.py writes this)."""
    if "serving.snapshot" not in existing_tables(con):
        return None
    row = con.execute("SELECT publish_id, published_at, file FROM serving.snapshot").fetchone()
    if row is None:
        return None
    return ServedSnapshot(str(row[0]), _utc(row[1]), str(row[2]))


def readiness(
    con: duckdb.DuckDBPyConnection,
    *,
    now: datetime,
    max_age_hours: dict[str, float],
    default_max_age_hours: float,
) -> Readiness:
    """Is the warehouse fit to serve? Marts published, every source loaded recently enough."""
    reasons: list[str] = []
    tables = existing_tables(con)
    missing = [name for name in REQUIRED_TABLES if f"marts.{name}" not in tables]
    if missing:
        reasons.append(f"marts not published: missing {', '.join(missing)}")
    published_at = last_publish(con)
    if published_at is None:
        reasons.append("no published audit run in raw.audit_runs")
    ages: dict[str, float] = {}
    loads = source_loads(con)
    if not loads:
        reasons.append("raw.load_log is empty: no source has been loaded")
    for load in loads:
        if load.last_load is None:
            continue
        age = (now - load.last_load).total_seconds() / 3600
        ages[load.source] = round(age, 2)
        limit = max_age_hours.get(load.source, default_max_age_hours)
        if age > limit:
            reasons.append(
                f"{load.source} is stale: last loaded {age:.1f} h ago (allowed {limit:g} h)"
            )
    return Readiness(not reasons, reasons, published_at, ages, served_snapshot(con))


def newest_filing_by_source(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The newest filed date each source has delivered (what "fresh" means to a reader)."""
    if "marts.fct_filings" not in existing_tables(con):
        return {}
    cursor = con.execute(
        "SELECT source, max(filed_date) AS newest FROM marts.fct_filings GROUP BY source"
    )
    return {record["source"]: record["newest"] for record in fetch_records(cursor)}
