"""Loaders for the raw layer: typed records in, one idempotent DuckDB transaction per partition.

Each loader deletes what an earlier load of the same (source, dataset, partition) wrote, then
inserts, all in one transaction: re-running a partition leaves identical rows, and a failure part
way leaves the previous rows in place. Records the connectors could not read become
``raw.quarantine`` rows with a reason; nothing is dropped without a trace.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

import duckdb

from stockyard.models import (
    Committee,
    CommitteeMembership,
    Legislator,
    ParsedDocument,
    QuarantineRecord,
)
from stockyard.warehouse.bulk import Lineage, delete_keys, delete_partition, insert_rows
from stockyard.warehouse.db import transaction

# Sources that only ever cover one chamber; a document without a stated chamber takes this one.
SOURCE_CHAMBER: dict[str, str] = {
    "house_clerk": "house",
    "house_watcher": "house",
    "senate_efd": "senate",
    "senate_watcher": "senate",
}


class FdIndexRowLike(Protocol):
    """The House yearly index row (``stockyard.sources.house_clerk.fd_index.FdIndexRow``)."""

    @property
    def prefix(self) -> str | None: ...
    @property
    def last(self) -> str | None: ...
    @property
    def first(self) -> str | None: ...
    @property
    def suffix(self) -> str | None: ...
    @property
    def filing_type(self) -> str | None: ...
    @property
    def state_district(self) -> str | None: ...
    @property
    def year(self) -> int | None: ...
    @property
    def filing_date(self) -> date | None: ...
    @property
    def doc_id(self) -> str: ...


@dataclass(frozen=True, slots=True)
class LoadResult:
    source: str
    dataset: str
    partition: str
    rows: int  # primary records written (index rows, documents, legislators…)
    quarantined: int
    child_rows: int = 0  # transactions, terms, memberships written alongside


def _now() -> datetime:
    return datetime.now(UTC)


def quarantine_rows(
    records: Iterable[QuarantineRecord],
    *,
    partition: str,
    at: datetime,
    landing_path: str | None = None,
) -> list[tuple[Any, ...]]:
    """Rows for raw.quarantine; a record without its own landing path gets the load's."""
    return [
        (
            r.source,
            r.dataset,
            partition,
            r.landing_path or landing_path,
            r.record_ref,
            r.reason,
            r.payload,
            at,
        )
        for r in records
    ]


def log_load(
    con: duckdb.DuckDBPyConnection,
    lineage: Lineage,
    *,
    rows: int,
    quarantined: int,
    landing_paths: Sequence[str | None],
) -> None:
    paths = sorted({p for p in landing_paths if p})
    con.execute(
        "INSERT INTO raw.load_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            lineage.source,
            lineage.dataset,
            lineage.partition,
            rows,
            quarantined,
            paths,
            lineage.loaded_at,
            _now(),
        ],
    )


def replace_partition(
    con: duckdb.DuckDBPyConnection,
    table: str,
    lineage: Lineage,
    values: Sequence[tuple[Any, ...]],
    rejects: Sequence[QuarantineRecord],
    landing_path: str | None,
) -> tuple[int, int]:
    """Put ``values`` in place of ``raw.<table>``'s rows of this partition, and ``rejects`` in
    place of its quarantine rows, and log the load, in one transaction: loading a partition
    again never duplicates. Rows come from the file at ``landing_path``; a reject keeps its own
    landing path when it has one. Returns (rows loaded, rows quarantined)."""
    quarantine = quarantine_rows(
        rejects, partition=lineage.partition, at=lineage.loaded_at, landing_path=landing_path
    )
    with transaction(con):
        delete_partition(con, table, lineage)
        delete_partition(con, "quarantine", lineage)
        insert_rows(con, table, values, lineage=lineage, landing_paths=landing_path)
        insert_rows(
            con, "quarantine", quarantine, lineage=lineage, landing_paths=[r[3] for r in quarantine]
        )
        log_load(
            con,
            lineage,
            rows=len(values),
            quarantined=len(quarantine),
            landing_paths=[landing_path],
        )
    return len(values), len(quarantine)


def load_fd_index(
    con: duckdb.DuckDBPyConnection,
    *,
    partition: str,
    rows: Sequence[FdIndexRowLike],
    landing_path: str | None,
    rejects: Sequence[QuarantineRecord] = (),
    source: str = "house_clerk",
    dataset: str = "fd_index",
) -> LoadResult:
    """Load one year's House index (partition = the year) into ``raw.fd_index``."""
    lineage = Lineage(source, dataset, partition, _now())
    values = [
        (
            r.doc_id,
            r.prefix,
            r.last,
            r.first,
            r.suffix,
            r.filing_type,
            r.state_district,
            r.year,
            r.filing_date,
        )
        for r in rows
    ]
    loaded, quarantined = replace_partition(con, "fd_index", lineage, values, rejects, landing_path)
    return LoadResult(source, dataset, partition, loaded, quarantined)


def _document_row(doc: ParsedDocument) -> tuple[Any, ...]:
    return (
        doc.doc_id,
        doc.source,
        doc.chamber or SOURCE_CHAMBER.get(doc.source),
        str(doc.status),
        doc.filer_name,
        doc.state_district,
        doc.filed_date,
        doc.report_title,
        doc.amendment_number,
        doc.bioguide_id,
        doc.source_url,
        doc.page_count,
        doc.parser_version,
        doc.error,
        len(doc.transactions),
    )


def _transaction_rows(doc: ParsedDocument) -> list[tuple[Any, ...]]:
    return [
        (
            doc.doc_id,
            doc.source,
            t.row,
            t.page,
            t.asset_name,
            t.owner,
            t.ticker,
            t.asset_type,
            t.tx_type,
            t.tx_date,
            t.notified_date,
            t.amount_min,
            t.amount_max,
            t.filing_status,
            t.subholding_of,
            t.description,
            t.comment,
            t.amount_text,
            t.asset_type_text,
            t.source_tx_id,
            doc.parser_version,
            t.text_source,
            t.confidence,
            ",".join(t.needs_review) or None,
        )
        for t in doc.transactions
    ]


def _unique_documents(
    documents: Sequence[tuple[ParsedDocument, str]], dataset: str
) -> tuple[list[tuple[ParsedDocument, str]], list[QuarantineRecord]]:
    """Keep the last copy of a (source, doc_id) sent twice in one batch; quarantine the rest."""
    last_index = {(doc.source, doc.doc_id): i for i, (doc, _) in enumerate(documents)}
    kept: list[tuple[ParsedDocument, str]] = []
    dropped: list[QuarantineRecord] = []
    for i, (doc, path) in enumerate(documents):
        if last_index[(doc.source, doc.doc_id)] == i:
            kept.append((doc, path))
        else:
            dropped.append(
                QuarantineRecord(
                    source=doc.source,
                    dataset=dataset,
                    reason="duplicate document id in one load; a later copy replaced this one",
                    landing_path=path,
                    record_ref=f"doc {doc.doc_id}",
                    payload=None,
                )
            )
    return kept, dropped


def load_documents(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str,
    dataset: str,
    partition: str,
    documents: Sequence[tuple[ParsedDocument, str]],
    rejects: Sequence[QuarantineRecord] = (),
) -> LoadResult:
    """Load parsed documents (with their transactions) from one landing partition.

    Every document becomes a ``raw.documents`` row whatever its status (needs_ocr, not_ptr and
    error documents included); the rows its parser could not read go to quarantine with their
    page and reason. A document id already loaded from another partition is replaced.
    """
    lineage = Lineage(source, dataset, partition, _now())
    kept, duplicates = _unique_documents(documents, dataset)
    doc_rows = [_document_row(doc) for doc, _ in kept]
    tx_rows: list[tuple[Any, ...]] = []
    tx_paths: list[str | None] = []
    doc_rejects: list[QuarantineRecord] = list(rejects) + duplicates
    for doc, path in kept:
        rows = _transaction_rows(doc)
        tx_rows += rows
        tx_paths += [path] * len(rows)
        doc_rejects += [
            QuarantineRecord(
                source=doc.source,
                dataset=dataset,
                reason=reason,
                landing_path=path,
                record_ref=f"doc {doc.doc_id} page {page}",
                payload=text,
            )
            for page, text, reason in doc.rejects
        ]
    quarantine = quarantine_rows(doc_rejects, partition=partition, at=lineage.loaded_at)
    keys = [(doc.source, doc.doc_id) for doc, _ in kept]
    doc_paths = [path for _, path in kept]
    with transaction(con):
        for table in ("documents", "transactions", "quarantine"):
            delete_partition(con, table, lineage)
        delete_keys(con, "documents", ("source", "doc_id"), keys)
        delete_keys(con, "transactions", ("source", "doc_id"), keys)
        insert_rows(con, "documents", doc_rows, lineage=lineage, landing_paths=doc_paths)
        insert_rows(con, "transactions", tx_rows, lineage=lineage, landing_paths=tx_paths)
        insert_rows(
            con,
            "quarantine",
            quarantine,
            lineage=lineage,
            landing_paths=[r[3] for r in quarantine],
        )
        log_load(
            con, lineage, rows=len(doc_rows), quarantined=len(quarantine), landing_paths=doc_paths
        )
    return LoadResult(source, dataset, partition, len(doc_rows), len(quarantine), len(tx_rows))


def load_legislators(
    con: duckdb.DuckDBPyConnection,
    *,
    partition: str,
    legislators: Sequence[Legislator],
    committees: Sequence[Committee] = (),
    memberships: Sequence[CommitteeMembership] = (),
    landing_path: str | None,
    rejects: Sequence[QuarantineRecord] = (),
    source: str = "legislators",
    dataset: str = "legislators",
) -> LoadResult:
    """Load a congress-legislators snapshot (people, terms, committees, seats).

    A person or committee delivered again (e.g. moved from the current to the historical file)
    replaces its earlier rows, and a committee's seats are replaced as a whole, so members who
    left a committee do not linger.
    """
    lineage = Lineage(source, dataset, partition, _now())
    people = [
        (
            p.bioguide_id,
            p.first_name,
            p.last_name,
            p.full_name,
            p.middle_name,
            p.nickname,
            p.suffix,
            p.is_current,
        )
        for p in legislators
    ]
    terms = [
        (p.bioguide_id, i, t.chamber, t.state, t.district, t.party, t.start, t.end)
        for p in legislators
        for i, t in enumerate(p.terms)
    ]
    committee_rows = [
        (c.committee_id, c.name, c.chamber, c.parent_id, c.jurisdiction) for c in committees
    ]
    seats = [(m.committee_id, m.bioguide_id, m.party_side, m.rank, m.title) for m in memberships]
    quarantine = quarantine_rows(
        rejects, partition=partition, at=lineage.loaded_at, landing_path=landing_path
    )
    person_keys = [(p.bioguide_id,) for p in legislators]
    committee_keys = sorted({(c,) for c in [r[0] for r in committee_rows] + [s[0] for s in seats]})
    with transaction(con):
        for table in (
            "legislators",
            "legislator_terms",
            "committees",
            "committee_memberships",
            "quarantine",
        ):
            delete_partition(con, table, lineage)
        delete_keys(con, "legislators", ("bioguide_id",), person_keys)
        delete_keys(con, "legislator_terms", ("bioguide_id",), person_keys)
        delete_keys(con, "committees", ("committee_id",), [(r[0],) for r in committee_rows])
        delete_keys(con, "committee_memberships", ("committee_id",), committee_keys)
        insert_rows(con, "legislators", people, lineage=lineage, landing_paths=landing_path)
        insert_rows(con, "legislator_terms", terms, lineage=lineage, landing_paths=landing_path)
        insert_rows(con, "committees", committee_rows, lineage=lineage, landing_paths=landing_path)
        insert_rows(
            con, "committee_memberships", seats, lineage=lineage, landing_paths=landing_path
        )
        insert_rows(con, "quarantine", quarantine, lineage=lineage, landing_paths=landing_path)
        log_load(
            con,
            lineage,
            rows=len(people),
            quarantined=len(quarantine),
            landing_paths=[landing_path],
        )
    return LoadResult(
        source, dataset, partition, len(people), len(quarantine), len(terms) + len(seats)
    )


def load_quarantine(
    con: duckdb.DuckDBPyConnection,
    *,
    source: str,
    dataset: str,
    partition: str,
    records: Sequence[QuarantineRecord],
) -> LoadResult:
    """Record rejects for a partition that has no other rows (e.g. a payload that failed to decode).

    Replaces earlier quarantine rows of the same (source, dataset, partition); use the dataset the
    records belong to, not one a data loader also writes, or the two loads replace each other.
    """
    lineage = Lineage(source, dataset, partition, _now())
    rows = quarantine_rows(records, partition=partition, at=lineage.loaded_at)
    with transaction(con):
        delete_partition(con, "quarantine", lineage)
        insert_rows(con, "quarantine", rows, lineage=lineage, landing_paths=[r[3] for r in rows])
        log_load(con, lineage, rows=0, quarantined=len(rows), landing_paths=[r[3] for r in rows])
    return LoadResult(source, dataset, partition, 0, len(rows))
