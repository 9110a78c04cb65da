"""House Periodic Transaction Report PDF → `ParsedDocument` (bytes in, records out; no I/O).

Reads word positions (each page's words extracted once, see `pdf_words`), finds the transaction
table's columns from its header on every page, and walks the table's lines: a line carrying a
transaction date and a notification date starts a row; other lines continue the open row's cells
or its labelled blocks, across page breaks. Lines that belong to no row become `rejects`.

Statuses: ``parsed``; ``needs_ocr`` when no page has a text layer (scanned or handwritten paper
filings); ``not_ptr`` for annual Financial Disclosure reports and other documents; ``error`` for
bytes that are not a readable PDF, or a PTR in which no row could be read.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import date

import pdfplumber

from stockyard.models import DocStatus, ParsedDocument
from stockyard.models.disclosures import OWNERS
from stockyard.sources.house_clerk.ocr import (
    OcrEngineMissing,
    PageCache,
    filer_name,
    read_rows,
    scan_document,
    state_district,
)
from stockyard.sources.house_clerk.pdf_words import Word, page_has_image, page_words
from stockyard.sources.house_clerk.ptr_layout import (
    Column,
    Columns,
    Line,
    find_header,
    group_lines,
    label_at_start,
    skeleton_equals,
)
from stockyard.sources.house_clerk.ptr_rows import RowDraft, RowError, is_date, parse_date

__all__ = ["PARSER_VERSION", "SOURCE", "parse_ptr_pdf"]

SOURCE = "house_clerk"
# 3: OCR tables take their two date columns side by side (a misread band header no longer
# passes for one).
PARSER_VERSION = "house-ptr/3"

_PTR_TITLE = "Periodic Transaction Report"
_ANNUAL_TITLE = "Financial Disclosure Report"
# Section headings only annual/candidate reports have.
_NON_PTR_MARKERS = ("SCHEDULE A", "SCHEDULE B", "FILING TYPE:")
# A page with fewer words than this carries no real text layer (a scanner's stamp at most).
_MIN_TEXT_WORDS = 20


def _not_a_pdf(data: bytes) -> str | None:
    if not data:
        return "empty document: no bytes"
    if b"%PDF-" not in data[:1024]:
        return "not a PDF: no %PDF- header in the first 1024 bytes"
    if b"%%EOF" not in data[-2048:]:
        return "truncated PDF: no %%EOF marker at the end of the file; download it again"
    return None


def _title(lines: Sequence[Line]) -> str:
    """The heading above the "Clerk of the House…" line, without the "Filing ID #…" box."""
    words: list[Word] = []
    for line in lines:
        if line.words and line.words[0].text == "Clerk":
            break
        words.extend(w for w in line.words if w.text not in ("Filing", "ID", "Id"))
    # Pre-2022 small caps print each big initial a few points above the rest of its word, so the
    # heading spans two "lines"; left-to-right order puts it back together.
    return "".join(w.text for w in sorted(words, key=lambda w: w.x0) if w.text[:1] != "#")


def _title_is(lines: Sequence[Line], expected: str) -> bool:
    return skeleton_equals(_title(lines), expected.replace(" ", ""))


def _report_title(lines: Sequence[Line], status: DocStatus) -> str | None:
    if status is DocStatus.PARSED:
        return _PTR_TITLE
    if _title_is(lines, _ANNUAL_TITLE):
        return _ANNUAL_TITLE
    # Another document type: keep its heading as extracted (NULs dropped) for the quarantine.
    return _title(lines).replace("\x00", "") or None


def _classify(lines: Sequence[Line]) -> DocStatus | None:
    """PARSED for a PTR, NOT_PTR for anything else with text; None when the page has no text."""
    if _title_is(lines, _PTR_TITLE) or find_header(lines) is not None:
        return DocStatus.PARSED
    if _title_is(lines, _ANNUAL_TITLE):
        return DocStatus.NOT_PTR
    text = " ".join(line.text for line in lines).upper()
    if any(marker in text for marker in _NON_PTR_MARKERS):
        return DocStatus.NOT_PTR
    if sum(len(line.words) for line in lines) < _MIN_TEXT_WORDS:
        return None
    return DocStatus.NOT_PTR


def _read_filer(lines: Sequence[Line], doc: ParsedDocument) -> None:
    for line in lines:
        label = line.words[0].text.casefold()
        rest = [w.text for w in line.words[1:]]
        if label == "name:" and rest and doc.filer_name is None:
            doc.filer_name = " ".join(rest)
        elif label == "state/district:" and rest and doc.state_district is None:
            doc.state_district = "".join(rest).upper()


def _read_signature(line: Line, doc: ParsedDocument) -> None:
    """ "Digitally Signed: Hon. Nancy Pelosi , 02/23/2024" → filed_date."""
    words = line.words
    if (
        len(words) >= 3
        and words[0].text.casefold() == "digitally"
        and words[1].text.casefold() == "signed:"
    ) and is_date(words[-1].text):
        try:
            doc.filed_date = parse_date(words[-1].text)
        except RowError as exc:
            doc.rejects.append((0, line.text, f"signature date: {exc}"))


class _TableReader:
    """Walks the table lines of successive pages, keeping the open row across page breaks."""

    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc
        self.draft: RowDraft | None = None

    def close_row(self) -> None:
        draft, self.draft = self.draft, None
        if draft is None:
            return
        try:
            self.doc.transactions.append(draft.to_transaction(len(self.doc.transactions)))
        except RowError as exc:
            self.doc.rejects.append((draft.page, draft.raw_text, str(exc)))

    def read_page(self, number: int, lines: Sequence[Line]) -> None:
        found = find_header(lines)
        if found is None:
            self.close_row()
            start, in_table = 0, False
        else:
            columns, start = found
            in_table = True
        for line in lines[start:]:
            if in_table:
                in_table = self._table_line(number, columns, line)
            if not in_table:
                _read_signature(line, self.doc)

    def _table_line(self, number: int, columns: Columns, line: Line) -> bool:
        """Take one line of the table; False once the line shows the table has ended."""
        placed = [(w, columns.column_of(w)) for w in line.words]
        # The Cap. Gains column only holds checkbox glyphs (block text may still run into it).
        cells = [(w, c) for w, c in placed if c is not Column.CAP_GAINS]
        if not cells:
            return True
        first, first_column = placed[0]
        starts_row = any(c is Column.DATE and is_date(w.text) for w, c in placed) and any(
            c is Column.NOTIFIED and is_date(w.text) for w, c in placed
        )
        if starts_row:
            self.close_row()
            self.draft = RowDraft(page=number)
            for word, column in cells:
                self.draft.add_cell_word(column, word.text)
        elif first_column is Column.ID or (
            first_column is Column.OWNER and first.text not in OWNERS
        ):
            # Text from the left margin: the asset-code footnote or the next section.
            self.close_row()
            return False
        elif (label := label_at_start([w for w, _ in placed])) and columns.starts_in_asset_column(
            first
        ):
            kind, size = label
            if self.draft is None:
                self.doc.rejects.append((number, line.text, f"{kind} block outside any row"))
                return True
            self.draft.open(kind, [w.text for w, _ in placed[size:]])
        elif self.draft is None:
            self.doc.rejects.append((number, line.text, "table line outside any row"))
            return True
        elif self.draft.open_block is not None:
            self.draft.extend_block([w.text for w, _ in placed])
        else:
            for word, column in cells:
                self.draft.add_cell_word(column, word.text)
        self.draft.raw_lines.append(line.text)
        return True


def _read(pages: Sequence[pdfplumber.page.Page], doc: ParsedDocument) -> None:
    reader = _TableReader(doc)
    status: DocStatus | None = None
    scanned_pages = 0
    for number, page in enumerate(pages, start=1):
        lines = group_lines(page_words(page))
        if status is None:
            status = _classify(lines)
            if status is None:
                scanned_pages += page_has_image(page)
                continue
            doc.report_title = _report_title(lines, status)
            _read_filer(lines, doc)
            if status is DocStatus.NOT_PTR:
                doc.status = status
                return
        reader.read_page(number, lines)
    reader.close_row()
    if status is None and scanned_pages:
        doc.status = DocStatus.NEEDS_OCR
        doc.error = f"no text layer; {scanned_pages} of {len(pages)} pages are images (a scan)"
    elif status is None:
        doc.status = DocStatus.ERROR
        doc.error = "no text and no images on any page: the PDF is blank or damaged"
    elif not doc.transactions:
        doc.status = DocStatus.ERROR
        doc.error = f"PTR with no readable transaction rows ({len(doc.rejects)} rejected lines)"
    else:
        doc.status = DocStatus.PARSED


def _read_scan(
    data: bytes,
    doc: ParsedDocument,
    cache: PageCache | None,
    on_page: Callable[[int, int], None] | None,
) -> None:
    """Read an image-only PTR by OCR; `needs_ocr` stays only when the engine could read nothing."""
    try:
        scans = scan_document(data, cache=cache, on_page=on_page)
    except OcrEngineMissing as exc:
        doc.error = f"{doc.error}; {exc}"
        return
    rows = read_rows(scans, not_after=date.today())
    doc.scan_pages = [scan.summary() for scan in scans]
    doc.transactions = rows.transactions
    doc.rejects.extend(rows.rejects)
    doc.filer_name = doc.filer_name or filer_name(scans)
    doc.state_district = doc.state_district or state_district(scans)
    if doc.transactions:
        doc.status, doc.error = DocStatus.PARSED, None
        doc.report_title = _PTR_TITLE
        return
    problems = sorted({f"page {s.number}: {s.problem}" for s in scans if s.problem})
    doc.error = "OCR found no transaction rows on the scanned pages" + (
        f" ({'; '.join(problems)})" if problems else f" ({len(rows.rejects)} rejected rows)"
    )


def parse_ptr_pdf(
    data: bytes,
    doc_id: str,
    *,
    ocr: bool = True,
    page_cache: PageCache | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> ParsedDocument:
    """Parse one House PTR PDF. Never raises: unreadable input gives status ``error``.

    Image-only (scanned) PDFs are read by OCR unless ``ocr`` is False; ``page_cache`` keeps each
    page's reading so parsing the same PDF again costs nothing; ``on_page(done, total)`` reports
    OCR progress.
    """
    doc = ParsedDocument(
        doc_id=doc_id,
        source=SOURCE,
        status=DocStatus.ERROR,
        parser_version=PARSER_VERSION,
        chamber="house",
    )
    if problem := _not_a_pdf(data):
        doc.error = problem
        return doc
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            doc.page_count = len(pdf.pages)
            _read(pdf.pages, doc)
        if doc.status is DocStatus.NEEDS_OCR and ocr:
            _read_scan(data, doc, page_cache, on_page)
    # pdfminer signals damaged input with many unrelated types (PDFSyntaxError, PSEOF, KeyError,
    # zlib.error, struct.error…); every one of them means "this file cannot be read".
    except Exception as exc:
        doc.status = DocStatus.ERROR
        doc.error = f"unreadable PDF: {type(exc).__name__}: {exc}"
        doc.transactions.clear()
    return doc
