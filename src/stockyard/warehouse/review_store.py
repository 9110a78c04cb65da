"""Review corrections as people make them, in a small SQLite file of their own.

The filing page's form and `stockyard review set` append here while the site serves and the
pipeline writes the warehouse, so neither waits for the other (SQLite in WAL mode takes one short
write at a time, from any process). Each pipeline run copies what is new into
``raw.review_corrections`` (``review.sync_review_corrections``), where dbt applies it. Rows are
never updated or deleted: a later correction of the same field wins.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = ["ReviewStore", "StoredCorrection"]

_SCHEMA = """CREATE TABLE IF NOT EXISTS corrections (
    correction_id TEXT PRIMARY KEY,
    filing_id TEXT NOT NULL,
    source TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    row_position INTEGER NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    reviewer TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    note TEXT
)"""
_COLUMNS = (
    "correction_id, filing_id, source, doc_id, row_position, field, old_value, new_value, "
    "reviewer, reviewed_at, note"
)


@dataclass(frozen=True, slots=True)
class StoredCorrection:
    correction_id: str
    filing_id: str
    source: str
    doc_id: str
    row_position: int
    field: str
    old_value: str | None
    new_value: str | None
    reviewer: str
    reviewed_at: datetime  # timezone-aware (UTC)
    note: str | None


def _row(values: tuple[Any, ...]) -> StoredCorrection:
    cid, filing_id, source, doc_id, row, field, old, new, reviewer, reviewed_at, note = values
    at = datetime.fromisoformat(reviewed_at)
    return StoredCorrection(
        cid, filing_id, source, doc_id, row, field, old, new, reviewer, at, note
    )


class ReviewStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.path, timeout=10.0)
        try:
            con.execute("PRAGMA journal_mode=WAL")
            con.execute(_SCHEMA)
            with con:  # one transaction: committed on success, rolled back on error
                yield con
        finally:
            con.close()

    def add(self, corrections: Iterable[StoredCorrection]) -> int:
        """Append corrections; one already stored (same id) is left as it is. Returns how many
        were new."""
        rows = [(*astuple(c)[:-2], c.reviewed_at.isoformat(), c.note) for c in corrections]
        if not rows:
            return 0
        with self._connect() as con:
            before = con.total_changes
            con.executemany(
                f"INSERT OR IGNORE INTO corrections ({_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
            return con.total_changes - before

    def corrections(self, filing_id: str | None = None) -> list[StoredCorrection]:
        """Every stored correction (of one filing), oldest first."""
        if not self.path.exists():
            return []  # nobody has reviewed anything yet: no file to create for a reader
        with self._connect() as con:
            rows = con.execute(
                f"SELECT {_COLUMNS} FROM corrections WHERE ? IS NULL OR filing_id = ? "
                "ORDER BY reviewed_at, correction_id",
                (filing_id, filing_id),
            ).fetchall()
        return [_row(tuple(r)) for r in rows]
