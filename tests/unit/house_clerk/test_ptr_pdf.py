"""PTR parsing of hand-checked tricky cases (each checked against the rendered page)."""

from datetime import date
from pathlib import Path

import pytest

import stockyard
from stockyard.models import DocStatus, ParsedDocument
from stockyard.sources.house_clerk.ptr_pdf import PARSER_VERSION, parse_ptr_pdf
from stockyard.sources.house_clerk.ptr_rows import split_asset

SAMPLE = Path(stockyard.__file__).parent / "data/sample/house_clerk/public_disc"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
SCANNED = [
    *sorted(p for p in (SAMPLE / "ptr-pdfs").glob("*/*.pdf") if not p.stem.startswith("200")),
    FIXTURES / "pdfs/ayaviri_scan_wied_2025.pdf",
]


def _parse(doc_id: str) -> ParsedDocument:
    path = next((SAMPLE / "ptr-pdfs").glob(f"*/{doc_id}.pdf"))
    return parse_ptr_pdf(path.read_bytes(), doc_id)


def test_nul_headings_and_amount_band_split_over_two_lines() -> None:
    doc = _parse("20024542")  # 2024: "P\0\0… T\0… R\0…" heading, "F\0… S\0…:" labels
    assert doc.status is DocStatus.PARSED
    assert (doc.source, doc.chamber, doc.parser_version) == ("house_clerk", "house", PARSER_VERSION)
    assert doc.report_title == "Periodic Transaction Report"
    assert (doc.filer_name, doc.state_district) == ("Hon. Nancy Pelosi", "CA11")
    assert doc.filed_date == date(2024, 2, 23)
    assert doc.page_count == 1 and doc.rejects == []
    first = doc.transactions[0]
    assert (first.owner, first.asset_name, first.ticker, first.asset_type) == (
        "SP",
        "Palo Alto Networks, Inc.",
        "PANW",
        "OP",  # the [OP] tag is on the line under the name
    )
    assert (first.tx_type, first.tx_date, first.notified_date) == (
        "P",
        date(2024, 2, 12),
        date(2024, 2, 12),
    )
    assert (first.amount_min, first.amount_max, first.amount_text) == (
        500_001,
        1_000_000,
        "$500,001 - $1,000,000",
    )
    assert first.filing_status == "New"
    assert first.description == (
        "Purchased 50 call options with a strike price of $200 and an expiration date of 1/17/25."
    )
    assert [t.row for t in doc.transactions] == [0, 1]


def test_description_comment_location_and_a_row_split_over_a_page_break() -> None:
    doc = _parse("20022260")
    assert len(doc.transactions) == 13 and doc.rejects == []
    alliance = doc.transactions[0]
    assert alliance.description == "Sold 20,000 shares."
    assert alliance.comment == (
        "Sold 20,000 shares at an average price of $32.95 for a total loss of $11,510."
    )
    assert "New York" not in (alliance.asset_name + (alliance.comment or ""))  # Location: dropped
    assert (alliance.ticker, alliance.asset_type, alliance.tx_type) == (None, "OL", "S (partial)")
    # Netflix 12/30 starts at the foot of page 1; its F S:/D:/C: lines are at the top of page 2.
    netflix = doc.transactions[5]
    assert (netflix.asset_name, netflix.tx_date, netflix.page) == (
        "Netflix, Inc.",
        date(2022, 12, 30),
        1,
    )
    assert netflix.description == "Sold 1,000 shares."
    assert netflix.comment is not None and "$292.89" in netflix.comment
    # A wrapped comment whose last word sits under the Cap. Gains column is kept whole.
    assert doc.transactions[8].description is not None
    assert doc.transactions[8].description.endswith(
        "Fairfax, VA (one), suburban Baltimore, MD (two) and San Antonio, TX (two)."
    )
    salesforce = doc.transactions[10]
    assert (salesforce.amount_min, salesforce.amount_max, salesforce.tx_type) == (9, 9, "S")


def test_blank_owner_is_the_filer() -> None:
    doc = _parse("20033360")
    assert len(doc.transactions) == 14
    assert {t.owner for t in doc.transactions} == {None}
    brk = next(t for t in doc.transactions if t.ticker == "BRK.B")
    assert brk.asset_name == "Berkshire Hathaway Inc. New Common Stock"


def test_subholding_blocks_and_cusips_that_are_not_tickers() -> None:
    doc = _parse("20026537")
    assert [t.subholding_of for t in doc.transactions] == [
        "R.W. Allen & Associates, Inc. > RWA&A - Securities",
        "R.W. Allen & Associates, Inc. > RWA&A - Securities",
        "SCH1",
        "SCH1",
    ]
    treasury = doc.transactions[1]
    assert (treasury.asset_name, treasury.ticker, treasury.asset_type) == (
        "US TREASU NOTE 4.375% DUE 12/15/26 (91282CJP7)",
        None,
        "GS",
    )


def test_letter_case_lost_by_the_2019_font_is_repaired() -> None:
    doc = _parse("20011472")  # the text layer says "uBS group ag … (uBS)"
    only = doc.transactions[0]
    assert (only.asset_name, only.ticker, only.owner, only.tx_type) == (
        "UBS Group AG Registered Ordinary Shares",
        "UBS",
        "SP",
        "S",
    )


def test_2016_layout_without_type_tags_or_gains_column() -> None:
    doc = _parse("20005757")
    assert len(doc.transactions) == 20 and doc.page_count == 3
    maryland = doc.transactions[4]
    assert maryland.asset_name == "MARYLAND ST ST & LOC FACS LN- FIRST SER A MAR15 5.00% MAR01 2023"
    assert (maryland.ticker, maryland.asset_type, maryland.tx_date) == (
        None,
        None,
        date(2016, 6, 6),
    )
    assert {t.subholding_of for t in doc.transactions} == {"Spouse Muni Account 176"}
    # Row 7's "Subholding Of:" line is the first line of page 2.
    assert doc.transactions[5].page == 1 and doc.transactions[5].subholding_of is not None


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: p.stem)
def test_scanned_filings_need_ocr_when_ocr_is_off(path: Path) -> None:
    doc = parse_ptr_pdf(path.read_bytes(), path.stem, ocr=False)
    assert doc.status is DocStatus.NEEDS_OCR
    assert doc.transactions == [] and doc.page_count >= 1
    assert doc.error is not None and "no text layer" in doc.error


@pytest.mark.parametrize("doc_id", ["10013294", "10063304"])
def test_annual_reports_are_not_ptrs(doc_id: str) -> None:
    path = next((SAMPLE / "financial-pdfs").glob(f"*/{doc_id}.pdf"))
    doc = parse_ptr_pdf(path.read_bytes(), doc_id)
    assert doc.status is DocStatus.NOT_PTR
    assert doc.report_title == "Financial Disclosure Report"
    assert doc.transactions == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ((FIXTURES / "house_clerk/20024542_truncated.pdf").read_bytes(), "truncated PDF"),
        ((FIXTURES / "house_clerk/20024542_corrupt.pdf").read_bytes(), "blank or damaged"),
        (b"<html><body>Service Unavailable</body></html>", "not a PDF"),
        (b"", "empty document"),
        (b"%PDF-1.7\n" + b"\x00garbage" * 50 + b"\n%%EOF\n", "PDF"),
    ],
    ids=["truncated", "corrupt", "html", "empty", "garbage"],
)
def test_unreadable_bytes_give_status_error(data: bytes, message: str) -> None:
    doc = parse_ptr_pdf(data, "20024542")
    assert doc.status is DocStatus.ERROR
    assert doc.error is not None and message in doc.error
    assert doc.transactions == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Apple Inc. (AAPL) [ST]", ("Apple Inc.", "AAPL", "ST")),
        ("American Funds Europacific [CS]", ("American Funds Europacific", None, "CS")),
        ("AT&T Inc. (T) [ST]", ("AT&T Inc.", "T", "ST")),
        ("Amazon.com, Inc.  (AMZN)", ("Amazon.com, Inc.", "AMZN", None)),
        (
            "US TREASURY BILL DUE 03/20/25 (912797KJ5) [GS]",
            ("US TREASURY BILL DUE 03/20/25 (912797KJ5)", None, "GS"),
        ),
        ("REOF XXII, LLC [AB]", ("REOF XXII, LLC", None, "AB")),
    ],
)
def test_split_asset_never_takes_the_type_tag_for_a_ticker(
    text: str, expected: tuple[str, str | None, str | None]
) -> None:
    assert split_asset(text) == expected
