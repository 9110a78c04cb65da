"""The House Clerk's yearly financial-disclosure index (``<YEAR>FD.zip``) → `FdIndexRow` records.

The zip holds ``<YEAR>FD.xml`` and ``<YEAR>FD.txt`` with the same records; we read the XML when
present (typed by element name, so column drift cannot shift fields) and the tab-separated text
otherwise. The text file is UTF-8 with a BOM and CRLF line ends, and older copies carry extra
columns (``Filing Year``, ``DisclosureType``); columns are read by header name, never by position.

One record per filing of any type (FilingType "P" is a Periodic Transaction Report). A record that
cannot be read (an impossible FilingDate such as the 2013 index's "6/14/3013") is reported in
`FdIndexParse.rejects` and the rest are kept; an unreadable file raises `FdIndexError`.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.etree import ElementTree

from stockyard.models import QuarantineRecord

__all__ = ["FdIndexError", "FdIndexParse", "FdIndexRow", "parse_fd_index", "parse_fd_index_report"]

SOURCE = "house_clerk"
DATASET = "fd_index"
# StateDst is blank for some filers (e.g. candidates withdrawn before a district was recorded).
_REQUIRED = ("FilingType", "Year", "DocID")
# Amendments arrive years after the filing year (2008's index has 2017 dates); anything outside this
# window is a typo, not a filing.
_YEARS_BEFORE = 1
_YEARS_AFTER = 20


class FdIndexError(ValueError):
    """The index file as a whole cannot be read."""


@dataclass(frozen=True, slots=True)
class FdIndexRow:
    prefix: str
    last: str
    first: str
    suffix: str
    filing_type: str
    state_district: str
    year: int
    filing_date: date | None
    doc_id: str


@dataclass(slots=True)
class FdIndexParse:
    rows: list[FdIndexRow] = field(default_factory=list)
    rejects: list[QuarantineRecord] = field(default_factory=list)


class _RowError(ValueError):
    pass


def _filing_date(text: str, year: int) -> date | None:
    if not text:
        return None
    try:
        parsed = datetime.strptime(text, "%m/%d/%Y").date()
    except ValueError as exc:
        raise _RowError(f"unparseable FilingDate {text!r}") from exc
    if not year - _YEARS_BEFORE <= parsed.year <= year + _YEARS_AFTER:
        raise _RowError(f"FilingDate {text!r} is implausible for filing year {year}")
    return parsed


def _row(record: Mapping[str, str]) -> FdIndexRow:
    missing = [name for name in _REQUIRED if not record.get(name)]
    if missing:
        raise _RowError(f"missing {', '.join(missing)}")
    try:
        year = int(record["Year"])
    except ValueError as exc:
        raise _RowError(f"Year is not a number: {record['Year']!r}") from exc
    return FdIndexRow(
        prefix=record.get("Prefix", ""),
        last=record.get("Last", ""),
        first=record.get("First", ""),
        suffix=record.get("Suffix", ""),
        filing_type=record["FilingType"],
        state_district=record.get("StateDst", "").upper(),
        year=year,
        filing_date=_filing_date(record.get("FilingDate", ""), year),
        doc_id=record["DocID"],
    )


def _xml_records(data: bytes) -> Iterator[dict[str, str]]:
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise FdIndexError(f"index XML is not well-formed ({exc}); fetch the index again") from exc
    if root.tag != "FinancialDisclosure":
        raise FdIndexError(f"index XML root is <{root.tag}>, expected <FinancialDisclosure>")
    for member in root.iter("Member"):
        yield {child.tag: (child.text or "").strip() for child in member}


def _txt_records(data: bytes) -> Iterator[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FdIndexError(f"index TXT is not UTF-8 ({exc})") from exc
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = [name.strip() for name in reader.fieldnames or []]
    if "DocID" not in header or "Last" not in header:
        raise FdIndexError(f"index TXT header lacks DocID/Last columns: {header!r}")
    reader.fieldnames = header
    for record in reader:
        yield {k: (v or "").strip() for k, v in record.items() if isinstance(k, str)}


def _from_zip(data: bytes) -> tuple[str, bytes]:
    """The XML member (or else the TXT member) of an index zip: ("xml" | "txt", bytes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            for suffix in (".xml", ".txt"):
                member = next((n for n in names if n.lower().endswith(suffix)), None)
                if member is not None:
                    return suffix[1:], archive.read(member)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise FdIndexError(
            f"index zip is truncated or corrupt ({exc}); delete it and download it again"
        ) from exc
    raise FdIndexError(f"index zip holds no <YEAR>FD.xml or <YEAR>FD.txt (members: {names!r})")


def _records(data: bytes) -> Iterator[dict[str, str]]:
    if data.startswith(b"PK"):
        kind, data = _from_zip(data)
    elif data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        kind = "xml"
    else:
        kind = "txt"
    return _xml_records(data) if kind == "xml" else _txt_records(data)


def parse_fd_index_report(data: bytes) -> FdIndexParse:
    """Every readable row, plus a quarantine record (row number and reason) for each bad one."""
    if not data:
        raise FdIndexError("index file is empty; fetch it again")
    result = FdIndexParse()
    for number, record in enumerate(_records(data), start=1):
        try:
            result.rows.append(_row(record))
        except _RowError as exc:
            result.rejects.append(
                QuarantineRecord(
                    source=SOURCE,
                    dataset=DATASET,
                    reason=str(exc),
                    record_ref=f"row {number}",
                    payload="\t".join(f"{k}={v}" for k, v in record.items()),
                )
            )
    return result


def parse_fd_index(data: bytes) -> list[FdIndexRow]:
    """The readable rows of a yearly index (zip, bare XML or bare TXT); see `parse_fd_index_report`."""
    return parse_fd_index_report(data).rows
