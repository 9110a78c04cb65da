import zipfile
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest

import stockyard
from stockyard.sources.house_clerk.fd_index import (
    FdIndexError,
    FdIndexRow,
    parse_fd_index,
    parse_fd_index_report,
)

INDEXES = Path(stockyard.__file__).parent / "data/sample/house_clerk/public_disc/financial-pdfs"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures/house_clerk"

PELOSI_2024 = FdIndexRow(
    prefix="Hon.",
    last="Pelosi",
    first="Nancy",
    suffix="",
    filing_type="P",
    state_district="CA11",
    year=2024,
    filing_date=date(2024, 2, 23),
    doc_id="20024542",
)


def _member(zip_bytes: bytes, suffix: str) -> bytes:
    with zipfile.ZipFile(BytesIO(zip_bytes)) as archive:
        name = next(n for n in archive.namelist() if n.endswith(suffix))
        return archive.read(name)


def test_zip_reads_every_record() -> None:
    rows = parse_fd_index((INDEXES / "2024FD.zip").read_bytes())
    assert len(rows) == 1098
    assert PELOSI_2024 in rows
    assert all(row.year == 2024 for row in rows)
    assert sum(row.filing_type == "P" for row in rows) == 257


def test_bare_xml_and_bare_txt_agree_with_the_zip() -> None:
    zipped = (INDEXES / "2023FD.zip").read_bytes()
    from_zip = parse_fd_index(zipped)
    from_xml = parse_fd_index(_member(zipped, ".xml"))
    txt = _member(zipped, ".txt")
    assert txt.startswith(b"\xef\xbb\xbf") or b"\r\n" in txt  # the real BOM/CRLF file
    from_txt = parse_fd_index(txt)
    assert len(from_zip) == 1549
    assert from_zip == from_xml
    assert sorted(from_txt, key=lambda r: r.doc_id) == sorted(from_xml, key=lambda r: r.doc_id)


def test_zip_without_xml_falls_back_to_txt() -> None:
    txt = _member((INDEXES / "2025FD.zip").read_bytes(), ".txt")
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2025FD.txt", txt)
    rows = parse_fd_index(buffer.getvalue())
    assert len(rows) == 123
    assert {r.year for r in rows} == {2025}


def test_alternate_column_layout_is_read_by_header_name() -> None:
    # Real 2014 TXT with extra "Filing Year" and "DisclosureType" columns in the middle and end.
    text = (
        "Prefix\tLast\tFirst\tSuffix\tFilingType\tStateDst\tYear\tFiling Year\tFilingDate\tDocID"
        "\tDisclosureType\r\n"
        "\tBINGEN-TYTLER\tKARI A.\t\tA\tNS00\t2014\t2013\t4/21/2014\t8214528\tFD\r\n"
        "HONORABLE\tCAMPBELL\tJOHN\t\tA\tca45\t2014\t2013\t5/1/2014\t8214602\tFD\r\n"
    )
    rows = parse_fd_index(text.encode())
    assert rows[1] == FdIndexRow(
        prefix="HONORABLE",
        last="CAMPBELL",
        first="JOHN",
        suffix="",
        filing_type="A",
        state_district="CA45",
        year=2014,
        filing_date=date(2014, 5, 1),
        doc_id="8214602",
    )


def test_truncated_zip_raises_a_clear_error() -> None:
    with pytest.raises(FdIndexError, match=r"truncated or corrupt.*download it again"):
        parse_fd_index((FIXTURES / "2025FD_truncated.zip").read_bytes())


def test_garbage_xml_raises() -> None:
    with pytest.raises(FdIndexError, match="not well-formed"):
        parse_fd_index(b"<FinancialDisclosure><Member>")


def test_bad_rows_are_reported_and_the_rest_kept() -> None:
    xml = _member((INDEXES / "2025FD.zip").read_bytes(), ".xml").decode("utf-8-sig")
    # The 2013 index really has FilingDate 6/14/3013; plant that typo and an unparseable date.
    first = xml.index("<FilingDate>")
    end = xml.index("</FilingDate>", first)
    xml = xml[:first] + "<FilingDate>6/14/3013" + xml[end:]
    second = xml.index("<FilingDate>", end)
    second_end = xml.index("</FilingDate>", second)
    xml = xml[:second] + "<FilingDate>13/45/2025" + xml[second_end:]

    report = parse_fd_index_report(xml.encode())

    assert len(report.rows) == 121
    assert [r.record_ref for r in report.rejects] == ["row 1", "row 2"]
    assert "3013" in report.rejects[0].reason and "implausible" in report.rejects[0].reason
    assert report.rejects[1].reason == "unparseable FilingDate '13/45/2025'"
    assert {r.source for r in report.rejects} == {"house_clerk"}
    assert parse_fd_index(xml.encode()) == report.rows
