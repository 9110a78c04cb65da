"""The eFD PTR page parser over every bundled real page, hand-checked rows and broken pages."""

from __future__ import annotations

import gzip
import re
from datetime import date

import pytest

from stockyard.models import DocStatus, ParsedDocument, ParsedTransaction
from stockyard.replay import SAMPLE_ROOT
from stockyard.sources.senate_efd import PARSER_VERSION, parse_ptr_page
from stockyard.sources.senate_efd.ptr_page import filer_display_name

PAGES = SAMPLE_ROOT / "senate_efd" / "search" / "view" / "ptr"
STATED_TOTAL = re.compile(rb"\((\d+) transactions? total\)")


def _html(report_id: str) -> bytes:
    return gzip.decompress((PAGES / report_id / "index.html.gz").read_bytes())


def _page(report_id: str) -> ParsedDocument:
    return parse_ptr_page(_html(report_id), report_id)


@pytest.fixture(scope="module")
def all_pages() -> dict[str, tuple[bytes, ParsedDocument]]:
    pages = {}
    for folder in sorted(PAGES.iterdir()):
        html = _html(folder.name)
        pages[folder.name] = (html, parse_ptr_page(html, folder.name))
    return pages


def test_every_bundled_page_parses_to_its_stated_total(
    all_pages: dict[str, tuple[bytes, ParsedDocument]],
) -> None:
    # 246 upstream pages, 16 of them byte-identical repeats: 230 distinct reports (PROVENANCE.md).
    assert len(all_pages) == 230
    for report_id, (html, doc) in all_pages.items():
        stated = STATED_TOTAL.search(html)
        assert stated is not None, report_id
        assert doc.status is DocStatus.PARSED, (report_id, doc.error)
        assert doc.rejects == [], report_id
        assert len(doc.transactions) == int(stated[1]), report_id
        assert [t.row for t in doc.transactions] == list(range(len(doc.transactions)))
    assert sum(len(doc.transactions) for _, doc in all_pages.values()) == 2566


def test_the_seventeen_amendments_are_found(
    all_pages: dict[str, tuple[bytes, ParsedDocument]],
) -> None:
    amended = {rid: doc for rid, (_, doc) in all_pages.items() if doc.amendment_number}
    assert len(amended) == 17
    assert all("(Amendment " in (doc.report_title or "") for doc in amended.values())
    assert {doc.amendment_number for doc in amended.values()} == {1, 2}
    assert amended["efd-2020-057-loeffler-05-01-2020"].amendment_number == 2


def test_vocabulary_maps_to_shared_codes(
    all_pages: dict[str, tuple[bytes, ParsedDocument]],
) -> None:
    rows = [t for _, doc in all_pages.values() for t in doc.transactions]
    assert {t.owner for t in rows} == {None, "SP", "JT", "DC"}
    assert {t.tx_type for t in rows} == {"P", "S", "S (partial)", "E"}
    assert {t.asset_type for t in rows} == {"ST", "OP", "CS", "CT", "FU", "PS", None}
    assert all(t.amount_min is not None and t.amount_max is not None for t in rows)
    assert all(t.ticker is None or " " not in t.ticker for t in rows)
    assert "--" not in {t.ticker for t in rows} | {t.comment for t in rows}


def test_amended_option_page_by_hand() -> None:
    doc = _page("efd-2020-004-blunt-08-11-2020")
    assert doc.source == "senate_efd" and doc.chamber == "senate"
    assert doc.parser_version == PARSER_VERSION
    assert doc.filer_name == "Roy Blunt"
    assert doc.filed_date == date(2020, 8, 11)
    assert doc.report_title == "Periodic Transaction Report for 12/28/2019 (Amendment 1)"
    assert doc.amendment_number == 1
    # The page numbers its rows 2, 1; `row` is the order on the page.
    assert doc.transactions[0] == ParsedTransaction(
        asset_name="The Kraft Heinz Company",
        owner="SP",
        ticker="KHC",
        asset_type="OP",
        tx_type="S (partial)",
        tx_date=date(2019, 11, 26),
        amount_min=1_001,
        amount_max=15_000,
        description="Option Type: Neither Strike price: $24.96 Expires: 02/23/2020",
        comment="Option received as part of compensation.",
        page=1,
        row=0,
        amount_text="$1,001 - $15,000",
        asset_type_text="Stock Option",
    )
    assert doc.transactions[1].ticker == "MDLZ"
    assert (doc.transactions[1].amount_min, doc.transactions[1].amount_max) == (50_001, 100_000)


def test_sub_lines_go_to_description() -> None:
    doc = _page("e4a2aa00-e5bc-4c2f-967a-ff0b5bb5089b")  # Lamar Alexander, filed 02/27/2020
    assert doc.filer_name == "Lamar Alexander"
    partnership, _, starboard, bond = doc.transactions
    assert partnership.asset_name == "Little Star Partnership"
    assert partnership.description == (
        "Company: Little Star Partnership (Victoria, Texas); Description: Rental Real Estate"
    )
    assert partnership.ticker is None and partnership.asset_type is None
    assert partnership.asset_type_text == "Other Securities"
    assert starboard.asset_type == "PS" and starboard.tx_type == "S"
    assert bond.asset_name == "McKinney Texas Indpt Sch Dist"
    assert bond.description == "Rate/Coupon: 5.00% Matures: 02/15/2028"
    assert bond.asset_type is None and bond.asset_type_text == "Municipal Security"
    assert bond.comment == "Notification of the transaction was delayed due to the holidays"


def test_exchange_keeps_the_exchanged_asset_and_records_the_received_one() -> None:
    doc = _page("1fddad5d-761e-48ac-8289-a7d72735d85f")  # Carper, 08/13/2020
    exchange = doc.transactions[0]
    assert exchange.tx_type == "E"
    assert exchange.asset_name == "LOR Lazard World Dividend and Income Fund"
    assert exchange.ticker is None  # the exchanged side's ticker cell is "--"
    assert exchange.description == (
        "Received: Lazard Global Total Return and Income Fund, Inc. (LGI)"
    )


def test_child_crypto_and_futures_rows() -> None:
    child = _page("4e013e86-56bf-4a73-90ea-d7badba4ac9b").transactions[0]  # Wyden
    assert (child.owner, child.ticker, child.asset_type) == ("DC", "NVDA", "ST")
    bitcoin = _page("efd-2022-035-cruz-02-04-2022").transactions[0]
    assert (bitcoin.asset_name, bitcoin.ticker, bitcoin.asset_type) == ("Bitcoin", "BTC", "CT")
    assert bitcoin.description == "Exchange/Platform: River"
    corn = _page("efd-2022-081-tuberville-10-12-2022").transactions[11]
    assert (corn.asset_name, corn.asset_type, corn.tx_type) == ("Call DEC 22 CBT Corn", "FU", "S")


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("The Honorable Michael F Bennet (Bennet, Michael)", "Michael F Bennet"),
        ("The Honorable Pat Roberts (Former Senator)", "Pat Roberts"),
        ("Mrs. Kelly Loeffler (Loeffler, Kelly)", "Kelly Loeffler"),
        ("Mr. William F Hagerty IV (Hagerty, Bill)", "William F Hagerty IV"),
        (
            "The Honorable A. Mitchell McConnell Jr. (McConnell, A. Mitchell Jr.)",
            "A. Mitchell McConnell Jr.",
        ),
    ],
)
def test_filer_display_name(heading: str, name: str) -> None:
    assert filer_display_name(heading) == name


def test_a_bad_row_is_rejected_not_dropped() -> None:
    html = _html("efd-2020-004-blunt-08-11-2020").replace(b"<td>Spouse</td>", b"<td>Cousin</td>", 1)
    doc = parse_ptr_page(html, "x")
    assert doc.status is DocStatus.PARSED
    assert len(doc.transactions) == 1
    assert doc.rejects == [(1, doc.rejects[0][1], "row 0: unknown owner 'Cousin'")]
    assert "Kraft Heinz" in doc.rejects[0][1]


def test_a_page_missing_rows_is_an_error() -> None:
    html = _html("efd-2020-004-blunt-08-11-2020")
    start = html.index(b"<tr>", html.index(b"<tbody>"))
    end = html.index(b"</tr>", start) + len(b"</tr>")
    doc = parse_ptr_page(html[:start] + html[end:], "x")
    assert doc.status is DocStatus.ERROR
    assert doc.error == "page states 2 transactions but its table has 1"


def test_other_report_kinds_and_junk() -> None:
    annual = _html("efd-2020-004-blunt-08-11-2020").replace(
        b"Periodic Transaction Report", b"Annual Report"
    )
    doc = parse_ptr_page(annual, "x")
    assert doc.status is DocStatus.NOT_PTR
    assert doc.error is not None and "Annual Report" in doc.error
    junk = parse_ptr_page(b"<html><body><p>Service unavailable</p></body></html>", "y")
    assert junk.status is DocStatus.ERROR
    assert junk.error == "not an eFD report page (no report title or filer)"
    assert parse_ptr_page(b"\xff\xfe\x00junk", "z").status is DocStatus.ERROR


def test_bundle_layout_is_one_index_per_report() -> None:
    folders = list(PAGES.iterdir())
    assert all((f / "index.html.gz").is_file() for f in folders)
    uuid = re.compile(r"^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$")
    derived = re.compile(r"^efd-20\d\d-\d{3}-[a-z]+-\d\d-\d\d-\d{4}$")
    assert all(uuid.match(f.name) or derived.match(f.name) for f in folders)
    assert sum(bool(uuid.match(f.name)) for f in folders) == 105
