"""Raw-layer loads: idempotent per partition, atomic, nothing dropped without a quarantine row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from stockyard.models import (
    Committee,
    CommitteeMembership,
    DocStatus,
    Legislator,
    QuarantineRecord,
    Term,
)
from stockyard.warehouse.db import connect
from stockyard.warehouse.raw import (
    load_documents,
    load_fd_index,
    load_legislators,
    load_quarantine,
)
from stockyard.warehouse.schema import RAW_COLUMNS
from support.records import IndexRow, document, trade


def checksum(con: duckdb.DuckDBPyConnection, table: str) -> tuple[int, str | None]:
    """Row count and an order-independent digest of every column except load times."""
    if table == "load_log":
        row = con.execute("SELECT count(*), NULL FROM raw.load_log").fetchone()
        assert row is not None
        return int(row[0]), None
    load_time = "_loaded_at, quarantined_at" if table == "quarantine" else "_loaded_at"
    row = con.execute(
        f"""SELECT count(*), md5(string_agg(CAST(s AS VARCHAR), '|' ORDER BY CAST(s AS VARCHAR)))
            FROM (SELECT * EXCLUDE ({load_time}) FROM raw.{table}) AS s"""
    ).fetchone()
    assert row is not None
    return int(row[0]), row[1]


def count(con: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> int:
    row = con.execute(sql, params or []).fetchone()
    assert row is not None
    return int(row[0])


def test_connect_creates_every_raw_table(warehouse_path: Path) -> None:
    connect(warehouse_path).close()
    con = connect(warehouse_path, read_only=True)
    tables = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw'"
        ).fetchall()
    }
    con.close()
    assert tables == {
        *RAW_COLUMNS,
        "load_log",
        "audit_runs",
        "review_corrections",
        "trade_versions",
    }


def test_read_only_connect_refuses_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no warehouse"):
        connect(tmp_path / "absent.duckdb", read_only=True)


def _batch() -> list[tuple[object, str]]:
    return [
        (
            document(
                "20026376",
                trade(0, owner="JT"),
                trade(1, owner="SP"),  # same day, same asset, another account: a second trade
                rejects=[(2, "garbled row text", "no amount band")],
            ),
            "house_clerk/ptr/2024/20026376.pdf.v1",
        ),
        (
            document("20026377", status=DocStatus.NEEDS_OCR, page_count=3),
            "house_clerk/ptr/2024/20026377.pdf.v1",
        ),
        (document("20026378", status=DocStatus.NOT_PTR), "house_clerk/ptr/2024/20026378.pdf.v1"),
        (
            document("20026379", status=DocStatus.ERROR, error="PDFSyntaxError: bad xref"),
            "house_clerk/ptr/2024/20026379.pdf.v1",
        ),
    ]


def test_loading_a_partition_twice_leaves_identical_rows(con: duckdb.DuckDBPyConnection) -> None:
    args = {"source": "house_clerk", "dataset": "ptr", "partition": "2024"}
    first = load_documents(con, documents=_batch(), **args)  # type: ignore[arg-type]
    before = {t: checksum(con, t) for t in ("documents", "transactions", "quarantine")}
    second = load_documents(con, documents=_batch(), **args)  # type: ignore[arg-type]
    after = {t: checksum(con, t) for t in ("documents", "transactions", "quarantine")}

    assert (first.rows, first.child_rows, first.quarantined) == (4, 2, 1)
    assert second == first
    assert after == before
    assert before["documents"][0] == 4 and before["transactions"][0] == 2
    assert count(con, "SELECT count(*) FROM raw.load_log") == 2


def test_unparsed_documents_are_rows_with_their_status(con: duckdb.DuckDBPyConnection) -> None:
    load_documents(
        con,
        source="house_clerk",
        dataset="ptr",
        partition="2024",
        documents=_batch(),  # type: ignore[arg-type]
    )
    rows = con.execute(
        "SELECT doc_id, status, chamber, error, transaction_count FROM raw.documents ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("20026376", "parsed", "house", None, 2),
        ("20026377", "needs_ocr", "house", None, 0),
        ("20026378", "not_ptr", "house", None, 0),
        ("20026379", "error", "house", "PDFSyntaxError: bad xref", 0),
    ]


def test_document_rejects_are_quarantined_with_page_and_reason(
    con: duckdb.DuckDBPyConnection,
) -> None:
    load_documents(
        con,
        source="house_clerk",
        dataset="ptr",
        partition="2024",
        documents=_batch(),  # type: ignore[arg-type]
    )
    assert con.execute(
        """SELECT source, dataset, partition, landing_path, record_ref, reason, payload
           FROM raw.quarantine"""
    ).fetchall() == [
        (
            "house_clerk",
            "ptr",
            "2024",
            "house_clerk/ptr/2024/20026376.pdf.v1",
            "doc 20026376 page 2",
            "no amount band",
            "garbled row text",
        )
    ]


def test_a_document_reloaded_in_another_partition_replaces_its_rows(
    con: duckdb.DuckDBPyConnection,
) -> None:
    old = document("20026376", trade(0), trade(1), trade(2))
    new = document("20026376", trade(0, ticker="MSFT"))
    load_documents(
        con, source="house_clerk", dataset="ptr", partition="2024", documents=[(old, "a.pdf")]
    )
    load_documents(
        con, source="house_clerk", dataset="ptr", partition="2025", documents=[(new, "b.pdf")]
    )
    assert con.execute("SELECT doc_id, _partition FROM raw.documents").fetchall() == [
        ("20026376", "2025")
    ]
    assert con.execute("SELECT ticker FROM raw.transactions").fetchall() == [("MSFT",)]


def test_the_same_document_twice_in_one_batch_keeps_the_last_and_quarantines_the_first(
    con: duckdb.DuckDBPyConnection,
) -> None:
    result = load_documents(
        con,
        source="house_watcher",
        dataset="transactions",
        partition="2026-05-29",
        documents=[
            (document("9", trade(0), source="house_watcher"), "w.json"),
            (document("9", trade(0), trade(1), source="house_watcher"), "w.json"),
        ],
    )
    assert (result.rows, result.child_rows, result.quarantined) == (1, 2, 1)
    reason = con.execute("SELECT reason FROM raw.quarantine").fetchone()
    assert reason is not None and "duplicate document id" in reason[0]


def test_a_failing_load_rolls_back_and_keeps_the_previous_rows(
    con: duckdb.DuckDBPyConnection,
) -> None:
    args = {"source": "house_clerk", "dataset": "ptr", "partition": "2024"}
    load_documents(con, documents=_batch(), **args)  # type: ignore[arg-type]
    before = {t: checksum(con, t) for t in ("documents", "transactions", "quarantine", "load_log")}
    # The documents insert succeeds, then a transaction's amount does not fit BIGINT.
    broken = [(document("20026376", trade(0), trade(1, amount_max=10**30)), "c.pdf")]
    with pytest.raises(duckdb.Error):
        load_documents(con, documents=broken, **args)  # type: ignore[arg-type]
    after = {t: checksum(con, t) for t in ("documents", "transactions", "quarantine", "load_log")}
    assert after == before
    # The connection is usable after the rollback.
    assert count(con, "SELECT count(*) FROM raw.documents") == 4


def test_fd_index_partition_is_idempotent_and_keeps_rejects(
    con: duckdb.DuckDBPyConnection,
) -> None:
    rows = [
        IndexRow("20026376", "Foxx", "Virginia", "NC05", date(2024, 12, 11)),
        IndexRow("10063304", "Foxx", "Virginia", "NC05", date(2024, 5, 15), filing_type="O"),
    ]
    reject = QuarantineRecord(
        source="house_clerk",
        dataset="fd_index",
        reason="FilingDate '13/45/2024' is not a date",
        record_ref="line 17",
        payload="<Member>…</Member>",
    )
    for _ in range(2):
        result = load_fd_index(
            con, partition="2024", rows=rows, landing_path="2024FD.zip.v1", rejects=[reject]
        )
    assert (result.rows, result.quarantined) == (2, 1)
    assert checksum(con, "fd_index")[0] == 2
    assert con.execute(
        "SELECT record_ref, reason, landing_path FROM raw.quarantine"
    ).fetchall() == [("line 17", "FilingDate '13/45/2024' is not a date", "2024FD.zip.v1")]
    assert con.execute(
        """SELECT doc_id, last_name, first_name, filing_type, filing_date
           FROM raw.fd_index ORDER BY 1"""
    ).fetchall() == [
        ("10063304", "Foxx", "Virginia", "O", date(2024, 5, 15)),
        ("20026376", "Foxx", "Virginia", "P", date(2024, 12, 11)),
    ]


def _foxx(*, committees: bool = True) -> Legislator:
    return Legislator(
        bioguide_id="F000450",
        first_name="Virginia",
        last_name="Foxx",
        full_name="Virginia Foxx",
        terms=(
            Term("house", "NC", date(2005, 1, 4), date(2007, 1, 3), district=5, party="Republican"),
            Term("house", "NC", date(2023, 1, 3), date(2025, 1, 3), district=5, party="Republican"),
        ),
        is_current=True,
    )


def test_legislators_snapshot_replaces_people_and_committee_seats(
    con: duckdb.DuckDBPyConnection,
) -> None:
    committee = Committee("HSED", "Committee on Education and the Workforce", "house")
    seats = [
        CommitteeMembership("HSED", "F000450", "majority", 1, "Chair"),
        CommitteeMembership("HSED", "S000001", "minority", 1, None),
    ]
    load_legislators(
        con,
        partition="current-2026-11-01",
        legislators=[_foxx()],
        committees=[committee],
        memberships=seats,
        landing_path="legislators-current.yaml.v1",
    )
    # A later snapshot under another partition: the minority member left the committee.
    result = load_legislators(
        con,
        partition="current-2026-11-23",
        legislators=[_foxx()],
        committees=[committee],
        memberships=seats[:1],
        landing_path="legislators-current.yaml.v2",
    )
    assert (result.rows, result.child_rows) == (1, 3)
    assert count(con, "SELECT count(*) FROM raw.legislators") == 1
    assert count(con, "SELECT count(*) FROM raw.legislator_terms") == 2
    assert con.execute(
        "SELECT committee_id, bioguide_id, title, _partition FROM raw.committee_memberships"
    ).fetchall() == [("HSED", "F000450", "Chair", "current-2026-11-23")]


def test_load_quarantine_replaces_its_partition(con: duckdb.DuckDBPyConnection) -> None:
    records = [
        QuarantineRecord("senate_efd", "ptr_pages", "page is not a PTR", "p.html", "doc x"),
        QuarantineRecord("senate_efd", "ptr_pages", "empty table", "q.html", "doc y"),
    ]
    load_quarantine(
        con, source="senate_efd", dataset="ptr_pages", partition="2020", records=records
    )
    load_quarantine(
        con, source="senate_efd", dataset="ptr_pages", partition="2020", records=records[1:]
    )
    assert con.execute("SELECT record_ref, reason FROM raw.quarantine").fetchall() == [
        ("doc y", "empty table")
    ]


def test_one_hundred_thousand_transactions_load_in_one_batch(
    con: duckdb.DuckDBPyConnection,
) -> None:
    docs = [
        (document(f"D{i:05d}", *(trade(r, page=r // 10 + 1) for r in range(100))), f"{i}.pdf")
        for i in range(1_000)
    ]
    result = load_documents(
        con, source="house_clerk", dataset="ptr", partition="bulk", documents=docs
    )
    # How fast: benchmarks/bench_warehouse_load.py. Here: every row arrives, none twice.
    assert result.child_rows == 100_000
    assert count(con, "SELECT count(*) FROM raw.transactions") == 100_000
