"""The eFD search answer parser: the bundled listing pages, paper rows, broken answers."""

from __future__ import annotations

import gzip
import json
from datetime import date

import pytest

from stockyard.replay import SAMPLE_ROOT
from stockyard.sources.senate_efd import ReportRef, SearchFormatError, parse_search_page
from stockyard.sources.senate_efd.search import parse_csrf_token

LISTING = SAMPLE_ROOT / "senate_efd" / "search" / "report" / "data"


def _listing(start: int) -> bytes:
    return gzip.decompress((LISTING / f"page-{start}.json.gz").read_bytes())


def test_bundled_listing_pages() -> None:
    pages = [parse_search_page(_listing(start)) for start in (0, 100, 200)]
    assert [page.total for page in pages] == [230, 230, 230]
    assert [len(page.rows) for page in pages] == [100, 100, 30]
    assert all(page.rejects == [] for page in pages)
    refs = [ref for page in pages for ref in page.rows]
    assert len({ref.report_id for ref in refs}) == 230
    assert [ref.filed_date for ref in refs] == sorted(ref.filed_date for ref in refs)
    assert refs[0] == ReportRef(
        report_id="79a6c9ae-2a6a-4194-86d8-ab66885bdb3b",
        first_name="Thomas R",
        last_name="Carper",
        office="Carper, Thomas R. (Senator)",
        title="Periodic Transaction Report for 01/08/2020",
        filed_date=date(2020, 1, 8),
        path="/search/view/ptr/79a6c9ae-2a6a-4194-86d8-ab66885bdb3b/",
        is_paper=False,
    )
    # Every listed report is in the replay tree.
    pages_root = SAMPLE_ROOT / "senate_efd"
    assert all((pages_root / ref.path.lstrip("/") / "index.html.gz").is_file() for ref in refs)


def test_paper_rows_and_bad_rows() -> None:
    body = {
        "draw": 1,
        "recordsTotal": 3,
        "recordsFiltered": 3,
        "result": "ok",
        "data": [
            [
                "RICHARD",
                "BLUMENTHAL",
                "Senator",
                '<a href="/search/view/paper/2a123633-1454-49ff-8c3b-c4028372a119/" '
                'target="_blank">Periodic Transaction Report</a>',
                "12/02/2020",
            ],
            ["A", "B", "C", "no link here", "12/02/2020"],
            ["A", "B", "C", '<a href="/search/view/ptr/x/">T</a>', "2020-12-02"],
        ],
    }
    page = parse_search_page(json.dumps(body).encode())
    (paper,) = page.rows
    assert paper.is_paper and paper.report_id == "2a123633-1454-49ff-8c3b-c4028372a119"
    assert paper.path == "/search/view/paper/2a123633-1454-49ff-8c3b-c4028372a119/"
    assert [r.record_ref for r in page.rejects] == ["row 1", "row 2"]
    assert page.rejects[0].reason == "no report link in 'no link here'"
    assert page.rejects[1].reason == "unreadable filed date '2020-12-02'"


def test_truncated_answer_is_a_clear_error() -> None:
    data = _listing(0)
    with pytest.raises(SearchFormatError, match="not valid JSON"):
        parse_search_page(data[: len(data) // 2])
    with pytest.raises(SearchFormatError, match="no 'data' list"):
        parse_search_page(b'{"error": "Forbidden"}')
    with pytest.raises(SearchFormatError, match="result='error'"):
        parse_search_page(b'{"result": "error", "data": [], "recordsFiltered": 0}')


def test_csrf_token_from_the_agreement_page() -> None:
    home = gzip.decompress((SAMPLE_ROOT / "senate_efd/search/home/index.html.gz").read_bytes())
    assert parse_csrf_token(home) == "replayAgreementFormToken" + "0" * 40
    assert parse_csrf_token(b"<html><body>maintenance</body></html>") is None
