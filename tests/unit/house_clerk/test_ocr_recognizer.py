"""The second OCR engine (PP-OCR's line recogniser, weights from inside the rapidocr wheel)."""

from __future__ import annotations

import cv2
import numpy as np

from stockyard.sources.house_clerk.ocr import page_key
from stockyard.sources.house_clerk.ocr.recognizer import read_lines, recognizer_version


def _line(text: str) -> np.ndarray:
    image = np.full((44, 24 * len(text)), 255, np.uint8)
    cv2.putText(image, text, (6, 32), cv2.FONT_HERSHEY_SIMPLEX, 0.9, 0, 2)
    return image


def test_it_reads_lines_in_order_and_an_empty_crop_as_nothing() -> None:
    readings = read_lines([_line("05/14/21"), np.full((30, 120), 255, np.uint8), _line("SP")])
    assert [r.text for r in readings] == ["05/14/21", "", "SP"]
    assert readings[0].conf > 0.9 and readings[2].conf > 0.5
    assert readings[1].conf == 0.0


def test_the_page_cache_key_names_both_engines() -> None:
    assert recognizer_version().startswith("rapidocr ")
    key = page_key("ab" * 32, 1)
    assert "rapidocr" in key and "tesseract" in key


def test_a_trade_year_one_digit_off_its_notice_is_repaired_and_others_are_not() -> None:
    from datetime import date

    from stockyard.sources.house_clerk.ocr.fields import trade_year_repaired

    assert trade_year_repaired(date(2011, 5, 11), date(2021, 6, 3)) == date(2021, 5, 11)
    assert trade_year_repaired(date(2021, 5, 11), date(2021, 6, 3)) is None  # weeks apart: read
    assert trade_year_repaired(date(2015, 5, 11), date(2021, 6, 3)) is None  # "15" is not "21"
