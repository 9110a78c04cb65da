"""Polygon's ticker reference: page through active and delisted tickers, land, merge as history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import duckdb
import structlog

from stockyard.models import QuarantineRecord
from stockyard.pipeline.ingest.polygon import SOURCE, TICKERS, client_for, with_landing_path
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.sources.http import NotFoundError, SourceError
from stockyard.sources.polygon.parse import PolygonFormatError, TickerRef, parse_tickers_page
from stockyard.warehouse.market import merge_ticker_reference
from stockyard.warehouse.raw import load_quarantine

log = structlog.get_logger("stockyard.pipeline.polygon")


def refresh_tickers(runtime: Runtime, snapshot: str | None = None) -> StepReport:
    """Page through active and delisted tickers, land each page, merge into the reference.

    ``complete`` is claimed only when every page of both listings arrived and parsed: a failed,
    empty or partial listing adds and updates what it saw and never retires a known ticker.
    """
    report = StepReport()
    client = client_for(runtime)
    fetched_at = datetime.now(UTC)
    partition = snapshot or fetched_at.date().isoformat()
    refs: list[TickerRef] = []
    rejects: list[QuarantineRecord] = []
    complete = True
    last_path: str | None = None
    for active in (True, False):
        pages = 0
        try:
            for number, page in enumerate(client.iter_ticker_pages(active=active)):
                name = f"active-{str(active).lower()}-page-{number}.json"
                landed = runtime.land(SOURCE, TICKERS, partition, name, page, report)
                last_path = runtime.landing.uri(landed)
                parsed = parse_tickers_page(page.content)
                refs += parsed.results
                rejects += [with_landing_path(r, last_path) for r in parsed.rejects]
                pages += 1
        except NotFoundError:
            # No listing at this base URL (the offline sample ships none): nothing to merge.
            complete = False
            report.missing += 1
        except (SourceError, PolygonFormatError) as exc:
            complete = False
            report.errors.append(
                f"polygon tickers (active={str(active).lower()}), after {pages} page(s): {exc}. "
                "Known tickers were kept; the next run fetches the listing again."
            )
    if not refs:
        complete = False
    with runtime.warehouse() as con:
        merged = merge_ticker_reference(
            con, refs, fetched_at=fetched_at, complete=complete, landing_path=last_path
        )
        if rejects:
            _quarantine(con, rejects, partition)
    report.loaded_documents += merged.new + merged.changed + merged.closed
    report.loaded_rows += len(refs)
    report.quarantined += len(rejects) + merged.duplicates
    log.info(
        "polygon tickers merged",
        complete=complete,
        new=merged.new,
        changed=merged.changed,
        closed=merged.closed,
    )
    return report


def _quarantine(
    con: duckdb.DuckDBPyConnection, rejects: Iterable[QuarantineRecord], partition: str
) -> None:
    """Ticker rows the parser could not read, kept with their reason (their own dataset, so the
    reference merge's own quarantine rows are not replaced)."""
    load_quarantine(
        con, source=SOURCE, dataset="ticker_rows", partition=partition, records=list(rejects)
    )
