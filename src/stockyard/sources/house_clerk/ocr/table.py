"""A measured page (`PageScan`) → the rows of its transaction table, each field with a confidence.

Columns get their meaning from the header words above them where the engine read them, and from
their order where it did not (the official form prints Purchase/Sale/Exchange sideways): asset
name, then the owner column left of it, the type-of-transaction boxes, two date columns, then the
amount bands A, B, C… left to right. Marks in the box and band columns are measured as ink, never
read as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise

from stockyard.sources.house_clerk.ocr.engine import OcrWord
from stockyard.sources.house_clerk.ocr.scan import PageScan

__all__ = ["CellReading", "Role", "TableRow", "read_table"]


class Role(StrEnum):
    OWNER = "owner"
    ASSET = "asset"
    PURCHASE = "purchase"
    SALE = "sale"
    PARTIAL = "partial"
    EXCHANGE = "exchange"
    CAP_GAINS = "cap_gains"
    TX_DATE = "tx_date"
    NOTIFIED = "notified"
    BAND = "band"
    OTHER = "other"


_TYPE_ROLES = (Role.PURCHASE, Role.SALE, Role.PARTIAL, Role.EXCHANGE, Role.CAP_GAINS)
# The order of the type-of-transaction boxes when their (sideways) labels cannot be read, by how
# many boxes the form has: the 2012-2024 form, the 2025 form with "Partial Sale", and the broker
# sheet that adds "Capital Gains Exceed $200" and "Partial Transaction".
_TYPE_ORDER: dict[int, tuple[Role, ...]] = {
    1: (Role.PURCHASE,),
    2: (Role.PURCHASE, Role.SALE),
    3: (Role.PURCHASE, Role.SALE, Role.EXCHANGE),
    4: (Role.PURCHASE, Role.SALE, Role.PARTIAL, Role.EXCHANGE),
    5: (Role.PURCHASE, Role.SALE, Role.EXCHANGE, Role.CAP_GAINS, Role.PARTIAL),
}
_HEADER_ROLE = (
    (re.compile(r"^purch", re.I), Role.PURCHASE),
    (re.compile(r"^partial", re.I), Role.PARTIAL),
    (re.compile(r"^sale", re.I), Role.SALE),
    (re.compile(r"^exch", re.I), Role.EXCHANGE),
    (re.compile(r"^(capital|gains)", re.I), Role.CAP_GAINS),
)
_DATE_HEADER = re.compile(r"[MN]{2}.?[DO0]{2}|[DO0]{2}.?[YV]{2}|^\(?MM", re.I)
BAND_LETTERS = "ABCDEFGHIJK"
_MIN_COLUMN = 12  # pixels; anything narrower is the gap of a double rule
_MIN_ROW = 16


@dataclass(frozen=True, slots=True)
class CellReading:
    """The words of one cell, in reading order."""

    words: tuple[OcrWord, ...] = ()

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def conf(self) -> float:
        return min((w.conf for w in self.words), default=0.0)

    @property
    def mean_conf(self) -> float:
        if not self.words:
            return 0.0
        return sum(w.conf for w in self.words) / len(self.words)


@dataclass(slots=True)
class TableRow:
    """One row between two rules: its text cells by role and the ink of each box."""

    page: int
    top: int
    bottom: int
    cells: dict[Role, CellReading] = field(default_factory=dict)
    boxes: dict[Role, float] = field(default_factory=dict)  # type-of-transaction ink
    bands: list[tuple[str, float]] = field(default_factory=list)  # (letter, ink) left to right
    shaded: bool = False  # the mark columns are filled dark: an account-heading bar
    owner_ink: float = 0.0  # ink in the owner cell, to tell "blank" from "unreadable"
    boxes_at: dict[Role, tuple[int, int, int, int]] = field(default_factory=dict)  # text cells
    text_ink: dict[Role, float] = field(default_factory=dict)

    def text(self, role: Role) -> str:
        cell = self.cells.get(role)
        return cell.text if cell else ""

    @property
    def all_ink(self) -> list[float]:
        return list(self.boxes.values()) + [ink for _, ink in self.bands]


def _reading_order(words: list[OcrWord]) -> tuple[OcrWord, ...]:
    """Words of a cell by line, then left to right (a long asset name wraps onto a second line)."""
    lines: list[list[OcrWord]] = []
    for word in sorted(words, key=lambda w: w.cy):
        if lines and word.cy - lines[-1][-1].cy < 0.6 * max(8, word.bottom - word.top):
            lines[-1].append(word)
        else:
            lines.append([word])
    return tuple(w for line in lines for w in sorted(line, key=lambda w: w.left))


def _columns(scan: PageScan) -> list[tuple[int, int]]:
    edges = scan.edges
    return [(a, b) for a, b in pairwise(edges) if b - a >= _MIN_COLUMN]


def _words_in(words: list[OcrWord], left: int, right: int, top: int, bottom: int) -> list[OcrWord]:
    return [w for w in words if left <= w.cx < right and top <= w.cy < bottom]


def _roles(scan: PageScan, columns: list[tuple[int, int]]) -> list[Role]:
    top, bottom = scan.header_top, scan.rules[0]
    header = [
        " ".join(w.text for w in _words_in(scan.words, a, b, top, bottom)) for a, b in columns
    ]
    roles = [Role.OTHER] * len(columns)
    asset = next(
        (i for i, text in enumerate(header) if re.search(r"provid|ticker|symbol", text, re.I)),
        max(range(len(columns)), key=lambda i: columns[i][1] - columns[i][0]),
    )
    roles[asset] = Role.ASSET
    if asset > 0:
        roles[asset - 1] = Role.OWNER
    by_header = [i for i in range(asset + 1, len(columns)) if _DATE_HEADER.search(header[i])]
    # The two date columns sit side by side; a misread band header ("SSonn000") can look like
    # "MM/DD" too, so a header match that is not a side-by-side pair yields to the cells.
    dates = next(([i, i + 1] for i in by_header if i + 1 in by_header), [])
    if not dates:
        by_content = _date_columns_by_content(scan, columns, asset)
        dates = by_content if len(by_content) >= 2 else by_header
    if len(dates) < 2:
        return roles
    tx_date, notified = dates[0], dates[1]
    roles[tx_date], roles[notified] = Role.TX_DATE, Role.NOTIFIED
    boxes = list(range(asset + 1, tx_date))
    named = [
        next((role for pattern, role in _HEADER_ROLE if pattern.search(header[i])), None)
        for i in boxes
    ]
    if all(named) and len(set(named)) == len(named):
        for i, role in zip(boxes, named, strict=True):
            roles[i] = role  # type: ignore[assignment]
    else:
        for i, role in zip(boxes, _TYPE_ORDER.get(len(boxes), ()), strict=False):
            roles[i] = role
    for i in range(notified + 1, min(len(columns), notified + 1 + len(BAND_LETTERS))):
        roles[i] = Role.BAND
    return roles


_DATE_TEXT = re.compile(r"\d{1,2}\s*[/|l1I\-.]\s*\d{1,2}\s*[/|l1I\-.]\s*\d{2,4}")


def _date_columns_by_content(
    scan: PageScan, columns: list[tuple[int, int]], asset: int
) -> list[int]:
    """Columns right of the asset name in which at least two body cells read like dates."""
    top, bottom = scan.rules[0], scan.rules[-1]
    found = []
    for i in range(asset + 1, len(columns)):
        a, b = columns[i]
        hits = sum(
            bool(_DATE_TEXT.search(w.text)) for w in _words_in(scan.words, a, b, top, bottom)
        )
        if hits >= 1:
            found.append(i)
    return found[:2]


def read_table(scan: PageScan) -> list[TableRow]:
    """Every row of the page's table below its header, empty rows included (callers skip them)."""
    if scan.problem or len(scan.rules) < 2:
        return []
    columns = _columns(scan)
    if len(columns) < 4:
        return []
    roles = _roles(scan, columns)
    column_index = {left: i for i, (left, _) in enumerate(pairwise(scan.edges))}
    rows: list[TableRow] = []
    for row_index, (top, bottom) in enumerate(pairwise(scan.rules)):
        if bottom - top < _MIN_ROW:
            continue
        row = TableRow(page=scan.number, top=top, bottom=bottom)
        ink_row = scan.ink[row_index] if row_index < len(scan.ink) else []
        band_letter = iter(BAND_LETTERS)
        for (left, right), role in zip(columns, roles, strict=True):
            ink_at = column_index.get(left)
            ink = ink_row[ink_at] if ink_at is not None and ink_at < len(ink_row) else 0.0
            if role in _TYPE_ROLES:
                row.boxes[role] = ink
            elif role is Role.BAND:
                row.bands.append((next(band_letter), ink))
            elif role is not Role.OTHER:
                if role is Role.OWNER:
                    row.owner_ink = ink
                row.boxes_at[role] = (left, top, right, bottom)
                row.text_ink[role] = ink
                row.cells[role] = CellReading(
                    _reading_order(_words_in(scan.words, left, right, top, bottom))
                )
        row.shaded = row_index < len(scan.shade) and scan.shade[row_index] > 0.5
        rows.append(row)
    return rows
