"""Review corrections: a person fixes one field of one parsed row; the fix is a row of its own.

A correction names the row by (source, doc_id, row_position), keeps the value it replaces, who made
it and when. It is written to the review store (review_store.py, apart from the warehouse), copied
by each pipeline run into raw.review_corrections, which no load touches, so it survives every
re-parse; dbt applies the latest fix per field on top of what the parser read
(stg_stockyard__review_corrections). Until the next publish a new fix shows as pending.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import duckdb

from stockyard.models.disclosures import AMOUNT_BANDS, HOUSE_BAND_LETTERS, OWNERS, TX_TYPES
from stockyard.warehouse.review_store import ReviewStore, StoredCorrection

__all__ = [
    "REVIEWABLE_FIELDS",
    "Correction",
    "NoSuchRow",
    "ReviewError",
    "add_correction",
    "list_corrections",
    "rows_to_review",
    "sync_review_corrections",
]

REVIEWABLE_FIELDS = (
    "owner",
    "asset_name",
    "ticker",
    "tx_type",
    "tx_date",
    "notified_date",
    "amount",
)
_TICKER = re.compile(r"^[A-Z][A-Z0-9.\-]{0,9}$")


class ReviewError(ValueError):
    """The correction cannot be recorded: no such row, an unknown field, or a value out of range."""


class NoSuchRow(ReviewError):
    """The filing has no published row at that position."""


@dataclass(frozen=True, slots=True)
class Correction:
    correction_id: str
    filing_id: str
    row_position: int
    field: str
    old_value: str | None
    new_value: str | None
    reviewer: str
    reviewed_at: datetime
    note: str | None
    applied: bool  # the published marts already show it


def _amount_text(low: Any, high: Any) -> str | None:
    if low is None and high is None:
        return None
    return f"{low if low is not None else ''}-{high if high is not None else ''}"


def normalise_value(field: str, value: str | None) -> str | None:
    """The stored form of a reviewer's value; raises `ReviewError` with what is allowed."""
    text = value.strip() if value is not None else None
    if text in (None, "", "null", "-"):
        if field in ("asset_name",):
            raise ReviewError("asset_name cannot be empty: type the name as the page prints it")
        return None
    assert text is not None
    if field == "owner":
        if text.upper() in ("SELF", "FILER"):
            return None
        if text.upper() not in OWNERS:
            raise ReviewError(f"owner must be one of {', '.join(OWNERS)} or 'self', not {text!r}")
        return text.upper()
    if field == "tx_type":
        if text not in TX_TYPES:
            raise ReviewError(f"tx_type must be one of {', '.join(TX_TYPES)}, not {text!r}")
        return text
    if field in ("tx_date", "notified_date"):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError as exc:
            raise ReviewError(f"{field} must be a date as YYYY-MM-DD, not {text!r}") from exc
    if field == "ticker":
        if not _TICKER.match(text.upper()):
            raise ReviewError(f"ticker {text!r} is not a ticker symbol")
        return text.upper()
    if field == "amount":
        band = HOUSE_BAND_LETTERS.get(text.upper())
        if band is None:
            low, _, high = text.replace(",", "").replace("$", "").partition("-")
            try:
                band = (int(low), int(high) if high else None)
            except ValueError as exc:
                raise ReviewError(
                    f"amount must be a band letter A-K or 'min-max' in dollars, not {text!r}"
                ) from exc
        if band not in AMOUNT_BANDS:
            raise ReviewError(f"{band} is not a statutory amount band")
        return _amount_text(*band)
    return text


# A row's document id from its filing id ("house-20019331" → "20019331").
_DOC_ID = "coalesce(nullif(regexp_extract(filing_id, '^(?:house|senate)-(.+)$', 1), ''), filing_id)"
_READ_COLUMNS = (
    "owner",
    "asset_name",
    "ticker",
    "tx_type",
    "tx_date",
    "notified_date",
    "amount_min",
    "amount_max",
)


def _current_value(
    con: duckdb.DuckDBPyConnection, filing_id: str, row: int, field: str
) -> tuple[str, str, str | None]:
    found = con.execute(
        f"""
        SELECT source, {_DOC_ID}, owner, asset_name, ticker,
               tx_type, tx_date, notified_date, amount_min, amount_max
        FROM marts.fct_trades WHERE filing_id = ? AND row_position = ?
        """,
        [filing_id, row],
    ).fetchone()
    if found is None:
        raise NoSuchRow(
            f"no row {row} in filing {filing_id!r}: see `stockyard review list` for the rows"
        )
    source, doc_id, *values = found
    by_field = dict(zip(_READ_COLUMNS, values, strict=True))
    if field == "amount":
        return source, doc_id, _amount_text(by_field["amount_min"], by_field["amount_max"])
    current = by_field[field]
    return source, doc_id, current.isoformat() if isinstance(current, date) else current


def add_correction(
    con: duckdb.DuckDBPyConnection,
    store: ReviewStore,
    *,
    filing_id: str,
    row_position: int,
    field: str,
    value: str | None,
    reviewer: str,
    note: str | None = None,
) -> Correction:
    """Record one fix (validated against the published row); it shows from the next publish.
    ``con`` only reads: the fix goes to the review store."""
    if field not in REVIEWABLE_FIELDS:
        raise ReviewError(f"field must be one of {', '.join(REVIEWABLE_FIELDS)}, not {field!r}")
    if not reviewer.strip():
        raise ReviewError("say who reviewed: --by NAME")
    new_value = normalise_value(field, value)
    source, doc_id, old_value = _current_value(con, filing_id, row_position, field)
    stored = StoredCorrection(
        correction_id=uuid.uuid4().hex,
        filing_id=filing_id,
        source=source,
        doc_id=doc_id,
        row_position=row_position,
        field=field,
        old_value=old_value,
        new_value=new_value,
        reviewer=reviewer.strip()[:100],
        reviewed_at=datetime.now(UTC),
        note=(note or "").strip()[:500] or None,
    )
    store.add([stored])
    return _correction(stored, applied=False)


def _correction(stored: StoredCorrection, *, applied: bool) -> Correction:
    return Correction(
        correction_id=stored.correction_id,
        filing_id=stored.filing_id,
        row_position=stored.row_position,
        field=stored.field,
        old_value=stored.old_value,
        new_value=stored.new_value,
        reviewer=stored.reviewer,
        reviewed_at=stored.reviewed_at,
        note=stored.note,
        applied=applied,
    )


def list_corrections(
    con: duckdb.DuckDBPyConnection, store: ReviewStore, filing_id: str | None = None
) -> list[Correction]:
    """Every correction (newest first), and whether the published marts already apply it."""
    stored = store.corrections(filing_id)
    if not stored:
        return []
    published: dict[tuple[str, int], datetime] = {}
    if _has_column(con, "marts", "fct_trades", "reviewed_at"):
        rows = con.execute(
            """SELECT filing_id, row_position, max(reviewed_at) FROM marts.fct_trades
               WHERE reviewed_at IS NOT NULL AND (? IS NULL OR filing_id = ?)
               GROUP BY filing_id, row_position""",
            [filing_id, filing_id],
        ).fetchall()
        published = {(f, r): at for f, r, at in rows}
    corrections = []
    for c in reversed(stored):
        at = published.get((c.filing_id, c.row_position))
        corrections.append(_correction(c, applied=at is not None and at >= c.reviewed_at))
    return corrections


_RAW_COLUMNS = (
    "correction_id, source, doc_id, row_position, field, old_value, new_value, reviewer, "
    "reviewed_at, note"
)


def _raw_row(c: StoredCorrection) -> list[Any]:
    return [
        c.correction_id,
        c.source,
        c.doc_id,
        c.row_position,
        c.field,
        c.old_value,
        c.new_value,
        c.reviewer,
        c.reviewed_at,
        c.note,
    ]


def sync_review_corrections(con: duckdb.DuckDBPyConnection, store: ReviewStore) -> tuple[int, int]:
    """Copy corrections the warehouse lacks from the store into raw.review_corrections, and any
    the store lacks (recorded straight into the warehouse by an earlier Stockyard) back into the
    store. Append-only both ways. Returns (copied to the warehouse, copied to the store)."""
    in_raw = {
        r[0] for r in con.execute("SELECT correction_id FROM raw.review_corrections").fetchall()
    }
    stored = store.corrections()
    in_store = {c.correction_id for c in stored}
    to_raw = [c for c in stored if c.correction_id not in in_raw]
    if to_raw:
        con.executemany(
            f"INSERT INTO raw.review_corrections ({_RAW_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_raw_row(c) for c in to_raw],
        )
    # Named by the filing id the marts use; by the marts' convention if they are not built yet.
    by_convention = (
        "(CASE WHEN c.source LIKE 'senate%' THEN 'senate' ELSE 'house' END) || '-' || c.doc_id"
    )
    filings = (
        f"(SELECT DISTINCT source, filing_id, {_DOC_ID} AS doc_id FROM marts.fct_trades)"
        if _has_column(con, "marts", "fct_trades", "filing_id")
        else "(SELECT NULL AS source, NULL AS filing_id, NULL AS doc_id)"
    )
    only_raw = con.execute(
        f"""SELECT {", ".join("c." + name.strip() for name in _RAW_COLUMNS.split(","))},
                   coalesce(f.filing_id, {by_convention})
            FROM raw.review_corrections AS c
            LEFT JOIN {filings} AS f ON f.source = c.source AND f.doc_id = c.doc_id"""
    ).fetchall()
    back = [
        StoredCorrection(cid, filing, source, doc, row, field, old, new, who, at, note)
        for cid, source, doc, row, field, old, new, who, at, note, filing in only_raw
        if cid not in in_store
    ]
    return len(to_raw), store.add(back)


def _has_column(con: duckdb.DuckDBPyConnection, schema: str, table: str, column: str) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_columns() WHERE schema_name = ? AND table_name = ? "
        "AND column_name = ?",
        [schema, table, column],
    ).fetchone()
    return bool(found and found[0])


@dataclass(frozen=True, slots=True)
class ReviewRow:
    filing_id: str
    row_position: int
    page: int | None
    member_name: str | None
    asset_name: str | None
    read_confidence: float | None
    needs_review: list[str]


def rows_to_review(
    con: duckdb.DuckDBPyConnection, filing_id: str | None = None, limit: int = 200
) -> list[ReviewRow]:
    """OCR rows with fields still flagged for review, least confident first."""
    rows = con.execute(
        """
        SELECT filing_id, row_position, page, member_name, asset_name, read_confidence,
               needs_review
        FROM marts.fct_trades
        WHERE len(needs_review) > 0 AND (? IS NULL OR filing_id = ?)
        ORDER BY read_confidence, filing_id, row_position
        LIMIT ?
        """,
        [filing_id, filing_id, limit],
    ).fetchall()
    return [ReviewRow(*row) for row in rows]
