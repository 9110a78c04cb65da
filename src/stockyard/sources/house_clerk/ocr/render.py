"""PDF pages → grayscale images (pypdfium2), and the upright PNG a reader checks a row against."""

from __future__ import annotations

import cv2
import numpy as np
import pypdfium2 as pdfium

from stockyard.sources.house_clerk.ocr import orient

__all__ = ["PREVIEW_DPI", "RENDER_DPI", "open_pdf", "page_png", "render_page"]

# Tesseract reads 10-point print best at 300 dpi; the scans themselves are 155-200 dpi.
RENDER_DPI = 300
# Enough to read a row on screen, small enough to land every page (about 100-200 kB).
PREVIEW_DPI = 110


def _render(page: pdfium.PdfPage, dpi: int) -> np.ndarray:
    bitmap = page.render(scale=dpi / 72, grayscale=True)
    return np.asarray(bitmap.to_pil().convert("L"))


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    """Raises `pdfium.PdfiumError` for bytes that are not a PDF pdfium can open."""
    return pdfium.PdfDocument(data)


def render_page(pdf: pdfium.PdfDocument, number: int) -> np.ndarray:
    """Page ``number`` (1-based) at `RENDER_DPI`."""
    return _render(pdf[number - 1], RENDER_DPI)


def page_png(data: bytes, number: int, rotation: int) -> bytes:
    """Page ``number`` (1-based) turned upright by ``rotation`` degrees, as a PNG."""
    pdf = pdfium.PdfDocument(data)
    try:
        image = orient.rotate(_render(pdf[number - 1], PREVIEW_DPI), rotation)
    finally:
        pdf.close()
    ok, encoded = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    if not ok:
        raise ValueError(f"page {number} could not be encoded as PNG")
    return encoded.tobytes()
