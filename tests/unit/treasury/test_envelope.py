"""The Fiscal Data envelope parser on real recorded answers and real DTS rows."""

from __future__ import annotations

import gzip
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from stockyard.sources.treasury import TreasuryFormatError, dataset, parse_envelope
from stockyard.warehouse.schema import RAW_COLUMNS

HTTP = Path(__file__).parents[2] / "fixtures" / "http" / "treasury"
DEPOSITS = HTTP / "v1/accounting/dts/deposits_withdrawals_operating_cash/2020-01-04_2020-01-17"
DEBT = HTTP / "v2/accounting/od/debt_to_penny/sort-desc_page1_size1_2026-10-01.json"
MTS = HTTP / "v1/accounting/mts/mts_table_5_subset_2021.json"


def page(number: int) -> bytes:
    return gzip.decompress((DEPOSITS / f"size-100-page-{number}.json.gz").read_bytes())


def test_the_real_debt_to_penny_answer_is_typed_by_its_data_types() -> None:
    envelope = parse_envelope(DEBT.read_bytes())
    assert (envelope.count, envelope.total_count, envelope.total_pages) == (1, 8405, 8405)
    assert envelope.next_page == 2  # links.next is "&page%5Bnumber%5D=2&page%5Bsize%5D=1"
    [row] = envelope.rows
    assert row["record_date"] == date(2026, 10, 1)
    # CURRENCY keeps its cents exactly: a float would not.
    assert row["tot_pub_debt_out_amt"] == Decimal("40260641972390.03")
    assert row["src_line_nbr"] == 1 and row["record_fiscal_year"] == 2027
    assert envelope.labels["tot_pub_debt_out_amt"] == "Total Public Debt Outstanding"


def test_a_real_mts_answer_parses_every_row() -> None:
    envelope = parse_envelope(MTS.read_bytes())
    assert envelope.count == len(envelope.rows) == 48 and not envelope.rejects
    assert envelope.next_page is None
    assert envelope.rows[0]["current_month_gross_outly_amt"] == Decimal("3594670266.67")


def test_string_nulls_become_none_and_amounts_decimals() -> None:
    envelope = parse_envelope(page(1))
    assert envelope.total_count == 267 and envelope.total_pages == 3 and envelope.next_page == 2
    first = envelope.rows[0]
    assert first["record_date"] == date(2020, 1, 6)
    assert first["transaction_catg_desc"] is None  # the API's literal "null"
    assert isinstance(first["transaction_today_amt"], Decimal)
    described = [r for r in envelope.rows if r["transaction_catg"] == "Deposits by States"]
    assert {r["transaction_catg_desc"] for r in described} >= {"Unemployment"}
    assert parse_envelope(page(3)).next_page is None  # the last page


def test_a_row_that_does_not_read_as_its_type_is_rejected_with_the_reason() -> None:
    body = json.loads(page(1))
    body["data"][5]["transaction_today_amt"] = "12O"  # a letter O, as a bad upstream edit would
    body["data"][7]["record_date"] = "2020-13-01"
    envelope = parse_envelope(json.dumps(body).encode())
    assert len(envelope.rows) == 98
    reasons = {r.index: r.reason for r in envelope.rejects}
    assert "transaction_today_amt" in reasons[5] and "'12O'" in reasons[5]
    assert "record_date" in reasons[7]
    assert json.loads(envelope.rejects[0].payload)["transaction_today_amt"] == "12O"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"data": [{"record_date": "2020-01-06"', "truncated"),
        (b'{"error": "Invalid Query Param", "message": "bad filter"}', "error"),
        (b'{"data": [], "meta": {"count": 0}}', "dataTypes"),
        (b"[]", "not a JSON object"),
    ],
)
def test_an_answer_that_is_not_an_envelope_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(TreasuryFormatError, match=message):
        parse_envelope(data)


def test_a_page_whose_count_disagrees_with_its_rows_is_refused() -> None:
    body = json.loads(page(3))
    body["data"] = body["data"][:-1]
    with pytest.raises(TreasuryFormatError, match=r"meta\.count"):
        parse_envelope(json.dumps(body).encode())


def test_a_changed_field_type_stops_the_load_with_what_to_update() -> None:
    envelope = parse_envelope(page(1))
    deposits = dataset("dts_deposits")
    deposits.check_types(envelope.data_types)
    changed = {**envelope.data_types, "transaction_today_amt": "STRING"}
    with pytest.raises(TreasuryFormatError, match=r"datasets\.py"):
        deposits.check_types(changed)


def test_every_dataset_has_a_raw_table_with_exactly_its_fields() -> None:
    from stockyard.sources.treasury import DATASETS

    for ds in DATASETS:
        columns = tuple(name for name, _ in RAW_COLUMNS[ds.raw_table])
        assert columns == ds.field_names, ds.name
