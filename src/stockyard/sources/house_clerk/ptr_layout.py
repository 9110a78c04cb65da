"""Page geometry of a House PTR: lines of words, the table's column edges, block labels, titles.

Since 2016 the Clerk renders every electronic PTR from one HTML template, so the table header
("ID Owner Asset Transaction Type Date Notification Date Amount Cap. Gains > $200?") gives the
left edge of each column on every page, and every cell's words start at or right of that edge.
The template drifts (the Cap. Gains column appears in 2019, columns move a few points, 2022+
small-caps headings extract as a capital plus NUL bytes), so nothing here hard-codes an x.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from stockyard.sources.house_clerk.pdf_words import Word

__all__ = [
    "Column",
    "Columns",
    "Label",
    "Line",
    "find_header",
    "group_lines",
    "label_at_start",
    "skeleton_equals",
]

# Words on one printed line differ in `top` by a point or two (checkbox glyphs sit 1 pt lower).
_LINE_TOLERANCE = 3.0
# A cell's words start at the header word's x; allow for sub-point drift between header and body.
_EDGE_SLACK = 4.0


@dataclass(frozen=True, slots=True)
class Line:
    top: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def group_lines(words: Sequence[Word]) -> list[Line]:
    """Group words (already in reading order) into printed lines, each sorted left to right."""
    lines: list[Line] = []
    current: list[Word] = []
    current_top = 0.0
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if current and word.top - current_top > _LINE_TOLERANCE:
            lines.append(Line(current_top, tuple(sorted(current, key=lambda w: w.x0))))
            current = []
        if not current:
            current_top = word.top
        current.append(word)
    if current:
        lines.append(Line(current_top, tuple(sorted(current, key=lambda w: w.x0))))
    return lines


class Column(StrEnum):
    ID = "id"
    OWNER = "owner"
    ASSET = "asset"
    TX_TYPE = "tx_type"
    DATE = "date"
    NOTIFIED = "notified"
    AMOUNT = "amount"
    CAP_GAINS = "cap_gains"


@dataclass(frozen=True, slots=True)
class Columns:
    """Left edges of the transaction table's columns on one page."""

    owner: float
    asset: float
    tx_type: float
    date: float
    notified: float
    amount: float
    cap_gains: float | None

    def column_of(self, word: Word) -> Column:
        x = word.x0 + _EDGE_SLACK
        if x < self.owner:
            return Column.ID
        if x < self.asset:
            return Column.OWNER
        if x < self.tx_type:
            return Column.ASSET
        if x < self.date:
            return Column.TX_TYPE
        if x < self.notified:
            return Column.DATE
        if x < self.amount:
            return Column.NOTIFIED
        if self.cap_gains is None or x < self.cap_gains:
            return Column.AMOUNT
        return Column.CAP_GAINS

    def starts_in_asset_column(self, word: Word) -> bool:
        return abs(word.x0 - self.asset) <= _EDGE_SLACK


# Lines under the header's first line that only continue the header ("Type", "Date", "Gains >").
_HEADER_CONTINUATION = frozenset({"type", "date", "gains", ">", "$200?", "$1,000?"})


def find_header(lines: Sequence[Line]) -> tuple[Columns, int] | None:
    """The table columns and the index of the first body line, or None if the page has no table."""
    for index, line in enumerate(lines):
        by_name: dict[str, float] = {}
        for word in line.words:
            by_name.setdefault(word.text.casefold(), word.x0)
        needed = ("owner", "asset", "transaction", "date", "notification", "amount")
        if not all(name in by_name for name in needed):
            continue
        columns = Columns(
            owner=by_name["owner"],
            asset=by_name["asset"],
            tx_type=by_name["transaction"],
            date=by_name["date"],
            notified=by_name["notification"],
            amount=by_name["amount"],
            cap_gains=by_name.get("cap."),
        )
        body = index + 1
        while body < len(lines) and all(
            w.text.casefold() in _HEADER_CONTINUATION for w in lines[body].words
        ):
            body += 1
        return columns, body
    return None


class Label(StrEnum):
    FILING_STATUS = "filing_status"
    SUBHOLDING_OF = "subholding_of"
    DESCRIPTION = "description"
    COMMENT = "comment"
    LOCATION = "location"


# Older PDFs spell labels out ("Filing Status:"); 2022+ small caps extract as initials + NULs
# ("F\0\0\0\0\0 S\0\0\0\0\0:"), which read "F S:" once the NULs are dropped.
_LABELS: dict[tuple[str, ...], Label] = {
    ("FILING", "STATUS:"): Label.FILING_STATUS,
    ("F", "S:"): Label.FILING_STATUS,
    ("SUBHOLDING", "OF:"): Label.SUBHOLDING_OF,
    ("S", "O:"): Label.SUBHOLDING_OF,
    ("DESCRIPTION:",): Label.DESCRIPTION,
    ("D:",): Label.DESCRIPTION,
    ("COMMENTS:",): Label.COMMENT,
    ("COMMENT:",): Label.COMMENT,
    ("C:",): Label.COMMENT,
    ("LOCATION:",): Label.LOCATION,
    ("L:",): Label.LOCATION,
}


def label_at_start(words: Sequence[Word]) -> tuple[Label, int] | None:
    """The block label a line starts with and how many words it spans, if any."""
    for size in (2, 1):
        key = tuple(w.text.replace("\x00", "").upper() for w in words[:size])
        if len(key) == size and key in _LABELS:
            return _LABELS[key], size
    return None


def skeleton_equals(text: str, expected: str) -> bool:
    """Case-insensitive equality where a NUL in `text` stands for any one letter.

    2022+ headings print in small caps that extract as the capital followed by one NUL per
    lower-case letter ("P\\0\\0\\0\\0\\0\\0\\0" for "Periodic"), so only the length and the
    capitals survive.
    """
    if len(text) != len(expected):
        return False
    return all(t == "\x00" or t == e for t, e in zip(text.upper(), expected.upper(), strict=True))
