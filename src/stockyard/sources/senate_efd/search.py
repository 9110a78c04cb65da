"""Parse the eFD report search: the DataTables JSON of ``POST /search/report/data/``.

Each row is ``[first, last, office, "<a href=\"/search/view/ptr/<uuid>/\" …>Title</a>", "MM/DD/YYYY"]``.
Electronic reports live under ``/search/view/ptr/``; scanned paper filings under
``/search/view/paper/`` (those need OCR and carry no transaction table).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from stockyard.models import QuarantineRecord
from stockyard.sources.senate_efd.asset_cell import clean_text

DATASET = "search"
_REPORT_PATH = re.compile(r"^/search/view/(ptr|paper)/([^/]+)/$")


@dataclass(frozen=True, slots=True)
class ReportRef:
    report_id: str
    first_name: str
    last_name: str
    office: str
    title: str
    filed_date: date
    path: str  # "/search/view/ptr/<uuid>/", relative to the eFD base URL
    is_paper: bool


@dataclass(slots=True)
class SearchPage:
    total: int  # reports matching the query on the server, across all pages
    rows: list[ReportRef]
    rejects: list[QuarantineRecord] = field(default_factory=list)


class SearchFormatError(ValueError):
    """The search answer is not the DataTables JSON we expect (truncated, an error page…)."""


def parse_report_row(cells: list[Any]) -> ReportRef:
    """One DataTables row → a report reference. Raises ``ValueError`` with the reason."""
    if len(cells) != 5 or not all(isinstance(c, str) for c in cells):
        raise ValueError(f"expected 5 text cells, found {cells!r}")
    first, last, office, link_html, filed_text = cells
    anchor = LexborHTMLParser(link_html).css_first("a")
    href = anchor.attributes.get("href") if anchor is not None else None
    match = _REPORT_PATH.match(href or "")
    if anchor is None or match is None:
        raise ValueError(f"no report link in {link_html!r}")
    try:
        filed = datetime.strptime(filed_text.strip(), "%m/%d/%Y").date()
    except ValueError:
        raise ValueError(f"unreadable filed date {filed_text!r}") from None
    return ReportRef(
        report_id=match[2],
        first_name=clean_text(first),
        last_name=clean_text(last),
        office=clean_text(office),
        title=clean_text(anchor.text(deep=True)),
        filed_date=filed,
        path=match[0],
        is_paper=match[1] == "paper",
    )


def parse_search_page(data: bytes) -> SearchPage:
    """Read one search answer; rows we cannot read are returned as rejects."""
    try:
        body = json.loads(data)
    except ValueError as exc:
        raise SearchFormatError(
            f"senate_efd search: answer is not valid JSON (truncated or an HTML error page?): {exc}"
        ) from None
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise SearchFormatError("senate_efd search: answer has no 'data' list")
    if body.get("result", "ok") != "ok":
        raise SearchFormatError(f"senate_efd search: server said result={body.get('result')!r}")
    total = body.get("recordsFiltered", body.get("recordsTotal"))
    if not isinstance(total, int):
        raise SearchFormatError("senate_efd search: answer has no integer recordsFiltered")
    page = SearchPage(total=total, rows=[])
    for index, cells in enumerate(body["data"]):
        try:
            page.rows.append(parse_report_row(cells))
        except ValueError as exc:
            page.rejects.append(
                QuarantineRecord(
                    source="senate_efd",
                    dataset=DATASET,
                    reason=str(exc),
                    record_ref=f"row {index}",
                    payload=json.dumps(cells),
                )
            )
    return page


def parse_csrf_token(html: bytes | str) -> str | None:
    """The Django ``csrfmiddlewaretoken`` hidden input on an eFD form page, if there is one."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    node = LexborHTMLParser(text).css_first('input[name="csrfmiddlewaretoken"]')
    value = node.attributes.get("value") if node is not None else None
    return value or None
