"""Scanned (image-only) House PTRs → transactions, each with a confidence and a review list.

render (pypdfium2, 300 dpi) → orientation and skew (`orient`) → the ruled grid and the ink of
every box (`grid`, `scan`) → one tesseract pass for the words (`engine`), weak cells read again (`second_look`, with
PP-OCR's line recogniser as a second engine: `recognizer`) → columns by header and
order, rows between rules (`table`) → values validated and scored (`fields`, `rows`).

Formats only: the caller passes a `PageCache` (the landing zone implements it) so a page is read
once per PDF content and engine version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Protocol

from stockyard.sources.house_clerk.ocr.engine import OcrEngineMissing, engine_version
from stockyard.sources.house_clerk.ocr.header import filer_name, state_district
from stockyard.sources.house_clerk.ocr.recognizer import recognizer_version
from stockyard.sources.house_clerk.ocr.render import PREVIEW_DPI, open_pdf, page_png, render_page
from stockyard.sources.house_clerk.ocr.rows import REVIEW_BELOW, OcrRows, read_rows
from stockyard.sources.house_clerk.ocr.scan import PageScan, scan_page
from stockyard.sources.house_clerk.ocr.second_look import second_look as reread_weak_cells

__all__ = [
    "OCR_VERSION",
    "PREVIEW_DPI",
    "REVIEW_BELOW",
    "OcrEngineMissing",
    "OcrRows",
    "PageCache",
    "PageScan",
    "engine_version",
    "filer_name",
    "page_key",
    "page_png",
    "read_rows",
    "scan_document",
    "state_district",
]

# Bump when a change to rendering, orientation or the grid would give a different `PageScan`:
# it is part of every page-cache key.
OCR_VERSION = "ptr-ocr/6"


class PageCache(Protocol):
    """Where page readings are kept between runs (bytes by key)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


def page_key(pdf_sha256: str, number: int) -> str:
    engines = f"{engine_version()}+{recognizer_version()}"
    engine = engines.replace(" ", "-").replace("/", "-")
    return f"{pdf_sha256}/p{number:03d}-{OCR_VERSION.replace('/', '-')}-{engine}"


def scan_document(
    data: bytes,
    *,
    cache: PageCache | None = None,
    on_page: Callable[[int, int], None] | None = None,
) -> list[PageScan]:
    """Read every page of a scanned PDF, from the cache where it has the page.

    Raises `OcrEngineMissing` when tesseract is absent and `pypdfium2.PdfiumError` for bytes that
    are not a renderable PDF. ``on_page(done, total)`` reports progress.
    """
    digest = hashlib.sha256(data).hexdigest()
    pdf = open_pdf(data)
    try:
        total = len(pdf)
        scans: list[PageScan] = []
        for number in range(1, total + 1):
            key = page_key(digest, number)
            cached = cache.get(key) if cache is not None else None
            if cached is not None:
                scan = PageScan.from_json(json.loads(cached))
            else:
                scan = scan_page(render_page(pdf, number), number, second_look=reread_weak_cells)
                if cache is not None:
                    cache.put(key, json.dumps(scan.to_json()).encode())
            scans.append(scan)
            if on_page is not None:
                on_page(number, total)
    finally:
        pdf.close()
    return scans
