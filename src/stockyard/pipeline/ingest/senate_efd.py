"""Senate eFD: the report search for a date range, then each electronic PTR page (partition = filed day)."""

from __future__ import annotations

from datetime import date

from stockyard.models import DocStatus, ParsedDocument
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.sources.http import Fetched, NotFoundError, SourceError
from stockyard.sources.senate_efd.client import SenateEfdClient, public_url
from stockyard.sources.senate_efd.ptr_page import parse_ptr_page
from stockyard.warehouse.raw import load_documents

SOURCE = "senate_efd"
SEARCH = "search"
PAGES = "ptr_pages"


def fetch_reports(runtime: Runtime, start: date, end: date) -> StepReport:
    """Land the search listing for [start, end] and every PTR page it lists that is not landed."""
    report = StepReport()
    client = SenateEfdClient(runtime.http(SOURCE))
    window = f"{start.isoformat()}_{end.isoformat()}"

    def land_listing(offset: int, fetched: Fetched) -> None:
        runtime.land(SOURCE, SEARCH, window, f"offset-{offset}.json", fetched, report)

    try:
        refs = list(client.iter_reports(start, end, on_page=land_listing))
    except SourceError as exc:
        report.errors.append(str(exc))
        return report
    for ref in refs:
        partition = ref.filed_date.isoformat()
        name = f"{ref.report_id}.html"
        if ref.is_paper:
            # Paper filings are scanned images on eFD: recorded as needs_ocr, nothing to fetch.
            continue
        if runtime.landing.find(SOURCE, PAGES, partition, name) is not None:
            report.unchanged += 1
            continue
        try:
            fetched = client.ptr_page(ref.path)
        except NotFoundError:
            report.missing += 1
            continue
        except SourceError as exc:
            report.errors.append(str(exc))
            continue
        runtime.land(SOURCE, PAGES, partition, name, fetched, report)
    return report


def load_reports(runtime: Runtime, start: date, end: date) -> StepReport:
    """Parse and load every landed PTR page filed in [start, end], one partition per day."""
    report = StepReport()
    days = [
        p
        for p in runtime.landing.partitions(SOURCE, PAGES)
        if start.isoformat() <= p <= end.isoformat()
    ]
    with runtime.warehouse() as con:
        for day in days:
            documents: list[tuple[ParsedDocument, str]] = []
            for landed in runtime.landing.latest(SOURCE, PAGES, day):
                doc = parse_ptr_page(
                    runtime.landing.read(landed), landed.name.removesuffix(".html")
                )
                doc.source_url = public_url(doc.doc_id)
                if doc.status == DocStatus.ERROR:
                    report.errors.append(f"senate_efd {doc.doc_id}: {doc.error}")
                documents.append((doc, runtime.landing.uri(landed)))
            result = load_documents(
                con, source=SOURCE, dataset=PAGES, partition=day, documents=documents
            )
            report.count_load(result)
    return report
