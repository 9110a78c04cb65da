"""A second reader for single text lines: PP-OCR's recogniser (rapidocr on onnxruntime).

Why a second engine: on 200 dpi bilevel broker sheets, bold small type fills in and tesseract reads
"05/14/21" as "Onsa/21"; PP-OCR's line recogniser, trained on photographed and degraded print,
reads most of those cells. Where the two engines agree, a reading can be trusted; where they do
not, the caller keeps the better one and marks it for review.

The weights ship inside the rapidocr wheel and are loaded from there by path, so nothing is ever
downloaded. Only recognition runs (no detection): the grid already says where each line is.
"""

from __future__ import annotations

import functools
import importlib.metadata
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

__all__ = ["LineReading", "read_lines", "recognizer_version"]

_MODEL = "PP-OCRv6_rec_small.onnx"
_PAD = 8  # white pixels around a crop: the recogniser misreads glyphs that touch the edge


@dataclass(frozen=True, slots=True)
class LineReading:
    text: str
    conf: float  # the recogniser's mean character probability, 0..1 (0 for an empty reading)


def _model_path() -> Path:
    import rapidocr

    path = Path(rapidocr.__file__).parent / "models" / _MODEL
    if not path.is_file():
        raise FileNotFoundError(
            f"rapidocr's bundled model {_MODEL} is missing from {path.parent}: "
            "reinstall the project (`make install`) so the rapidocr wheel is complete"
        )
    return path


@functools.cache
def recognizer_version() -> str:
    """``"rapidocr 3.10.0/PP-OCRv6_rec_small"``: part of every page-cache key."""
    return f"rapidocr {importlib.metadata.version('rapidocr')}/{_MODEL.removesuffix('.onnx')}"


@functools.cache
def _engine() -> Any:
    from rapidocr import RapidOCR

    engine = RapidOCR(
        params={
            "Global.use_det": False,
            "Global.use_cls": False,
            "Global.log_level": "error",
            "Rec.rec_batch_num": 16,
            "Rec.model_path": str(_model_path()),
            # One thread: pages are read in a process pool sized to the cores.
            "EngineConfig.onnxruntime.intra_op_num_threads": 1,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    )
    # rapidocr configures its own logger at import; keep it to errors like the rest of ours.
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    return engine


def read_lines(crops: list[np.ndarray]) -> list[LineReading]:
    """One reading per grayscale crop (uint8, dark text on white), in the same order."""
    if not crops:
        return []
    images = [
        cv2.cvtColor(np.pad(crop, _PAD, constant_values=255), cv2.COLOR_GRAY2BGR) for crop in crops
    ]
    # One call for them all: the recogniser batches lines of like shape, and a caller's crops are
    # the cells of one column, one size (mixed sizes would be padded to the widest in a batch,
    # which changes what is read in the short ones).
    out = _engine().recognize_txt(images)
    texts = list(out.txts or [""] * len(images))
    scores = list(out.scores or [0.0] * len(images))
    readings = []
    for raw, score in zip(texts, scores, strict=True):
        text = " ".join(str(raw).split())
        readings.append(LineReading(text, round(float(score), 3) if text else 0.0))
    return readings
