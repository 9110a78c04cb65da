"""Serving snapshots: the files readers open, so they never touch the warehouse the pipeline writes.

Each publish copies what the site reads (the published marts and the few raw tables the pages
show) into a DuckDB file of its own in the serving folder, written under a temporary name, then
switches readers to it by replacing the pointer file ``CURRENT.json`` (``os.replace`` is atomic:
a reader sees the old pointer or the new one, never half of either). A snapshot is never written
again after the switch, so readers and the pipeline never wait for each other's locks.

Readers resolve the pointer per request, and a request keeps the snapshot it started with (see
reader.py). Snapshots other than the current one are removed once they are older than a grace
period; on POSIX a reader still holding a removed file keeps reading it until it closes.

Before the first publish there is no pointer and readers fall back to the warehouse file itself
(a hand-built or pre-snapshot warehouse), which is what they read before snapshots existed.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import duckdb

POINTER: Final = "CURRENT.json"
SUFFIX: Final = ".duckdb"
# Never written: the file a reader is given before a pipeline-written home's first publish.
NOT_PUBLISHED: Final = "not-published-yet.duckdb"
PUBLISHED_SCHEMA: Final = "marts"
RAW_SCHEMA: Final = "raw"
INFO_SCHEMA: Final = "serving"
# The raw tables pages and /pipeline read beside the marts: load freshness, the audit trail,
# quarantine reasons, a filing's documents and rows, review corrections, market days, the
# ticker reference and when each trade version was published (feeds, alerts). Everything else in
# raw is the pipeline's own working state.
SERVED_RAW_TABLES: Final = (
    "audit_runs",
    "load_log",
    "quarantine",
    "documents",
    "fd_index",
    "transactions",
    "review_corrections",
    "committees",
    "market_days",
    "ticker_reference",
    "trade_versions",
)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One published, immutable copy of what the site serves."""

    path: Path
    publish_id: str  # the audit run it publishes
    published_at: datetime

    @property
    def name(self) -> str:
        return self.path.name


def serving_dir(warehouse_path: Path) -> Path:
    """Snapshots sit beside the warehouse they are taken from."""
    return warehouse_path.parent / "serving"


def current(folder: Path) -> Snapshot | None:
    """The snapshot the pointer names, or None before the first publish (or if it is missing)."""
    try:
        pointer = json.loads((folder / POINTER).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    path = folder / str(pointer["file"])
    if not path.is_file():
        return None
    return Snapshot(
        path=path,
        publish_id=str(pointer["publish_id"]),
        published_at=datetime.fromisoformat(str(pointer["published_at"])),
    )


def served_path(warehouse_path: Path) -> Path:
    """What a reader opens: the current snapshot.

    Before the first publish of a home the pipeline writes (it makes the serving folder on its
    first write) that is a file that does not exist yet, so readers answer "not built yet" and
    never take the lock of the warehouse being written. A warehouse nothing publishes (built by
    hand, or by a Stockyard older than snapshots) is read as it is.
    """
    folder = serving_dir(warehouse_path)
    snapshot = current(folder)
    if snapshot is not None:
        return snapshot.path
    return folder / NOT_PUBLISHED if folder.is_dir() else warehouse_path


def write_snapshot(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    *,
    publish_id: str,
    published_at: datetime | None = None,
    keep_seconds: float = 600.0,
) -> Snapshot:
    """Copy the published marts and SERVED_RAW_TABLES from ``con`` into a new snapshot, point
    readers at it, and remove snapshots older than ``keep_seconds`` that are not current.

    ``con`` is a writable warehouse connection (its default catalog is the warehouse).
    """
    folder.mkdir(parents=True, exist_ok=True)
    published_at = published_at or datetime.now(UTC)
    name = f"{published_at:%Y%m%dT%H%M%S}-{publish_id[:12]}-{secrets.token_hex(3)}{SUFFIX}"
    final = folder / name
    partial = folder / f".{name}.partial"
    source = str(con.execute("SELECT current_database()").fetchone()[0])  # type: ignore[index]
    literal = str(partial).replace("'", "''")
    con.execute(f"ATTACH '{literal}' AS serving_snapshot")
    try:
        for schema, tables in (
            (PUBLISHED_SCHEMA, _tables(con, source, PUBLISHED_SCHEMA)),
            (RAW_SCHEMA, [t for t in SERVED_RAW_TABLES if t in _tables(con, source, RAW_SCHEMA)]),
        ):
            con.execute(f"CREATE SCHEMA serving_snapshot.{schema}")
            for table in tables:
                con.execute(
                    f'CREATE TABLE serving_snapshot.{schema}."{table}" AS '
                    f'SELECT * FROM "{source}".{schema}."{table}"'
                )
        # Which publish this file is, readable by whoever has it open (/readyz, /pipeline).
        con.execute(f"CREATE SCHEMA serving_snapshot.{INFO_SCHEMA}")
        con.execute(
            f"CREATE TABLE serving_snapshot.{INFO_SCHEMA}.snapshot AS "
            "SELECT ?::VARCHAR AS publish_id, ?::TIMESTAMPTZ AS published_at, ?::VARCHAR AS file",
            [publish_id, published_at, name],
        )
        con.execute("CHECKPOINT serving_snapshot")
    finally:
        con.execute("DETACH serving_snapshot")
    with contextlib.suppress(FileNotFoundError):
        os.remove(f"{partial}.wal")
    os.replace(partial, final)
    point_at(folder, final, publish_id, published_at)
    remove_stale(folder, keep_seconds=keep_seconds)
    return Snapshot(path=final, publish_id=publish_id, published_at=published_at)


def _tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> list[str]:
    rows = con.execute(
        """SELECT table_name FROM information_schema.tables
           WHERE table_catalog = ? AND table_schema = ? AND table_type = 'BASE TABLE'
           ORDER BY table_name""",
        [catalog, schema],
    ).fetchall()
    return [str(r[0]) for r in rows]


def point_at(folder: Path, snapshot: Path, publish_id: str, published_at: datetime) -> None:
    """Switch readers of ``folder`` to ``snapshot`` (atomically: the old pointer or the new)."""
    body = json.dumps(
        {
            "file": snapshot.name,
            "publish_id": publish_id,
            "published_at": published_at.isoformat(),
        }
    )
    temporary = folder / f".{POINTER}.{os.getpid()}.tmp"
    with open(temporary, "w", encoding="utf-8") as fh:
        fh.write(body)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(temporary, folder / POINTER)


def remove_stale(folder: Path, *, keep_seconds: float) -> list[Path]:
    """Remove snapshots (and abandoned partial copies) older than ``keep_seconds``, never the
    current one; returns what was removed."""
    now = time.time()
    live = current(folder)
    removed = []
    for path in folder.iterdir():
        is_snapshot = path.suffix == SUFFIX or path.name.endswith(".partial")
        if not is_snapshot or (live is not None and path == live.path):
            continue
        try:
            if now - path.stat().st_mtime < keep_seconds:
                continue
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
    return removed
