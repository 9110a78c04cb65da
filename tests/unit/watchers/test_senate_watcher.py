"""The Senate Stock Watcher aggregate: the bundled real file, paper filings, broken input."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from datetime import date
from typing import Any

import pytest

from stockyard.models import DocStatus, ParsedDocument, ParsedTransaction
from stockyard.replay import SAMPLE_ROOT
from stockyard.sources.watchers import WatcherFormatError, WatcherParse, parse_senate_watcher

BUNDLED = SAMPLE_ROOT / "senate_watcher" / "aggregate" / "all_daily_summaries.json.gz"


@pytest.fixture(scope="module")
def raw() -> bytes:
    return gzip.decompress(BUNDLED.read_bytes())


@pytest.fixture(scope="module")
def parsed(raw: bytes) -> WatcherParse:
    return parse_senate_watcher(raw)


@pytest.fixture(scope="module")
def documents(parsed: WatcherParse) -> dict[str, ParsedDocument]:
    return {doc.doc_id: doc for doc in parsed.documents}


def test_counts(parsed: WatcherParse) -> None:
    assert len(parsed.documents) == 1442
    assert Counter(doc.status for doc in parsed.documents) == {
        DocStatus.PARSED: 979,
        DocStatus.NEEDS_OCR: 463,
    }
    assert sum(len(doc.transactions) for doc in parsed.documents) == 8030
    assert parsed.rejects == []
    rows = [t for doc in parsed.documents for t in doc.transactions]
    assert {t.owner for t in rows} == {None, "SP", "JT", "DC"}
    assert {t.tx_type for t in rows} == {"P", "S", "S (partial)", "E"}
    assert (50_000_001, None) in {(t.amount_min, t.amount_max) for t in rows}  # "Over $50,000,000"
    assert all(t.ticker is None or ("<" not in t.ticker and " " not in t.ticker) for t in rows)


def test_first_filing_by_hand(documents: dict[str, ParsedDocument]) -> None:
    doc = documents["32550a8f-923e-416f-84f3-e19ab4f148b1"]
    assert (doc.source, doc.chamber, doc.filer_name, doc.bioguide_id) == (
        "senate_watcher",
        "senate",
        "Susan M Collins",
        "C001035",
    )
    assert doc.filed_date == date(2021, 3, 10)
    assert doc.source_url == (
        "https://efdsearch.senate.gov/search/view/ptr/32550a8f-923e-416f-84f3-e19ab4f148b1/"
    )
    assert doc.transactions[0] == ParsedTransaction(
        asset_name="LII - Lennox International Inc. 526107AF4",
        owner="SP",
        ticker=None,
        asset_type="CS",
        tx_type="P",
        tx_date=date(2021, 2, 11),
        amount_min=50_001,
        amount_max=100_000,
        description="Rate/Coupon: 1.700% Matures: 08/01/27",
        row=0,
        amount_text="$50,001 - $100,000",
        asset_type_text="Corporate Bond",
    )


def test_paper_filing_needs_ocr(documents: dict[str, ParsedDocument]) -> None:
    doc = documents["2a123633-1454-49ff-8c3b-c4028372a119"]
    assert doc.status is DocStatus.NEEDS_OCR
    assert (doc.filer_name, doc.filed_date, doc.transactions) == (
        "RICHARD BLUMENTHAL",
        date(2020, 12, 2),
        [],
    )


def test_html_ticker_and_exchange(documents: dict[str, ParsedDocument]) -> None:
    exchanges = [t for doc in documents.values() for t in doc.transactions if t.tx_type == "E"]
    (dupont,) = [t for t in exchanges if t.asset_name == "DuPont de Nemours, Inc."]
    assert dupont.ticker == "DD"
    assert dupont.description == "Received: International Flavors & Fragrances Inc. (IFF)"


def test_identical_rows_within_a_filing_are_kept(raw: bytes, parsed: WatcherParse) -> None:
    # A PTR may list the same trade twice; the eFD pages confirm such pairs, so no de-duplication.
    filings: list[dict[str, Any]] = json.loads(raw)
    repeats = sum(
        count - 1
        for filing in filings
        for count in Counter(json.dumps(t, sort_keys=True) for t in filing["transactions"]).values()
    )
    assert repeats == 389
    assert sum(len(doc.transactions) for doc in parsed.documents) == 8030


def test_bad_filings_and_rows_are_rejected(raw: bytes) -> None:
    filings: list[Any] = json.loads(raw)[:2]
    filings[0]["transactions"][1]["type"] = "Gift"
    filings.append({**filings[1]})  # the same report twice
    filings.append({**filings[1], "ptr_link": "https://example.org/not-efd"})
    paper = "https://efdsearch.senate.gov/search/view/paper/2a123633-1454-49ff-8c3b-c4028372a119/"
    filings.append(
        {**filings[1], "ptr_link": paper, "transactions": filings[0]["transactions"][:1]}
    )
    result = parse_senate_watcher(json.dumps(filings).encode())
    assert [(r.record_ref, r.reason) for r in result.rejects] == [
        ("filing 0 transaction 1", "unknown transaction type 'Gift'"),
        ("filing 2", "duplicate of filing 1"),
        ("filing 3", "ptr_link is not an eFD report link: 'https://example.org/not-efd'"),
        ("filing 4 transaction 0", "transaction listed on a paper filing"),
    ]
    assert len(result.documents) == 3


def test_truncated_file_is_a_clear_error(raw: bytes) -> None:
    with pytest.raises(
        WatcherFormatError, match=r"senate_watcher all_daily_summaries\.json: not valid JSON"
    ):
        parse_senate_watcher(raw[:1000])
