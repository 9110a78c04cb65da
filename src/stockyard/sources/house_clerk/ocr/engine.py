"""The OCR engine: Debian's tesseract (through pytesseract), one call per page, word boxes out.

Why the command-line engine rather than an in-process binding: the tesserocr wheel bundles its own
libtesseract, whose orientation detection aborts the whole process on these scans; the apt
tesseract is the version `scripts/system-packages.sh` installs and the one the cache key names.
"""

from __future__ import annotations

import functools
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytesseract

__all__ = ["OcrEngineMissing", "OcrWord", "engine_version", "read_words"]

# Each page is one tesseract process; its OpenMP threads only fight the process pool for the cores
# (on two cores a single thread per page is fastest).
_ENV_THREADS = {"OMP_THREAD_LIMIT": "1"}
# Sparse text: the form is a grid of short cells, not paragraphs; layout analysis would only try to
# flow text across cell borders.
_PAGE_SEG_MODE = 11
_INSTALL_HINT = (
    "install the OCR engine with `scripts/system-packages.sh` "
    "(Debian packages tesseract-ocr, tesseract-ocr-eng)"
)


class OcrEngineMissing(RuntimeError):
    """tesseract (or its English model) is not installed: say how to install it."""


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word the engine read, in the upright page's pixel coordinates; ``conf`` in 0..1."""

    text: str
    conf: float
    left: int
    top: int
    right: int
    bottom: int

    @property
    def cx(self) -> float:
        return (self.left + self.right) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    def to_json(self) -> list[object]:
        return [self.text, round(self.conf, 3), self.left, self.top, self.right, self.bottom]

    @classmethod
    def from_json(cls, row: list[Any]) -> OcrWord:
        text, conf, left, top, right, bottom = row
        return cls(str(text), float(conf), int(left), int(top), int(right), int(bottom))


@functools.cache
def engine_version() -> str:
    """``"tesseract 5.3.0/eng"``; raises `OcrEngineMissing` when the engine or model is absent."""
    try:
        version = str(pytesseract.get_tesseract_version())
        languages = pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError, subprocess.SubprocessError) as exc:
        raise OcrEngineMissing(f"tesseract is not installed: {_INSTALL_HINT}") from exc
    if "eng" not in languages:
        raise OcrEngineMissing(f"tesseract has no English model: {_INSTALL_HINT}")
    return f"tesseract {version}/eng"


def read_words(
    image: np.ndarray, *, page_seg_mode: int = _PAGE_SEG_MODE, allowed: str | None = None
) -> list[OcrWord]:
    """Every word tesseract reads on a grayscale page image (uint8, upright).

    ``allowed`` limits the characters the engine may answer with (digits and "/" for a date).
    """
    engine_version()
    # pytesseract would PNG-compress the page first; an uncompressed PGM is written ten times faster.
    with tempfile.TemporaryDirectory(prefix="stockyard-ocr-") as tmp:
        path = Path(tmp) / "page.pgm"
        cv2.imwrite(str(path), image)
        old = {key: os.environ.get(key) for key in _ENV_THREADS}
        os.environ.update(_ENV_THREADS)
        try:
            data = pytesseract.image_to_data(
                str(path),
                lang="eng",
                config=f"--psm {page_seg_mode}"
                + (f" -c tessedit_char_whitelist={allowed}" if allowed else ""),
                output_type=pytesseract.Output.DICT,
            )
        finally:
            for key, value in old.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    words: list[OcrWord] = []
    for text, conf, left, top, width, height in zip(
        data["text"],
        data["conf"],
        data["left"],
        data["top"],
        data["width"],
        data["height"],
        strict=True,
    ):
        text = str(text).strip()
        if not text or float(conf) < 0:
            continue
        words.append(
            OcrWord(
                text,
                float(conf) / 100,
                int(left),
                int(top),
                int(left) + int(width),
                int(top) + int(height),
            )
        )
    return words
