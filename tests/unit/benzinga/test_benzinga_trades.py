"""Benzinga trades parser over the one real recorded record, and variations of it."""

from __future__ import annotations

import copy
import gzip
import json
from datetime import date
from typing import Any

import pytest

from stockyard.models import DocStatus, ParsedTransaction
from stockyard.replay import SAMPLE_ROOT
from stockyard.sources.benzinga import BenzingaFormatError, parse_trades

TRADES = SAMPLE_ROOT / "benzinga" / "api" / "v1" / "gov" / "usa" / "congress" / "trades"


@pytest.fixture
def body() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        gzip.decompress((TRADES / "2024-12-11-page-0.json.gz").read_bytes())
    )
    return data


def test_the_real_record(body: dict[str, Any]) -> None:
    result = parse_trades(json.dumps(body).encode())
    assert result.rejects == []
    assert result.max_updated == 1734012113
    (doc,) = result.documents
    assert (doc.doc_id, doc.source, doc.status, doc.chamber) == (
        "20026376",
        "benzinga",
        DocStatus.PARSED,
        "house",
    )
    assert (doc.filer_name, doc.bioguide_id, doc.state_district) == (
        "Virginia Foxx",
        "F000450",
        "NC05",
    )
    assert (
        doc.source_url
        == "https://disclosures-clerk.house.gov/public_disc/ptr-pdfs/2024/20026376.pdf"
    )
    assert doc.filed_date == date(2024, 12, 11)
    assert doc.amendment_number is None  # Benzinga says 0 for an original
    assert doc.transactions == [
        ParsedTransaction(
            asset_name="Alliance Res Partners",
            owner="JT",
            ticker="ARLP",
            asset_type="ST",
            tx_type="P",
            tx_date=date(2024, 11, 14),
            notified_date=date(2024, 12, 11),
            amount_min=1_001,
            amount_max=15_000,
            row=0,
            amount_text="$1,001 - $15,000",
            asset_type_text="STOCK",
            source_tx_id="b7715f45d0fa77bfb92ef61cb51525652164f902",
        )
    ]


def test_records_group_by_report_and_bad_ones_are_rejected(body: dict[str, Any]) -> None:
    real = body["data"][0]
    sale = copy.deepcopy(real) | {
        "transaction_id": "second",
        "transaction_type": "S",
        "ownership": "SP",
        "amount": "$15,001 - $50,000",
        "updated": 1734099999,
    }
    odd_owner = copy.deepcopy(real) | {"transaction_id": "third", "ownership": "Trust"}
    no_report = copy.deepcopy(real) | {"report_id": ""}
    other_report = copy.deepcopy(real) | {"report_id": "20026999", "transaction_type": "Gift"}
    page = {"data": [real, sale, odd_owner, no_report, other_report, "junk"]}
    result = parse_trades(json.dumps(page).encode())
    (doc,) = result.documents  # the report whose only record is bad yields no empty document
    assert [(t.source_tx_id, t.tx_type, t.owner, t.row) for t in doc.transactions] == [
        ("b7715f45d0fa77bfb92ef61cb51525652164f902", "P", "JT", 0),
        ("second", "S", "SP", 1),
    ]
    assert [(r.record_ref, r.reason) for r in result.rejects] == [
        ("record 2", "unknown ownership 'Trust'"),
        ("record 3", "field 'report_id' missing or empty"),
        ("record 4", "unknown transaction_type 'Gift'"),
        ("record 5", "record is not an object"),
    ]
    assert result.max_updated == 1734099999


def test_empty_pages_and_broken_answers(body: dict[str, Any]) -> None:
    assert parse_trades(b'{"data": []}').documents == []
    assert parse_trades(b"{}").max_updated is None
    data = json.dumps(body).encode()
    with pytest.raises(BenzingaFormatError, match="not valid JSON"):
        parse_trades(data[: len(data) // 2])
    with pytest.raises(BenzingaFormatError, match="no 'data' list"):
        parse_trades(b'{"error": "Unauthorized"}')
