"""Parse a Senate eFD "Periodic Transaction Report" page (``/search/view/ptr/<uuid>/``).

The page is server-rendered HTML: a title (``h1``), the filer (``h2.filedReport``), a "Filed
MM/DD/YYYY @ h:mm AM" line, a "(N transactions total)" summary and one table row per transaction:
``# | Transaction Date | Owner | Ticker | Asset Name | Asset Type | Type | Amount | Comment``.
A row we cannot read is kept in ``rejects`` (for quarantine) rather than dropped.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from stockyard.models import DocStatus, ParsedDocument, ParsedTransaction
from stockyard.sources.house_clerk.amounts import parse_amount_band
from stockyard.sources.senate_efd.asset_cell import clean_text, read_asset
from stockyard.sources.senate_efd.vocabulary import asset_type_code, owner_code, tx_type_code

PARSER_VERSION = "senate_efd.ptr_page/1"
SOURCE = "senate_efd"
COLUMNS = 9
PTR_TITLE = "Periodic Transaction Report"

_FILED = re.compile(r"Filed\s+(\d{1,2}/\d{1,2}/\d{4})\s*@")
_AMENDMENT = re.compile(r"\(Amendment\s+(\d+)\)")
_STATED_TOTAL = re.compile(r"\((\d+)\s+transactions?\s+total\)")
# "The Honorable Michael F Bennet (Bennet, Michael)": the courtesy title and the eFD's own
# "(Last, First)" or "(Former Senator)" suffix are not part of the display name.
_HONORIFIC = re.compile(r"^(?:The\s+Honorable|Mr\.|Mrs\.|Ms\.|Miss|Dr\.)\s+", re.IGNORECASE)
_TRAILING_PAREN = re.compile(r"\s*\([^()]*\)\s*$")
_EMPTY = "--"


def filer_display_name(heading: str) -> str:
    """``"The Honorable Roy Blunt (Blunt, Roy)"`` → ``"Roy Blunt"``."""
    return _HONORIFIC.sub("", _TRAILING_PAREN.sub("", clean_text(heading)))


def _mdy(text: str) -> date:
    return datetime.strptime(text.strip(), "%m/%d/%Y").date()


def _cell(node: LexborNode) -> str:
    return clean_text(node.text(deep=True))


def _optional(text: str) -> str | None:
    return None if text in ("", _EMPTY) else text


def parse_row(cells: list[LexborNode], row: int) -> ParsedTransaction:
    """One table row → a transaction. Raises ``ValueError`` with the reason if it is unreadable."""
    if len(cells) != COLUMNS:
        raise ValueError(f"expected {COLUMNS} cells, found {len(cells)}")
    tx_date_text, owner_text = _cell(cells[1]), _cell(cells[2])
    asset_type_text, type_text = _cell(cells[5]), _cell(cells[6])
    amount_text, comment_text = _cell(cells[7]), _cell(cells[8])
    asset = read_asset(cells[4], cells[3])
    try:
        tx_date = _mdy(tx_date_text)
    except ValueError:
        raise ValueError(f"unreadable transaction date {tx_date_text!r}") from None
    try:
        owner, tx_type = owner_code(owner_text), tx_type_code(type_text)
    except KeyError as exc:
        raise ValueError(str(exc.args[0])) from None
    amount_min, amount_max = parse_amount_band(amount_text)
    return ParsedTransaction(
        asset_name=asset.name,
        owner=owner,
        ticker=asset.ticker,
        asset_type=asset_type_code(asset_type_text),
        tx_type=tx_type,
        tx_date=tx_date,
        amount_min=amount_min,
        amount_max=amount_max,
        description=asset.description,
        comment=_optional(comment_text),
        page=1,
        row=row,
        amount_text=amount_text,
        asset_type_text=asset_type_text or None,
    )


def _error(doc: ParsedDocument, status: DocStatus, reason: str) -> ParsedDocument:
    doc.status = status
    doc.error = reason
    return doc


def parse_ptr_page(
    html: bytes | str, doc_id: str, *, source_url: str | None = None
) -> ParsedDocument:
    """Read one eFD PTR page. Never raises for bad content: the document says what went wrong."""
    doc = ParsedDocument(
        doc_id=doc_id,
        source=SOURCE,
        status=DocStatus.PARSED,
        parser_version=PARSER_VERSION,
        chamber="senate",
        source_url=source_url,
        page_count=1,
    )
    try:
        tree = LexborHTMLParser(html.decode("utf-8") if isinstance(html, bytes) else html)
    except UnicodeDecodeError as exc:
        return _error(doc, DocStatus.ERROR, f"page is not UTF-8 text: {exc}")
    title_node, filer_node = tree.css_first("h1"), tree.css_first("h2.filedReport")
    if title_node is None or filer_node is None:
        return _error(doc, DocStatus.ERROR, "not an eFD report page (no report title or filer)")
    doc.report_title = clean_text(title_node.text(deep=True))
    doc.filer_name = filer_display_name(filer_node.text(deep=True)) or None
    if not doc.report_title.startswith(PTR_TITLE):
        return _error(doc, DocStatus.NOT_PTR, f"eFD report is not a PTR: {doc.report_title!r}")
    if amendment := _AMENDMENT.search(doc.report_title):
        doc.amendment_number = int(amendment[1])
    page_text = clean_text(tree.body.text(deep=True)) if tree.body else ""
    if filed := _FILED.search(page_text):
        doc.filed_date = _mdy(filed[1])
    else:
        return _error(doc, DocStatus.ERROR, "no 'Filed MM/DD/YYYY @ …' line on the page")
    table = tree.css_first("table")
    stated = _STATED_TOTAL.search(page_text)
    if table is None or stated is None:
        return _error(doc, DocStatus.ERROR, "no transaction table or '(N transactions total)'")
    rows = table.css("tbody > tr")
    for index, tr in enumerate(rows):
        try:
            doc.transactions.append(parse_row(tr.css("td"), index))
        except ValueError as exc:
            doc.rejects.append((1, clean_text(tr.text(deep=True)), f"row {index}: {exc}"))
    if int(stated[1]) != len(rows):
        # The page itself is inconsistent (cut off?): keep what we read but do not trust it.
        return _error(
            doc,
            DocStatus.ERROR,
            f"page states {stated[1]} transactions but its table has {len(rows)}",
        )
    return doc
