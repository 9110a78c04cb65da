"""The ruled grid of a scanned form: line masks, table rules, column edges, ink per cell.

Every paper PTR layout (the official House form, brokers' and accountants' attachment sheets) is a
ruled table, so rows and columns come from the printed lines rather than from where the OCR engine
happened to group words. Lengths are in pixels at `RENDER_DPI`.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = [
    "binarize",
    "cell_ink",
    "erase_lines",
    "horizontal_rules",
    "line_masks",
    "merge_close",
    "vertical_edges",
]

# A stroke this long is a ruled line, not a letter (a third of an inch at 300 dpi; handwritten
# strokes and checkbox sides are shorter).
_MIN_LINE = 100
# A covered band thicker than this is a shaded bar, whose two edges both bound rows.
_MAX_RULE_THICKNESS = 10


def binarize(gray: np.ndarray) -> np.ndarray:
    """Ink = 255, paper = 0 (Otsu: scans range from crisp fax-black to light JPEG grey)."""
    _, bw = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return bw


def line_masks(bw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) masks of the ruled lines."""
    horizontal = cv2.morphologyEx(
        bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (_MIN_LINE, 1))
    )
    vertical = cv2.morphologyEx(
        bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, _MIN_LINE))
    )
    return horizontal, vertical


def erase_lines(gray: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """The page with its ruled lines (and a pixel of their halo) painted white."""
    halo = cv2.dilate(lines, np.ones((5, 5), np.uint8))
    clean = gray.copy()
    clean[halo > 0] = 255
    return clean


def _runs(covered: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) index runs where ``covered`` is true."""
    padded = np.concatenate(([False], covered, [False]))
    changes = np.flatnonzero(padded[1:] != padded[:-1])
    return list(zip(changes[::2].tolist(), changes[1::2].tolist(), strict=True))


def horizontal_rules(horizontal: np.ndarray, min_cover: float = 0.35) -> list[int]:
    """y of every rule spanning at least ``min_cover`` of the page width, top to bottom.

    A shaded bar counts as two rules, its top and bottom edges: the bar is a row of its own (an
    account heading on a broker sheet).
    """
    cover = (horizontal > 0).sum(axis=1) >= min_cover * horizontal.shape[1]
    rules: list[int] = []
    for start, end in _runs(cover):
        if end - start <= _MAX_RULE_THICKNESS:
            rules.append((start + end) // 2)
        else:
            rules.extend((start, end - 1))
    return rules


def vertical_edges(
    vertical: np.ndarray, top: int, bottom: int, min_cover: float = 0.6
) -> list[int]:
    """x of every vertical line covering at least ``min_cover`` of the band [top, bottom)."""
    if bottom <= top:
        return []
    band = vertical[top:bottom] > 0
    cover = band.sum(axis=0) >= min_cover * (bottom - top)
    return [(start + end) // 2 for start, end in _runs(cover)]


def merge_close(edges: list[int], gap: int = 14) -> list[int]:
    """One edge for a double rule (two lines a few pixels apart bound no real column)."""
    merged: list[int] = []
    for x in edges:
        if merged and x - merged[-1] < gap:
            merged[-1] = (merged[-1] + x) // 2
        else:
            merged.append(x)
    return merged


def cell_ink(bw_clean: np.ndarray, left: int, top: int, right: int, bottom: int) -> float:
    """Share of inked pixels in the middle of a cell (0..1).

    Only the central 40% is measured: an X or a tick crosses the centre, while the printed
    checkbox some forms put in every cell, and stray ends of the ruled lines, stay near the edge.
    """
    pad_x = max(3, (right - left) * 3 // 10)
    pad_y = max(3, (bottom - top) * 3 // 10)
    inner = bw_clean[top + pad_y : bottom - pad_y, left + pad_x : right - pad_x]
    if inner.size == 0:
        return 0.0
    return float(np.count_nonzero(inner)) / inner.size
