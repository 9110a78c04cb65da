"""Scanned PDFs that go wrong in the field: each gets a clear per-document outcome.

The PDFs are built here from real scans (turned, cropped, repeated, damaged) with Pillow, so each
case is a real image-only PDF going through the whole OCR path.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from PIL import Image

import stockyard
from stockyard.models import DocStatus
from stockyard.pipeline.ingest.scans import ScanJob, read_scans
from stockyard.sources.house_clerk.ptr_pdf import parse_ptr_pdf

SAMPLE = Path(stockyard.__file__).parent / "data/sample/house_clerk/public_disc/ptr-pdfs"
PHILZ = SAMPLE / "2015/9106201.pdf"  # one row: Philz Coffee, Inc., purchase, 02/26/15
KHANNA = SAMPLE / "2017/9110644.pdf"  # broker sheets, 23 and 27 rows


def _page(path: Path, index: int, dpi: int = 200) -> Image.Image:
    pdf = pdfium.PdfDocument(path.read_bytes())
    try:
        return pdf[index].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    finally:
        pdf.close()


def _pdf(pages: list[Image.Image], dpi: int = 200) -> bytes:
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return out.getvalue()


def test_blank_page_is_needs_ocr_with_the_reason(tmp_path: Path) -> None:
    doc = parse_ptr_pdf(_pdf([Image.new("L", (1700, 2200), 255)]), "blank")
    assert doc.status is DocStatus.NEEDS_OCR
    assert doc.error is not None and "blank page" in doc.error
    assert doc.transactions == []


def test_upside_down_scan_reads_the_same_row() -> None:
    upright = _page(PHILZ, 0).rotate(90, expand=True)  # the scan lies on its side
    doc = parse_ptr_pdf(_pdf([upright.rotate(180)]), "upside-down")
    assert doc.status is DocStatus.PARSED, doc.error
    (row,) = doc.transactions
    assert (row.asset_name.startswith("Philz Coffee"), row.tx_type) == (True, "P")
    assert row.tx_date is not None and row.tx_date.isoformat() == "2015-02-26"
    assert doc.scan_pages[0]["rotation"] in (90, 180, 270)


def _corrupt_jpeg_pdf() -> bytes:
    # A JPEG-compressed scan whose image data is overwritten in the middle: the PDF still opens,
    # the image does not decode.
    out = io.BytesIO()
    _page(PHILZ, 0).save(out, "PDF", resolution=200, quality=80)
    data = bytearray(out.getvalue())
    start = data.index(b"stream") + 600
    data[start : start + 4000] = bytes(4000)
    return bytes(data)


def test_corrupt_image_is_a_clear_outcome_and_others_are_unaffected() -> None:
    jobs = [
        ScanJob("corrupt", _corrupt_jpeg_pdf()),
        ScanJob("not-a-pdf", b"%PDF-1.4 garbage %%EOF"),
        ScanJob("9106201", PHILZ.read_bytes()),
    ]
    corrupt, garbage, good = read_scans(jobs, cache_url="memory://ocr-cases", workers=1)
    assert corrupt.status in (DocStatus.NEEDS_OCR, DocStatus.ERROR, DocStatus.PARSED)
    if corrupt.status is not DocStatus.PARSED:
        assert corrupt.error
    assert garbage.status is DocStatus.ERROR and garbage.error
    assert good.status is DocStatus.PARSED and good.transactions[0].tx_type == "P"


@pytest.mark.slow  # 40 pages of OCR: about a minute
def test_a_40_page_attachment_reads_every_page() -> None:
    # The header and first rows of each of Khanna's two sheets, twenty times over.
    strips = []
    for index in (1, 2):
        page = np.asarray(_page(KHANNA, index).rotate(90, expand=True))
        strips.append(Image.fromarray(page[: page.shape[0] * 30 // 100]))
    doc = parse_ptr_pdf(_pdf([strips[i % 2] for i in range(40)]), "forty")
    assert doc.status is DocStatus.PARSED, doc.error
    assert doc.page_count == 40 and len(doc.scan_pages) == 40
    pages = {t.page for t in doc.transactions}
    assert pages == set(range(1, 41)), sorted(set(range(1, 41)) - pages)
    assert all(t.text_source == "ocr" for t in doc.transactions)
