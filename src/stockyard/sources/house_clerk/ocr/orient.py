"""Turn a scanned page upright and straight before it is read.

Text direction comes from the shapes of the ink: letters of a line sit side by side, so smearing
the page along the text direction joins them into far fewer blobs than smearing across it. That
tells a page rotated 90° from an upright one in milliseconds (tesseract's own orientation pass costs
about a second a page and misreads the dense broker sheets). Which of the two remaining ways up is
right is settled by reading: `scan` retries a page turned 180° when the first reading does not look
like a House form.
"""

from __future__ import annotations

import cv2
import numpy as np

__all__ = ["deskew", "rotate", "text_is_vertical"]

_SMEAR = 9


def _blobs(bw: np.ndarray, kernel: tuple[int, int]) -> int:
    smeared = cv2.dilate(bw, cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
    count, _ = cv2.connectedComponents(smeared, connectivity=8)
    return int(count)


def text_is_vertical(bw_text: np.ndarray) -> bool:
    """True when the lines of text run top-to-bottom (the page is lying on its side).

    ``bw_text``: the binarised page with its ruled lines removed, ink = 255.
    """
    small = cv2.resize(bw_text, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    small = (small > 64).astype(np.uint8) * 255
    along_x = _blobs(small, (_SMEAR, 1))
    along_y = _blobs(small, (1, _SMEAR))
    return along_y < along_x


def rotate(image: np.ndarray, degrees_ccw: int) -> np.ndarray:
    """Rotate by a multiple of 90° counter-clockwise."""
    turns = (degrees_ccw // 90) % 4
    if turns == 1:
        return cv2.rotate(image, cv2.ROTATE_90_COUNTERCLOCKWISE)
    if turns == 2:
        return cv2.rotate(image, cv2.ROTATE_180)
    if turns == 3:
        return cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
    return image


def skew_degrees(horizontal: np.ndarray) -> float:
    """The page's tilt from its long horizontal rules (median over the rules), in degrees."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(horizontal, connectivity=8)
    angles: list[float] = []
    weights: list[float] = []
    for index in range(1, count):
        x, y, w, h, _ = stats[index]
        if w < horizontal.shape[1] // 4:
            continue
        band = horizontal[y : y + h, x : x + w]
        # Centre of ink at the left and right ends of the rule.
        left = np.flatnonzero(band[:, : w // 10].any(axis=1))
        right = np.flatnonzero(band[:, -(w // 10) :].any(axis=1))
        if left.size == 0 or right.size == 0:
            continue
        rise = float(right.mean() - left.mean())
        angles.append(float(np.degrees(np.arctan2(rise, w * 0.9))))
        weights.append(float(w))
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cumulative = np.cumsum(np.asarray(weights)[order])
    return float(np.asarray(angles)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def deskew(gray: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate by a small angle about the centre, filling the corners with paper."""
    if abs(degrees) < 0.05:
        return gray
    height, width = gray.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), degrees, 1.0)
    return cv2.warpAffine(gray, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=(255,))
