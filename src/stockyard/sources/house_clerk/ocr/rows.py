"""Table rows of every scanned page → `ParsedTransaction`s with confidence and a review list.

Rows that are not transactions are recognised and left out: the form's printed example, empty
grid rows, "Please see the attached" pointers, and account headings (shaded bars on broker sheets),
whose text becomes ``subholding_of`` of the rows under them. A row with marks but no asset and no
dates is kept as a reject with its reason, so it reaches quarantine instead of vanishing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from stockyard.models import ParsedTransaction
from stockyard.models.disclosures import HOUSE_BAND_LETTERS
from stockyard.sources.house_clerk.ocr import fields as f
from stockyard.sources.house_clerk.ocr.engine import OcrWord
from stockyard.sources.house_clerk.ocr.scan import PageScan
from stockyard.sources.house_clerk.ocr.table import Role, TableRow, read_table

__all__ = ["BAND_AMOUNTS", "REVIEW_BELOW", "OcrRows", "read_rows"]

# A field read with less confidence than this is listed in the row's `needs_review`.
REVIEW_BELOW = 0.8
BAND_AMOUNTS = HOUSE_BAND_LETTERS
_EXAMPLE = re.compile(r"example|mega\s*corp", re.IGNORECASE)
_POINTER = re.compile(r"see\s+(the\s+)?attach|attached|see\s+schedule", re.IGNORECASE)
# A header row printed again on a continuation sheet ("MM/DD/YY", "Provide full name…").
_HEADER_AGAIN = re.compile(r"\bMM\s*/\s*DD|\bDD\s*/\s*YY|provide\s+full", re.IGNORECASE)
_PRIMARY = (Role.PURCHASE, Role.SALE, Role.EXCHANGE)
_TX_CODE = {Role.PURCHASE: "P", Role.SALE: "S", Role.EXCHANGE: "E"}


@dataclass(slots=True)
class OcrRows:
    transactions: list[ParsedTransaction] = field(default_factory=list)
    rejects: list[tuple[int, str, str]] = field(default_factory=list)


def _row_text(row: TableRow) -> str:
    return " ".join(
        row.text(role)
        for role in (Role.OWNER, Role.ASSET, Role.TX_DATE, Role.NOTIFIED)
        if row.text(role)
    )


def _tx_type(row: TableRow, baseline: float) -> f.Field:
    primary = [role for role in _PRIMARY if role in row.boxes]
    marks = f.read_marks([row.boxes[role] for role in primary], baseline)
    code = _TX_CODE[primary[marks.index]] if marks.index is not None else None
    partial = row.boxes.get(Role.PARTIAL)
    if partial is not None and partial - baseline >= f.MARK_MIN and code in (None, "S"):
        # "Partial Sale" (2025 form) alone, or "Partial Transaction" beside Sale (broker sheets).
        return f.Field("S (partial)", marks.conf if code else 0.85)
    return f.Field(code, marks.conf)


def _amount(row: TableRow, baseline: float) -> f.Field:
    marks = f.read_marks([ink for _, ink in row.bands], baseline)
    letter = row.bands[marks.index][0] if marks.index is not None else None
    return f.Field(letter, marks.conf)


def _is_mark(row: TableRow, baseline: float) -> bool:
    return any(ink - baseline >= f.MARK_MIN for ink in row.all_ink)


def _transaction(
    row: TableRow, fields: dict[str, f.Field], heading: f.Field | None, index: int
) -> ParsedTransaction:
    band = fields["amount"].value
    low, high = BAND_AMOUNTS[band] if isinstance(band, str) else (None, None)
    confs = {name: value.conf for name, value in fields.items()}
    if heading is not None:
        confs["subholding_of"] = heading.conf
    tx_date, notified = fields["tx_date"].value, fields["notified_date"].value
    if isinstance(tx_date, date) and isinstance(notified, date):
        repaired = f.trade_year_repaired(tx_date, notified)
        if repaired is not None:
            tx_date = repaired
            confs["tx_date"] = min(confs["tx_date"], f.REPAIRED_DATE)
    if isinstance(tx_date, date) and isinstance(notified, date) and tx_date > notified:
        confs["tx_date"] = confs["notified_date"] = min(confs["tx_date"], 0.5)
    return ParsedTransaction(
        asset_name=str(fields["asset_name"].value or ""),
        owner=fields["owner"].value,  # type: ignore[arg-type]
        tx_type=fields["tx_type"].value,  # type: ignore[arg-type]
        tx_date=tx_date if isinstance(tx_date, date) else None,
        notified_date=notified if isinstance(notified, date) else None,
        amount_min=low,
        amount_max=high,
        subholding_of=str(heading.value) if heading is not None else None,
        page=row.page,
        row=index,
        amount_text=f"band {band}" if band else None,
        text_source="ocr",
        confidence=round(min(confs.values()), 2),
        needs_review=tuple(name for name, conf in confs.items() if conf < REVIEW_BELOW),
    )


def _looks_like_transaction(row: TableRow) -> bool:
    return bool(row.text(Role.TX_DATE) or row.text(Role.NOTIFIED))


def _plain_heading(row: TableRow, below: Sequence[TableRow]) -> bool:
    """An account heading printed without a shaded bar: a name alone in the row (no owner, dates
    or marks) directly above a transaction row."""
    if not row.text(Role.ASSET) or row.text(Role.OWNER) or _looks_like_transaction(row):
        return False
    baseline = f.row_baseline(row.all_ink)
    if _is_mark(row, baseline) or _POINTER.search(row.text(Role.ASSET)):
        return False
    following = next((r for r in below if _row_text(r) or r.shaded), None)
    return following is not None and not following.shaded and _looks_like_transaction(following)


def _last_line(words: list[OcrWord]) -> list[OcrWord]:
    """The bottom line of a heading bar, left to right: where a bar prints an account and, under
    it, a sub-account, the rows below belong to the sub-account."""
    if not words:
        return []
    lowest = max(words, key=lambda w: w.cy)
    height = max(8, lowest.bottom - lowest.top)
    return sorted((w for w in words if lowest.cy - w.cy < 0.6 * height), key=lambda w: w.left)


def read_rows(scans: Sequence[PageScan], *, not_after: date) -> OcrRows:
    """Every transaction row of the scanned pages, in page order."""
    out = OcrRows()
    heading: f.Field | None = None
    for scan in scans:
        table = read_table(scan)
        page_rows: list[tuple[TableRow, dict[str, f.Field], f.Field | None]] = []
        for position, row in enumerate(table):
            text = _row_text(row)
            baseline = f.row_baseline(row.all_ink)
            if row.shaded or _plain_heading(row, table[position + 1 :]):
                words = _last_line(
                    [
                        w
                        for role in (Role.OWNER, Role.ASSET)
                        if role in row.cells
                        for w in row.cells[role].words
                    ]
                )
                if words:
                    conf = min(w.conf for w in words)
                    title, repaired = f.clean_text(" ".join(w.text for w in words))
                    heading = f.Field(title, conf * (0.9 if repaired else 1.0))
                continue
            if not text and not _is_mark(row, baseline):
                continue
            if _EXAMPLE.search(row.text(Role.ASSET)) or _HEADER_AGAIN.search(
                row.text(Role.TX_DATE) + " " + row.text(Role.ASSET)
            ):
                continue
            has_dates = bool(row.text(Role.TX_DATE) or row.text(Role.NOTIFIED))
            if _POINTER.search(row.text(Role.ASSET)) and not has_dates:
                continue
            asset = f.read_asset(row.cells.get(Role.ASSET))
            if not row.text(Role.ASSET) and not has_dates:
                out.rejects.append(
                    (
                        row.page,
                        text or "(marks only)",
                        "marks in a row with no asset name and no dates",
                    )
                )
                continue
            page_rows.append(
                (
                    row,
                    {
                        "owner": f.read_owner(row.cells.get(Role.OWNER), row.owner_ink),
                        "asset_name": asset,
                        "tx_type": _tx_type(row, baseline),
                        "tx_date": f.read_date(row.cells.get(Role.TX_DATE), not_after=not_after),
                        "notified_date": f.read_date(
                            row.cells.get(Role.NOTIFIED), not_after=not_after
                        ),
                        "amount": _amount(row, baseline),
                    },
                    heading,
                )
            )
        notified = f.agree_with_column([fields["notified_date"] for _, fields, _ in page_rows])
        for (row, fields, above), agreed in zip(page_rows, notified, strict=True):
            fields["notified_date"] = agreed
            out.transactions.append(_transaction(row, fields, above, len(out.transactions)))
    return out
