"""A second, closer reading of the text cells the page-wide pass read badly.

The page pass reads small print at 300 dpi among thousands of other marks; a date whose slash it
dropped, an owner code it skipped, or a smudged asset name is read again from its own cell, enlarged
and with the engine told what it is looking at (one line; digits and "/" for dates). All the weak
cells of one kind on a page go to the engine together, stacked, so a page costs at most three more
small calls.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

import cv2
import numpy as np

from stockyard.sources.house_clerk.ocr.engine import OcrWord, read_words
from stockyard.sources.house_clerk.ocr.fields import DATE_SHAPE, read_owner
from stockyard.sources.house_clerk.ocr.recognizer import read_lines
from stockyard.sources.house_clerk.ocr.scan import PageScan
from stockyard.sources.house_clerk.ocr.table import Role, TableRow, read_table

__all__ = ["second_look"]

_WEAK = 0.8
_INK = 0.04
_SCALE = 2
_GAP = 40  # white pixels between stacked cells (at the enlarged scale)
# Owner glyphs: how much ink a code has at least, the size they are compared at, how sure a
# reading must be to serve as a pattern, and how alike (normalised correlation) a match must be,
# and by how much more than the next code.
_MIN_GLYPH_INK = 15
_GLYPH_SIZE = (48, 24)
_SURE_OWNER = 0.6
_LIKE = 0.6
_LIKE_MARGIN = 0.3
# A reading the two engines disagree on is at most this sure: below REVIEW_BELOW, so reviewed.
_DISAGREE = 0.7
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


def _heading_boxes(rows: list[TableRow], below: float = 0.9) -> list[tuple[int, int, int, int]]:
    """Account headings (on shaded bars, or alone in their row) span the owner and asset cells;
    those read less sure than ``below`` are re-read."""
    boxes = []
    for row in rows:
        if Role.ASSET not in row.boxes_at:
            continue
        # A heading printed without a bar: a name alone in its row (no owner, no dates).
        alone = not any(row.text(role) for role in (Role.OWNER, Role.TX_DATE, Role.NOTIFIED))
        if not row.shaded and not (alone and row.text(Role.ASSET)):
            continue
        words = [w for cell in row.cells.values() for w in cell.words]
        if words and sum(w.conf for w in words) / len(words) < below:
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


def _weak_boxes(table: list[TableRow], kind: _Kind) -> list[tuple[int, int, int, int]]:
    return [
        row.boxes_at[role]
        for row in table
        if not row.shaded
        for role in kind.roles
        if role in row.boxes_at and _weak(row, role, kind)
    ]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _respace(text: str, spaced: str) -> str:
    """``text`` (which may have lost its word gaps) with spaces where ``spaced`` has them, at the
    characters the two readings share: PP-OCR often runs the words of a bold line together."""
    if " " in text or " " not in spaced:
        return text
    gaps, seen = set(), 0
    for char in spaced:
        if char == " ":
            gaps.add(seen)
        else:
            seen += 1
    squeezed = _squeeze(spaced)
    out: list[str] = []
    matcher = SequenceMatcher(None, squeezed, text, autojunk=False)
    mapping = {a + k: b + k for a, b, size in matcher.get_matching_blocks() for k in range(size)}
    at = {mapping[g] for g in gaps if g in mapping}
    for index, char in enumerate(text):
        if index in at and out and out[-1] != " ":
            out.append(" ")
        out.append(char)
    return "".join(out)


def _as_words(text: str, conf: float, box: tuple[int, int, int, int]) -> list[OcrWord]:
    """A line reading as words laid across its cell (positions only place words in the cell)."""
    left, top, right, bottom = box
    width = max(1, right - left - 6)
    words, start, total = [], 0, max(1, len(text))
    for token in text.split():
        index = text.index(token, start)
        x0 = left + 3 + width * index // total
        x1 = left + 3 + width * (index + len(token)) // total
        words.append(OcrWord(token, conf, x0, top + 3, max(x0 + 1, x1), bottom - 3))
        start = index + len(token)
    return words


def _second_engine(
    scan: PageScan, clean: np.ndarray, boxes: list[tuple[int, int, int, int]], kind: _Kind
) -> None:
    """Read weak cells with the second engine: agreement raises confidence; a disagreement keeps
    the reading that fits the field, at most `_DISAGREE` sure so that it is reviewed."""
    crops = [
        clean[top + 2 : bottom - 1, left + 2 : right - 1] for left, top, right, bottom in boxes
    ]
    for box, reading in zip(boxes, read_lines(crops), strict=True):
        left, top, right, bottom = box
        old = [w for w in scan.words if left <= w.cx < right and top <= w.cy < bottom]
        old_text = " ".join(w.text for w in _line_order(old))
        new_text = _squeeze(reading.text) if kind.allowed else _respace(reading.text, old_text)
        if not new_text:
            continue
        old_conf = sum(w.conf for w in old) / len(old) if old else 0.0
        if kind.good is not None:
            new_fits, old_fits = bool(kind.good.match(new_text)), bool(kind.good.match(old_text))
            agree = new_fits and _squeeze(old_text) == new_text
        else:
            new_fits = len(re.findall(r"[A-Za-z]", new_text)) >= 2
            old_fits = bool(old)
            agree = new_fits and _squeeze(old_text) == _squeeze(new_text)
        old_sure = old_fits and min((w.conf for w in old), default=0.0) >= _WEAK
        if agree:
            words = _as_words(old_text if kind.good is None else new_text, 1.0, box)
            conf = max(old_conf, reading.conf)
        elif old_sure:
            # Tesseract was sure and the second engine reads something else: keep the first
            # reading, but not as certain.
            words = [replace(w, conf=min(w.conf, _DISAGREE)) for w in old]
            conf = None
        elif new_fits and (not old_fits or reading.conf > old_conf):
            words, conf = _as_words(new_text, 1.0, box), min(reading.conf, _DISAGREE)
        else:
            continue
        if conf is not None:
            words = [replace(w, conf=conf) for w in words]
        scan.words = [w for w in scan.words if w not in old] + words


def _line_order(words: list[OcrWord]) -> list[OcrWord]:
    return sorted(words, key=lambda w: (round(w.cy / 12), w.left))


def _glyphs(clean: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray | None:
    """The ink of a cell cropped to its bounding box and scaled to one size, or None if blank."""
    left, top, right, bottom = box
    ink = clean[top + 3 : bottom - 2, left + 3 : right - 2] < 128
    ys, xs = np.nonzero(ink)
    if len(xs) < _MIN_GLYPH_INK:
        return None
    cropped = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].astype(np.float32)
    return cv2.resize(cropped, _GLYPH_SIZE, interpolation=cv2.INTER_AREA)


def _likeness(a: np.ndarray, b: np.ndarray) -> float:
    a, b = a - a.mean(), b - b.mean()
    return float((a * b).sum() / (np.sqrt((a * a).sum() * (b * b).sum()) + 1e-9))


def _owners_by_likeness(scan: PageScan, clean: np.ndarray) -> None:
    """Owner codes neither engine could read, matched against the codes read surely on the same
    page: a sheet prints SP/DC/JT in one font, so an unread "SP" looks like the read ones. A
    match is marked for review (`_DISAGREE`): it is a likeness, not a reading."""
    known: dict[str, list[np.ndarray]] = {}
    unknown: list[tuple[tuple[int, int, int, int], np.ndarray]] = []
    for row in read_table(scan):
        box = row.boxes_at.get(Role.OWNER)
        glyph = _glyphs(clean, box) if box is not None and not row.shaded else None
        if box is None or glyph is None:
            continue
        owner = read_owner(row.cells.get(Role.OWNER), row.owner_ink)
        if owner.value is not None and owner.conf >= _SURE_OWNER:
            known.setdefault(str(owner.value), []).append(glyph)
        elif owner.value is None:
            unknown.append((box, glyph))
    if not known:
        return
    for box, glyph in unknown:
        scores = sorted(
            (
                (max(_likeness(glyph, t) for t in templates), code)
                for code, templates in known.items()
            ),
            reverse=True,
        )
        best, code = scores[0]
        runner_up = scores[1][0] if len(scores) > 1 else 0.0
        if best >= _LIKE and best - runner_up >= _LIKE_MARGIN:
            left, top, right, bottom = box
            old = [w for w in scan.words if left <= w.cx < right and top <= w.cy < bottom]
            scan.words = [w for w in scan.words if w not in old] + _as_words(code, _DISAGREE, box)


def second_look(scan: PageScan, clean: np.ndarray) -> None:
    """Re-read the weak text cells of the page's table; keep a new reading only where it is better.

    First tesseract again, enlarged and told what the cell holds; what is still weak then goes to
    the second engine; owner codes still unread are matched by likeness to those read.
    """
    table = read_table(scan)
    headings = _heading_boxes(table)
    if headings:
        _replace_if_better(scan, headings, _reread(clean, headings, _HEADING), _HEADING)
    for kind in _KINDS:
        boxes = _weak_boxes(table, kind)
        if boxes:
            _replace_if_better(scan, boxes, _reread(clean, boxes, kind), kind)
    table = read_table(scan)
    # Every heading: one misread heading is wrong in every row under it, and there are few.
    headings = _heading_boxes(table, below=1.01)
    if headings:
        _second_engine(scan, clean, headings, _HEADING)
    for kind in _KINDS:
        boxes = _weak_boxes(table, kind)
        if boxes:
            _second_engine(scan, clean, boxes, kind)
    _owners_by_likeness(scan, clean)
