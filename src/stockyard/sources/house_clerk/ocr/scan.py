"""One scanned page → `PageScan`: upright, straightened, its grid measured and its words read.

A `PageScan` is everything the expensive steps produce (render, orientation, OCR) and nothing the
table logic decides, so it is what the page cache stores: re-reading a cached page re-runs only the
cheap table assembly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np

from stockyard.sources.house_clerk.ocr import grid, orient
from stockyard.sources.house_clerk.ocr.engine import OcrWord, read_words

__all__ = ["PageScan", "scan_page"]

# Words only a House PTR table header prints; one of them read well means the page is upright.
_FORM_WORDS = re.compile(
    r"^(provide|asset|ticker|symbol|purchase|exchange|transaction|notified|periodic|amount)",
    re.IGNORECASE,
)
# A page with less ink than this (after its ruled lines are removed) has nothing written on it.
_BLANK_INK = 0.0005
# Two rules further apart than this (pixels) are not rows of one table.
_MAX_ROW_HEIGHT = 420
# A rule a faded scan broke up still covers this share of the page width in line-length pieces.
_FAINT_COVER = 0.1
_NO_END = 1 << 30


@dataclass(slots=True)
class PageScan:
    number: int
    width: int = 0
    height: int = 0
    rotation: int = 0  # degrees counter-clockwise applied to make the page upright
    skew: float = 0.0  # degrees the page was straightened by
    words: list[OcrWord] = field(default_factory=list)
    header_top: int = 0  # y of the table header's top rule
    rules: list[int] = field(default_factory=list)  # y of the table's rules, header rule first
    edges: list[int] = field(default_factory=list)  # x of the table body's column lines
    ink: list[list[float]] = field(default_factory=list)  # [row between rules][column]
    shade: list[float] = field(default_factory=list)  # [row] dark share of the right half
    problem: str | None = None  # why nothing could be read here

    def summary(self) -> dict[str, Any]:
        """How the page was read, for the document record and its lineage."""
        return {
            "page": self.number,
            "rotation": self.rotation,
            "skew": round(self.skew, 2),
            "words": len(self.words),
            "problem": self.problem,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "width": self.width,
            "height": self.height,
            "rotation": self.rotation,
            "skew": round(self.skew, 3),
            "words": [w.to_json() for w in self.words],
            "header_top": self.header_top,
            "rules": self.rules,
            "edges": self.edges,
            "ink": [[round(v, 4) for v in row] for row in self.ink],
            "shade": [round(v, 4) for v in self.shade],
            "problem": self.problem,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PageScan:
        return cls(
            number=int(data["number"]),
            width=int(data["width"]),
            height=int(data["height"]),
            rotation=int(data["rotation"]),
            skew=float(data["skew"]),
            words=[OcrWord.from_json(w) for w in data["words"]],
            header_top=int(data["header_top"]),
            rules=[int(y) for y in data["rules"]],
            edges=[int(x) for x in data["edges"]],
            ink=[[float(v) for v in row] for row in data["ink"]],
            shade=[float(v) for v in data["shade"]],
            problem=data.get("problem"),
        )


def _form_score(words: list[OcrWord]) -> float:
    """How much a reading looks like an upright House form: confident words, header words most."""
    good = [w for w in words if w.conf >= 0.7 and sum(c.isalpha() for c in w.text) >= 3]
    return len(good) + 20 * sum(1 for w in good if _FORM_WORDS.match(w.text))


def _anchor(words: list[OcrWord]) -> OcrWord | None:
    """The header cell "Provide full name, not ticker symbol." both layouts print.

    The cover box also says "please provide the date…", so a "Provide" counts most when "full"
    or "name" follows it on its line.
    """

    def followed(word: OcrWord) -> bool:
        return any(
            re.match(r"^(full|name)", other.text, re.IGNORECASE)
            and 0 <= other.left - word.right < 4 * (word.bottom - word.top)
            and abs(other.cy - word.cy) < (word.bottom - word.top)
            for other in words
        )

    for pattern in (r"^provid", r"^ticker", r"^symbol"):
        hits = [w for w in words if re.match(pattern, w.text, re.IGNORECASE)]
        if hits:
            return max(hits, key=lambda w: (followed(w), w.conf))
    return None


class _Prepared:
    """A page image with its binarisation and line masks, at one orientation."""

    def __init__(self, gray: np.ndarray) -> None:
        self.gray = gray
        self.bw = grid.binarize(gray)
        self.horizontal, self.vertical = grid.line_masks(self.bw)
        self.lines = self.horizontal | self.vertical
        self.text = self.bw & ~self.lines

    def turned(self, degrees: int) -> _Prepared:
        return _Prepared(orient.rotate(self.gray, degrees))


def _row_spans_columns(page: _Prepared, edges: list[int], top: int, bottom: int) -> bool:
    """Whether the band between two rules is still a row of this table (its column lines go on,
    or it is a shaded heading bar), not the "Filer notes" box or free text below it."""
    if bottom - top < 4:
        return True
    if _shaded(page, edges, top, bottom):
        return True
    present = sum(
        bool(grid.vertical_edges(page.vertical[:, max(0, x - 4) : x + 5], top, bottom, 0.4))
        for x in edges
    )
    return present >= 0.5 * len(edges)


def _shaded(page: _Prepared, edges: list[int], top: int, bottom: int) -> bool:
    """The mark columns of the band are filled dark: an account-heading bar."""
    return grid.cell_ink(page.bw, edges[len(edges) // 2], top, edges[-1], bottom) > 0.5


def _split_tall_rows(rules: list[int]) -> list[int]:
    """Rows of a printed sheet share one pitch; where a faded rule was missed, two or more rows
    sit between the rules found, so the gap is cut evenly at the pitch."""
    gaps = [b - a for a, b in pairwise(rules)]
    if len(gaps) < 4:
        return rules
    pitch = sorted(gaps)[len(gaps) // 2]
    out = [rules[0]]
    for top, bottom in pairwise(rules):
        parts = round((bottom - top) / pitch)
        if bottom - top > 1.6 * pitch and parts > 1:
            out.extend(top + (bottom - top) * k // parts for k in range(1, parts))
        out.append(bottom)
    return out


def _pitch(rules: list[int]) -> int:
    gaps = sorted(b - a for a, b in pairwise(rules) if b - a < _MAX_ROW_HEIGHT)
    return gaps[len(gaps) // 2] if gaps else 0


def _with_faint_rules(strong: list[int], faint: list[int]) -> list[int]:
    """The table's rules with those a faded scan left too broken to count as full rules.

    A faint rule is taken only where it keeps the rows' pitch: inside a gap between full rules
    taller than one row, or after the last full rule while the rows go on at that pitch (a table
    whose lower rules all faded; one more rule lost in between is cut at the pitch later). Pen
    strokes and underlines inside a row are not at the pitch.
    """
    pitch = _pitch(strong)
    if len(strong) < 3 or pitch == 0:
        return strong
    out = [strong[0]]
    for top, bottom in pairwise([*strong, _NO_END]):
        if bottom - top > 1.6 * pitch:
            for y in faint:
                keeps_pitch = 0.6 * pitch <= y - out[-1] <= 2.6 * pitch
                if top < y < bottom and keeps_pitch and bottom - y >= 0.6 * pitch:
                    out.append(y)
        if bottom <= strong[-1]:
            out.append(bottom)
    return out


def _measure_table(page: _Prepared, scan: PageScan) -> None:
    anchor = _anchor(scan.words)
    if anchor is None:
        scan.problem = "no transaction table found (no 'Provide full name' header was read)"
        return
    rules = grid.horizontal_rules(page.horizontal)
    below = [y for y in rules if y > anchor.bottom - 2]
    if below:
        below = _with_faint_rules(below, grid.horizontal_rules(page.horizontal, _FAINT_COVER))
    if not below:
        scan.problem = "no ruled lines below the table header"
        return
    header = [y for y in rules if y < anchor.top]
    header_top = header[-1] if header else max(0, anchor.top - 60)
    for y in reversed(header[:-1]):
        if header_top - y > _MAX_ROW_HEIGHT:
            break
        header_top = y
    first_rows = below[min(6, len(below) - 1)]
    edges = (
        grid.vertical_edges(page.vertical, below[0], first_rows) if first_rows > below[0] else []
    )
    if len(edges) < 4:
        # A table with a single row, or rows too short to show their column lines: use the header.
        above = header[-1] if header else header_top
        edges = grid.vertical_edges(page.vertical, above, below[0])
    edges = grid.merge_close(edges)
    if len(edges) < 4:
        scan.problem = "no column lines found in the transaction table"
        return
    table = [below[0]]
    # An account heading on a shaded bar directly under the header row: the header's bottom rule
    # runs through the foot of the header words, so the bar's top edge is not "below" them.
    touching = [y for y in rules if anchor.cy < y < below[0]]
    if touching and _shaded(page, edges, touching[-1], below[0]):
        table.insert(0, touching[-1])
    for index, y in enumerate(below[1:], start=1):
        if y - table[-1] > _MAX_ROW_HEIGHT:
            break
        if not _row_spans_columns(page, edges, table[-1], y):
            # One row whose column lines faded more than its neighbours' does not end the table.
            after = below[index + 1] if index + 1 < len(below) else None
            if after is None or after - y > _MAX_ROW_HEIGHT:
                break
            if not _row_spans_columns(page, edges, y, after):
                break
        table.append(y)
    table = _split_tall_rows(table)
    scan.header_top, scan.rules, scan.edges = header_top, table, edges
    scan.ink = [
        [grid.cell_ink(page.text, left, top, right, bottom) for left, right in pairwise(edges)]
        for top, bottom in pairwise(table)
    ]
    # Shading is part of the line mask, so it is measured on the page before lines are removed.
    middle = edges[len(edges) // 2]
    scan.shade = [
        grid.cell_ink(page.bw, middle, top, edges[-1], bottom) for top, bottom in pairwise(table)
    ]


def scan_page(
    gray: np.ndarray,
    number: int,
    *,
    second_look: Callable[[PageScan, np.ndarray], None] | None = None,
) -> PageScan:
    """Orient, straighten, read and measure one rendered page (grayscale uint8).

    ``second_look(scan, clean_page)`` may re-read weak cells on the upright page, lines removed.
    """
    scan = PageScan(number=number)
    page = _Prepared(gray)
    if np.count_nonzero(page.text) < _BLANK_INK * page.text.size:
        scan.height, scan.width = gray.shape
        scan.problem = "blank page: no writing on it"
        return scan
    if orient.text_is_vertical(page.text):
        page, scan.rotation = page.turned(90), 90
    skew = orient.skew_degrees(page.horizontal)
    if abs(skew) >= 0.05:
        page, scan.skew = _Prepared(orient.deskew(page.gray, skew)), skew
    clean = grid.erase_lines(page.gray, page.lines)
    words = read_words(clean)
    if _anchor(words) is None:
        # Upside down, or not a form at all: read it the other way up and keep the better reading.
        flipped = page.turned(180)
        flipped_clean = grid.erase_lines(flipped.gray, flipped.lines)
        flipped_words = read_words(flipped_clean)
        if _form_score(flipped_words) > _form_score(words):
            page, clean, words = flipped, flipped_clean, flipped_words
            scan.rotation = (scan.rotation + 180) % 360
    scan.words = words
    scan.height, scan.width = page.gray.shape
    _measure_table(page, scan)
    if second_look is not None and not scan.problem:
        second_look(scan, clean)
    return scan
