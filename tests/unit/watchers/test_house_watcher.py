"""The House Stock Watcher aggregate: the bundled real (dirty) file, row by row."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from datetime import date
from typing import Any

import pytest

from stockyard.models import DocStatus, ParsedDocument
from stockyard.replay import SAMPLE_ROOT
from stockyard.sources.watchers import WatcherFormatError, WatcherParse, parse_house_watcher

BUNDLED = SAMPLE_ROOT / "house_watcher" / "data" / "all_transactions.json.gz"


@pytest.fixture(scope="module")
def raw() -> bytes:
    return gzip.decompress(BUNDLED.read_bytes())


@pytest.fixture(scope="module")
def parsed(raw: bytes) -> WatcherParse:
    return parse_house_watcher(raw)


@pytest.fixture(scope="module")
def documents(parsed: WatcherParse) -> dict[str, ParsedDocument]:
    return {doc.doc_id: doc for doc in parsed.documents}


def test_counts(parsed: WatcherParse) -> None:
    kept = sum(len(doc.transactions) for doc in parsed.documents)
    assert (len(parsed.documents), kept, len(parsed.rejects)) == (832, 6491, 51)
    assert kept + len(parsed.rejects) == 6542  # every row is either kept or rejected
    # 834 filings upstream; two had a single row, and it was impossible (rows 5419 and 6342).
    lost = {json.loads(r.payload or "{}")["filing_id"] for r in parsed.rejects}
    assert lost - {doc.doc_id for doc in parsed.documents} == {"20022224", "20022202"}
    kinds = Counter(r.reason.split(" ")[0] for r in parsed.rejects)
    assert kinds == {"duplicate": 36, "impossible": 15}
    assert all(doc.status is DocStatus.PARSED and doc.transactions for doc in parsed.documents)
    assert all(
        r.source == "house_watcher" and r.dataset == "all_transactions" for r in parsed.rejects
    )


def test_impossible_dates_are_rejected_with_their_row(parsed: WatcherParse) -> None:
    by_ref = {r.record_ref: r for r in parsed.rejects}
    assert by_ref["row 5616"].reason == (
        "impossible transaction_date 2202-09-19: after its disclosure_date 2022-09-19"
    )
    for row in range(6537, 6542):
        assert by_ref[f"row {row}"].reason == "impossible disclosure_date 1935-03-28: before 2012"
    payload: dict[str, Any] = json.loads(by_ref["row 5616"].payload or "{}")
    assert (payload["ticker"], payload["representative"]) == ("NEWT", "Virginia Foxx")


def test_duplicates_point_at_their_first_copy(parsed: WatcherParse, raw: bytes) -> None:
    rows = json.loads(raw)
    by_ref = {r.record_ref: r for r in parsed.rejects}
    assert by_ref["row 707"].reason == "duplicate of row 706"
    assert by_ref["row 2040"].reason == "duplicate of row 2038"
    assert rows[707] == rows[706]
    for reject in parsed.rejects:
        if reject.reason.startswith("duplicate of row "):
            first = int(reject.reason.rsplit(" ", 1)[1])
            assert rows[int((reject.record_ref or "").removeprefix("row "))] == rows[first]


def test_dirty_amounts_are_read(documents: dict[str, ParsedDocument]) -> None:
    spg = documents["20034519"].transactions[0]  # amount "$15,001 -\n$50,000"
    assert (spg.ticker, spg.amount_min, spg.amount_max) == ("SPG", 15_001, 50_000)
    assert spg.amount_text == "$15,001 - $50,000"
    (mcd,) = [t for t in documents["20023975"].transactions if t.ticker == "MCD"]  # "$100,001 -"
    assert (mcd.amount_min, mcd.amount_max) == (100_001, 250_000)
    (vlrs,) = [t for t in documents["20032087"].transactions if t.ticker == "VLRS"]  # "$1,118.07"
    assert (vlrs.amount_min, vlrs.amount_max, vlrs.owner, vlrs.tx_type) == (1_118, 1_118, "DC", "S")


def test_document_header(documents: dict[str, ParsedDocument]) -> None:
    doc = documents["20034616"]
    assert (doc.source, doc.chamber, doc.filer_name, doc.state_district) == (
        "house_watcher",
        "house",
        "Thomas H. Kean",
        "NJ07",
    )
    assert (
        doc.source_url
        == "https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2026/20034616.pdf"
    )
    first = doc.transactions[0]
    assert (first.ticker, first.asset_type, first.asset_type_text, first.owner) == (
        "FCNCA",
        "ST",
        "Stock",
        None,
    )
    assert (first.tx_date, first.notified_date) == (date(2026, 4, 14), date(2026, 5, 17))
    # disclosure_date varies within a filing (it is each row's notification date).
    letlow = documents["20030977"]
    notified = {t.notified_date for t in letlow.transactions if t.notified_date}
    assert len(notified) == 6
    assert letlow.filed_date == date(2026, 1, 1) == max(notified)
    assert [t.row for t in letlow.transactions] == list(range(90))


def test_header_conflict_and_bad_fields_are_rejected(raw: bytes) -> None:
    rows = json.loads(raw)[:3]
    rows[1] = {**rows[0], "representative": "Someone Else", "ticker": "ZZZ"}
    rows.append({**rows[0], "owner": "Cousin", "ticker": "YYY"})
    rows.append({**rows[0], "transaction_date": "13/45/2026", "ticker": "XXX"})
    rows.append({**rows[0], "amount": "lots"})
    rows.append("not an object")
    result = parse_house_watcher(json.dumps(rows).encode())
    assert [(r.record_ref, r.reason) for r in result.rejects] == [
        ("row 1", "conflicts with filing 20034616's filer or URL"),
        ("row 3", "unknown owner 'Cousin'"),
        ("row 4", "unreadable transaction_date '13/45/2026'"),
        ("row 5", "not an amount band: 'lots'"),
        ("row 6", "row is a str, not an object"),
    ]
    assert sum(len(doc.transactions) for doc in result.documents) == 2


def test_truncated_file_is_a_clear_error(raw: bytes) -> None:
    with pytest.raises(WatcherFormatError, match="not valid JSON"):
        parse_house_watcher(raw[: len(raw) // 3])
    with pytest.raises(WatcherFormatError, match="expected a JSON array"):
        parse_house_watcher(b'{"message": "404: Not Found"}')
