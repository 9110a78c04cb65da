"""A second, closer reading of the text cells the page-wide pass read badly.

The page pass reads small print at 300 dpi among thousands of other marks; a date whose slash it
dropped, an owner code it skipped, or a smudged asset name is read again from its own cell, enlarged
and with the engine told what it is looking at (one line; digits and "/" for dates). All the weak
cells of one kind on a page go to the engine together, stacked, so a page costs at most three more
small calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from stockyard.sources.house_clerk.ocr.engine import OcrWord, read_words
from stockyard.sources.house_clerk.ocr.fields import DATE_SHAPE
from stockyard.sources.house_clerk.ocr.scan import PageScan
from stockyard.sources.house_clerk.ocr.table import Role, TableRow, read_table

__all__ = ["second_look"]

_WEAK = 0.8
_INK = 0.04
_SCALE = 2
_GAP = 40  # white pixels between stacked cells (at the enlarged scale)
# The page pass often drops the two-letter owner codes or reads a thin "D" as "o".
_OWNER = re.compile(r"^(SP|DC|JT|OC|0C|5P|IT)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _Kind:
    roles: tuple[Role, ...]
    allowed: str | None
    good: re.Pattern[str] | None


_KINDS = (
    _Kind((Role.TX_DATE, Role.NOTIFIED), "0123456789/", DATE_SHAPE),
    _Kind((Role.OWNER,), None, _OWNER),
    _Kind((Role.ASSET,), None, None),
)


def _weak(row: TableRow, role: Role, kind: _Kind) -> bool:
    cell = row.cells.get(role)
    text = "".join(cell.text.split()) if cell else ""
    if not text:
        return row.text_ink.get(role, 0.0) >= _INK
    if kind.good is not None and not kind.good.match(text):
        return True
    return (cell.mean_conf if cell else 0.0) < _WEAK


def _stack(
    clean: np.ndarray, boxes: list[tuple[int, int, int, int]]
) -> tuple[np.ndarray, list[int]]:
    crops = []
    for left, top, right, bottom in boxes:
        crop = clean[top + 3 : bottom - 2, left + 3 : right - 2]
        crops.append(cv2.resize(crop, None, fx=_SCALE, fy=_SCALE, interpolation=cv2.INTER_CUBIC))
    width = max(c.shape[1] for c in crops) + 2 * _GAP
    parts, offsets, y = [np.full((_GAP, width), 255, np.uint8)], [], _GAP
    for crop in crops:
        canvas = np.full((crop.shape[0], width), 255, np.uint8)
        canvas[:, _GAP : _GAP + crop.shape[1]] = crop
        parts += [canvas, np.full((_GAP, width), 255, np.uint8)]
        offsets.append(y)
        y += crop.shape[0] + _GAP
    return np.vstack(parts), offsets


def _reread(
    clean: np.ndarray, cells: list[tuple[int, int, int, int]], kind: _Kind
) -> list[list[OcrWord]]:
    image, offsets = _stack(clean, cells)
    words = read_words(image, page_seg_mode=6, allowed=kind.allowed)
    found: list[list[OcrWord]] = [[] for _ in cells]
    for word in words:
        for index, ((left, top, _, _), offset) in enumerate(zip(cells, offsets, strict=True)):
            height = (cells[index][3] - cells[index][1]) * _SCALE
            if offset - _GAP / 2 <= word.cy < offset + height + _GAP / 2:
                found[index].append(
                    OcrWord(
                        word.text,
                        word.conf,
                        left + 3 + (word.left - _GAP) // _SCALE,
                        top + 3 + (word.top - offset) // _SCALE,
                        left + 3 + (word.right - _GAP) // _SCALE,
                        top + 3 + (word.bottom - offset) // _SCALE,
                    )
                )
                break
    return found


def _better(old: list[OcrWord], new: list[OcrWord], kind: _Kind) -> bool:
    if not new:
        return False
    new_text = "".join(w.text for w in new)
    old_text = "".join(w.text for w in old)
    if kind.good is not None:
        if kind.good.match(new_text) and not kind.good.match(old_text):
            return True
        if kind.good.match(old_text) and not kind.good.match(new_text):
            return False
    mean = lambda ws: sum(w.conf for w in ws) / len(ws) if ws else 0.0  # noqa: E731
    return mean(new) > mean(old)


_HEADING = _Kind((Role.OWNER, Role.ASSET), None, None)


def _heading_boxes(rows: list[TableRow]) -> list[tuple[int, int, int, int]]:
    """Account headings on shaded bars span the owner and asset cells; weak ones are re-read."""
    boxes = []
    for row in rows:
        if not row.shaded or Role.ASSET not in row.boxes_at:
            continue
        words = [w for cell in row.cells.values() for w in cell.words]
        if words and sum(w.conf for w in words) / len(words) < 0.9:
            left = row.boxes_at.get(Role.OWNER, row.boxes_at[Role.ASSET])[0]
            _, top, right, bottom = row.boxes_at[Role.ASSET]
            boxes.append((left, top, right, bottom))
    return boxes


def _replace_if_better(
    scan: PageScan,
    boxes: list[tuple[int, int, int, int]],
    readings: list[list[OcrWord]],
    kind: _Kind,
) -> None:
    for box, new in zip(boxes, readings, strict=True):
        left, top, right, bottom = box
        old = [w for w in scan.words if left <= w.cx < right and top <= w.cy < bottom]
        if _better(old, new, kind):
            scan.words = [w for w in scan.words if w not in old] + new


def second_look(scan: PageScan, clean: np.ndarray) -> None:
    """Re-read the weak text cells of the page's table; keep a new reading only where it is better."""
    table = read_table(scan)
    headings = _heading_boxes(table)
    if headings:
        _replace_if_better(scan, headings, _reread(clean, headings, _HEADING), _HEADING)
    rows = [row for row in table if not row.shaded]
    for kind in _KINDS:
        targets = [
            (row, role)
            for row in rows
            for role in kind.roles
            if role in row.boxes_at and _weak(row, role, kind)
        ]
        if not targets:
            continue
        boxes = [row.boxes_at[role] for row, role in targets]
        _replace_if_better(scan, boxes, _reread(clean, boxes, kind), kind)
