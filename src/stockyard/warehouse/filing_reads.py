"""Read-only queries for filings: each disclosure document, its status and its parsed rows.

A filing's shown status is one of:
- ``amended``: a later amendment replaced it (its rows are superseded);
- ``quarantined``: some of its rows could not be read and were set aside with a reason;
- otherwise the document status the loader recorded (``parsed``, ``needs_ocr``, ``not_fetched``…).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import duckdb

from stockyard.warehouse.queries import (
    BIOGUIDE_ID,
    Page,
    fetch_records,
    has_relation,
    order_by,
    run_paged,
)

FILING_SORTS: dict[str, str] = {
    "filed_date": "filed_date",
    "filer": "filer_name",
    "status": "display_status",
    "source": "source",
    "rows": "trade_rows",
}
DEFAULT_FILING_SORT = "-filed_date"
FILING_STATUSES = ("parsed", "needs_ocr", "not_fetched", "not_ptr", "quarantined", "amended")


@dataclass(frozen=True, slots=True)
class FilingRow:
    filing_id: str
    source: str | None
    chamber: str | None
    bioguide_id: str | None
    filer_name: str | None
    state_district: str | None
    filed_date: date | None
    status: str | None
    display_status: str
    amendment_number: int | None
    amends_filing_id: str | None
    amended_by_filing_id: str | None
    transaction_count: int | None
    trade_rows: int
    quarantined_rows: int
    source_url: str | None
    parser_version: str | None


def _filings_sql(with_quarantine: bool) -> str:
    # Quarantine rows name their document as "doc <id>" or "doc <id> page <n>".
    quarantine = (
        """
        SELECT source, regexp_extract(record_ref, '^doc (\\S+)', 1) AS doc_id, count(*) AS n
        FROM raw.quarantine WHERE record_ref LIKE 'doc %' GROUP BY ALL
        """
        if with_quarantine
        else "SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS doc_id, 0::BIGINT AS n WHERE false"
    )
    return f"""
        WITH rows AS (
            SELECT filing_id, count(*) AS n FROM marts.fct_trades GROUP BY filing_id
        ),
        quarantine AS ({quarantine})
        SELECT f.filing_id, f.source, f.chamber, f.bioguide_id, f.filer_name, f.state_district,
               f.filed_date, f.status,
               CASE WHEN f.amended_by_filing_id IS NOT NULL THEN 'amended'
                    WHEN coalesce(q.n, 0) > 0 THEN 'quarantined'
                    ELSE coalesce(f.status, 'unknown') END AS display_status,
               f.amendment_number, f.amends_filing_id, f.amended_by_filing_id,
               f.transaction_count, coalesce(r.n, 0) AS trade_rows,
               coalesce(q.n, 0) AS quarantined_rows, f.source_url, f.parser_version
        FROM marts.fct_filings AS f
        LEFT JOIN rows AS r USING (filing_id)
        LEFT JOIN quarantine AS q
            -- filing ids are "<chamber>-<doc id>"; older marts used the bare doc id
            ON q.source = f.source AND f.filing_id IN (f.chamber || '-' || q.doc_id, q.doc_id)
    """


def list_filings(
    con: duckdb.DuckDBPyConnection,
    *,
    member: str | None = None,
    source: str | None = None,
    chamber: str | None = None,
    status: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    sort: str = DEFAULT_FILING_SORT,
    page: int = 1,
    page_size: int = 50,
) -> Page[FilingRow]:
    """Filings, newest first; ``status`` filters on the shown status."""
    clauses: list[str] = []
    params: list[Any] = []
    if member:
        if BIOGUIDE_ID.match(member.upper()):
            clauses.append("bioguide_id = ?")
            params.append(member.upper())
        else:
            clauses.append("contains(lower(filer_name), lower(?))")
            params.append(member)
    for column, value in (("source", source), ("chamber", chamber), ("display_status", status)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if date_from:
        clauses.append("filed_date >= ?")
        params.append(date_from)
    if date_to:
        clauses.append("filed_date <= ?")
        params.append(date_to)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"SELECT * FROM ({_filings_sql(has_relation(con, 'raw.quarantine'))}) {where}"
    order = order_by(sort, FILING_SORTS, tiebreak="filing_id")
    records, total = run_paged(con, sql, params, order, page, page_size)
    return Page([FilingRow(**r) for r in records], page, page_size, total)


@dataclass(frozen=True, slots=True)
class QuarantinedRow:
    record_ref: str | None
    reason: str
    payload: str | None


@dataclass(frozen=True, slots=True)
class FilingDetail:
    filing: FilingRow
    quarantined: list[QuarantinedRow]


def get_filing(con: duckdb.DuckDBPyConnection, filing_id: str) -> FilingDetail | None:
    with_quarantine = has_relation(con, "raw.quarantine")
    found = fetch_records(
        con.execute(
            f"SELECT * FROM ({_filings_sql(with_quarantine)}) WHERE filing_id = ?", [filing_id]
        )
    )
    if not found:
        return None
    filing = FilingRow(**found[0])
    quarantined: list[QuarantinedRow] = []
    if with_quarantine and filing.quarantined_rows:
        doc_id = filing.filing_id.removeprefix(f"{filing.chamber}-")
        quarantined = [
            QuarantinedRow(**r)
            for r in fetch_records(
                con.execute(
                    """
                    SELECT record_ref, reason, left(payload, 500) AS payload FROM raw.quarantine
                    WHERE source = ? AND (record_ref = ? OR starts_with(record_ref, ?))
                    ORDER BY record_ref LIMIT 200
                    """,
                    [filing.source, f"doc {doc_id}", f"doc {doc_id} "],
                )
            )
        ]
    return FilingDetail(filing, quarantined)


def scanned_page_location(
    con: duckdb.DuckDBPyConnection, filing_id: str, page: int
) -> tuple[str, str] | None:
    """(index year, doc id) of a filing read by OCR that has rows on ``page``; None otherwise.

    The page images are landed beside the PDF's partition (the Clerk index year), which the
    PDF's own landing path names.
    """
    row = con.execute(
        """
        SELECT regexp_extract(landing_path, '/ptr_pdfs/([^/]+)/', 1), doc_id
        FROM (
            SELECT landing_path, regexp_extract(filing_id, '^(?:house|senate)-(.+)$', 1) AS doc_id
            FROM marts.fct_trades
            WHERE filing_id = ? AND text_source = 'ocr' AND landing_path IS NOT NULL
            LIMIT 1
        )
        """,
        [filing_id],
    ).fetchone()
    if row is None or not row[0] or not row[1] or page < 1:
        return None
    return str(row[0]), str(row[1])
