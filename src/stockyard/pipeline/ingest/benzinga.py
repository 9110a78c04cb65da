"""Benzinga government trades (optional paid vendor): pages per day, reconciled with the documents in dbt."""

from __future__ import annotations

from datetime import date

from stockyard.models import ParsedDocument, QuarantineRecord
from stockyard.pipeline.partitions import each_day
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.sources.benzinga.client import BenzingaClient
from stockyard.sources.benzinga.trades import BenzingaFormatError, parse_trades
from stockyard.sources.http import SourceError
from stockyard.warehouse.raw import load_documents

SOURCE = "benzinga"
DATASET = "congress_trades"


def enabled(runtime: Runtime) -> bool:
    cfg = runtime.settings.benzinga
    return runtime.settings.benzinga_enabled and cfg.api_key is not None


def fetch_days(runtime: Runtime, start: date, end: date) -> StepReport:
    report = StepReport()
    key = runtime.settings.benzinga.api_key
    if not enabled(runtime) or key is None:
        return report
    client = BenzingaClient(runtime.http(SOURCE), key)
    for day in each_day(start, end):
        try:
            for number, page in enumerate(client.iter_pages(day)):
                runtime.land(SOURCE, DATASET, day.isoformat(), f"page-{number}.json", page, report)
        except SourceError as exc:
            report.errors.append(str(exc))
    return report


def load_days(runtime: Runtime, start: date, end: date) -> tuple[StepReport, int | None]:
    """Load every landed day in range; returns the newest `updated` epoch seen (the watermark)."""
    report = StepReport()
    watermark: int | None = None
    days = [
        p
        for p in runtime.landing.partitions(SOURCE, DATASET)
        if start.isoformat() <= p <= end.isoformat()
    ]
    with runtime.warehouse() as con:
        for day in days:
            documents: list[tuple[ParsedDocument, str]] = []
            rejects: list[QuarantineRecord] = []
            for landed in runtime.landing.latest(SOURCE, DATASET, day):
                path = runtime.landing.uri(landed)
                try:
                    parsed = parse_trades(runtime.landing.read(landed))
                except BenzingaFormatError as exc:
                    rejects.append(
                        QuarantineRecord(SOURCE, DATASET, f"unreadable page: {exc}", path)
                    )
                    continue
                documents += [(doc, path) for doc in parsed.documents]
                rejects += parsed.rejects
                if parsed.max_updated is not None:
                    watermark = max(watermark or 0, parsed.max_updated)
            result = load_documents(
                con,
                source=SOURCE,
                dataset=DATASET,
                partition=day,
                documents=documents,
                rejects=rejects,
            )
            report.count_load(result)
    return report, watermark
