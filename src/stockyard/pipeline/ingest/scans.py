"""Scanned House PTRs: read by OCR in a pool of processes, their page images landed once.

The text parser runs first, in-process, for every PDF (milliseconds each); only documents it
reports ``needs_ocr`` come here. Each is read in its own worker process (tesseract is CPU-bound;
one page per core), through the page cache, so a re-run reads nothing again. A document that fails
is that document's error, never the run's.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

import structlog

from stockyard.landing import (
    PAGE_IMAGES_DATASET,
    PAGE_IMAGES_SOURCE,
    FilePageCache,
    LandingZone,
    page_image_name,
)
from stockyard.models import DocStatus, ParsedDocument
from stockyard.sources.house_clerk.ocr import page_png
from stockyard.sources.house_clerk.ptr_pdf import PARSER_VERSION, parse_ptr_pdf

log = structlog.get_logger("stockyard.pipeline.scans")

__all__ = ["PAGES", "ScanJob", "land_page_images", "page_image_name", "read_scans"]

PAGES = PAGE_IMAGES_DATASET


@dataclass(frozen=True, slots=True)
class ScanJob:
    doc_id: str
    data: bytes


def _read_one(job: ScanJob, cache_url: str) -> ParsedDocument:
    return parse_ptr_pdf(job.data, job.doc_id, page_cache=FilePageCache(cache_url))


def _failed(job: ScanJob, exc: BaseException) -> ParsedDocument:
    return ParsedDocument(
        doc_id=job.doc_id,
        source="house_clerk",
        status=DocStatus.ERROR,
        parser_version=PARSER_VERSION,
        chamber="house",
        error=f"OCR failed: {type(exc).__name__}: {exc}",
    )


def read_scans(
    jobs: Sequence[ScanJob], *, cache_url: str, workers: int | None
) -> list[ParsedDocument]:
    """OCR every job, in order; one worker process per core (or ``workers``)."""
    if not jobs:
        return []
    size = min(len(jobs), workers or os.cpu_count() or 1)
    if size == 1:
        out = []
        for job in jobs:
            try:
                out.append(_read_one(job, cache_url))
            except Exception as exc:  # one document's failure, whatever it is
                out.append(_failed(job, exc))
        return out
    # spawn, not fork: the pipeline may run inside Dagster's threads, which fork would copy mid-lock.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=size, mp_context=context) as pool:
        futures: list[Future[ParsedDocument]] = [
            pool.submit(_read_one, job, cache_url) for job in jobs
        ]
        out = []
        for job, future in zip(jobs, futures, strict=True):
            try:
                out.append(future.result())
            except Exception as exc:  # a crashed worker fails its document, not the run
                out.append(_failed(job, exc))
            log.info(
                "ptr_scan_read",
                doc_id=job.doc_id,
                status=str(out[-1].status),
                rows=len(out[-1].transactions),
            )
    return out


def land_page_images(
    landing: LandingZone, year: int, job: ScanJob, doc: ParsedDocument, *, url: str
) -> int:
    """Land each read page as an upright PNG (once: an existing image is not rendered again)."""
    landed = 0
    for page in doc.scan_pages:
        name = page_image_name(doc.doc_id, int(page["page"]))
        if landing.find(PAGE_IMAGES_SOURCE, PAGES, str(year), name) is not None:
            continue
        png = page_png(job.data, int(page["page"]), int(page["rotation"]))
        landing.write(
            PAGE_IMAGES_SOURCE, PAGES, str(year), name, png, url=url, content_type="image/png"
        )
        landed += 1
    return landed
