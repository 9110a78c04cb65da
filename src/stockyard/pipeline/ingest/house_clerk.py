"""House Clerk: the yearly FD index, then every PTR PDF it lists (partition = the index year)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import structlog

from stockyard.models import DocStatus, ParsedDocument, QuarantineRecord
from stockyard.pipeline.ingest.scans import ScanJob, land_page_images, read_scans
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.sources.house_clerk.client import HouseClerkClient
from stockyard.sources.house_clerk.fd_index import FdIndexError, parse_fd_index_report
from stockyard.sources.house_clerk.ptr_pdf import parse_ptr_pdf
from stockyard.sources.house_clerk.urls import document_url
from stockyard.sources.http import NotFoundError, SourceError
from stockyard.warehouse.index_reads import ptr_doc_ids
from stockyard.warehouse.raw import load_documents, load_fd_index, load_quarantine

log = structlog.get_logger("stockyard.pipeline.house_clerk")

SOURCE = "house_clerk"
INDEX = "fd_index"
PDFS = "ptr_pdfs"
# The Clerk's site is small; a few requests in flight keep it polite while hiding latency.
FETCH_THREADS = 4


def index_name(year: int) -> str:
    return f"{year}FD.zip"


def fetch_index(runtime: Runtime, year: int) -> StepReport:
    report = StepReport()
    client = HouseClerkClient(runtime.http(SOURCE))
    try:
        fetched = client.fd_index_zip(year)
    except SourceError as exc:
        report.errors.append(str(exc))
        return report
    runtime.land(SOURCE, INDEX, str(year), index_name(year), fetched, report)
    return report


def load_index(runtime: Runtime, year: int) -> StepReport:
    report = StepReport()
    landed = runtime.landing.find(SOURCE, INDEX, str(year), index_name(year))
    if landed is None:
        report.errors.append(f"house_clerk: no {year} index landed; fetch it first")
        return report
    path = runtime.landing.uri(landed)
    try:
        parsed = parse_fd_index_report(runtime.landing.read(landed))
    except FdIndexError as exc:
        # The whole file is unreadable: keep the previous load of this year and say why.
        report.errors.append(f"house_clerk {year} index: {exc}")
        with runtime.warehouse() as con:
            load_quarantine(
                con,
                source=SOURCE,
                dataset=INDEX,
                partition=f"{year}-unreadable",
                records=[
                    QuarantineRecord(SOURCE, INDEX, f"unreadable index file: {exc}", path, None)
                ],
            )
        report.quarantined += 1
        return report
    rejects = [
        QuarantineRecord(r.source, r.dataset, r.reason, path, r.record_ref, r.payload)
        for r in parsed.rejects
    ]
    with runtime.warehouse() as con:
        result = load_fd_index(
            con, partition=str(year), rows=parsed.rows, landing_path=path, rejects=rejects
        )
    report.loaded_rows += result.rows
    report.quarantined += result.quarantined
    return report


def fetch_ptr_pdfs(runtime: Runtime, year: int) -> StepReport:
    """Fetch every PTR the year's index lists that is not landed yet."""
    report = StepReport()
    with runtime.warehouse() as con:
        doc_ids = ptr_doc_ids(con, year)
    todo = [d for d in doc_ids if runtime.landing.find(SOURCE, PDFS, str(year), f"{d}.pdf") is None]
    report.unchanged += len(doc_ids) - len(todo)
    client = HouseClerkClient(runtime.http(SOURCE))

    def fetch(doc_id: str) -> StepReport:
        one = StepReport()
        try:
            fetched = client.ptr_pdf(year, doc_id)
        except NotFoundError:
            one.missing += 1
            return one
        except SourceError as exc:
            one.errors.append(str(exc))
            return one
        runtime.land(SOURCE, PDFS, str(year), f"{doc_id}.pdf", fetched, one)
        return one

    with ThreadPoolExecutor(FETCH_THREADS) as pool:
        for one in pool.map(fetch, todo):
            report.absorb(one)
    if report.missing:
        log.info("ptr_pdfs_missing", year=year, missing=report.missing, listed=len(doc_ids))
    return report


def load_ptr_pdfs(runtime: Runtime, year: int) -> StepReport:
    """Parse every landed PTR of a year and load them (documents, transactions, rejects)."""
    report = StepReport()
    documents: list[tuple[ParsedDocument, str]] = []
    scans: list[tuple[int, ScanJob]] = []
    settings = runtime.settings
    for landed in runtime.landing.latest(SOURCE, PDFS, str(year)):
        doc_id = landed.name.removesuffix(".pdf")
        data = runtime.landing.read(landed)
        doc = parse_ptr_pdf(data, doc_id, ocr=False)
        if doc.status is DocStatus.NEEDS_OCR and settings.ocr_enabled:
            scans.append((len(documents), ScanJob(doc_id, data)))
        documents.append((doc, runtime.landing.uri(landed)))
    read = read_scans(
        [job for _, job in scans],
        cache_url=settings.resolved_ocr_cache_url,
        workers=settings.ocr_workers,
    )
    for (index, job), doc in zip(scans, read, strict=True):
        documents[index] = (doc, documents[index][1])
        land_page_images(runtime.landing, year, job, doc, url=document_url(year, doc.doc_id))
    for doc, _ in documents:
        # The public document a person can open, whatever mirror or replay we fetched from.
        doc.source_url = document_url(year, doc.doc_id)
        if doc.status == DocStatus.ERROR:
            report.errors.append(f"house_clerk {doc.doc_id}: {doc.error}")
    with runtime.warehouse() as con:
        result = load_documents(
            con, source=SOURCE, dataset=PDFS, partition=str(year), documents=documents
        )
    report.count_load(result)
    return report
