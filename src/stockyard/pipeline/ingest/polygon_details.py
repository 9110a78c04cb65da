"""Polygon ticker details for the most-traded tickers still without them: land, store.

One call per ticker at Polygon's rate (five a minute on a free key), so a run asks about at most
``market.ticker_details_per_run`` tickers; the rest follow on later runs. A 404 is an answer
(the ticker has no details) and is stored; a malformed answer is quarantined with its reason and
asked again next run; a failed call stops nothing but that ticker.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import structlog

from stockyard.models import QuarantineRecord
from stockyard.pipeline.ingest.polygon import SOURCE, client_for
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.sources.http import NotFoundError, SourceError
from stockyard.sources.polygon.parse import PolygonFormatError, TickerDetails, parse_ticker_details
from stockyard.warehouse.raw import load_quarantine
from stockyard.warehouse.ticker_details import (
    DATASET,
    store_ticker_details,
    tickers_wanting_details,
)

log = structlog.get_logger("stockyard.pipeline.polygon")


def refresh_ticker_details(runtime: Runtime) -> StepReport:
    report = StepReport()
    market = runtime.settings.market
    now = datetime.now(UTC)
    partition = now.date().isoformat()
    with runtime.warehouse() as con:
        wanted = tickers_wanting_details(
            con,
            limit=market.ticker_details_per_run,
            refresh_after_days=market.ticker_details_refresh_days,
            now=now,
        )
    client = client_for(runtime)
    found: list[tuple[TickerDetails, str | None]] = []
    not_found: list[str] = []
    rejects: list[QuarantineRecord] = []
    for ticker in wanted:
        try:
            fetched = client.ticker_details(ticker)
        except NotFoundError:
            not_found.append(ticker)
            report.missing += 1
            continue
        except SourceError as exc:
            report.errors.append(
                f"polygon ticker details for {ticker}: {exc}; asked again next run"
            )
            continue
        landed = runtime.land(SOURCE, DATASET, partition, f"{ticker}.json", fetched, report)
        path = runtime.landing.uri(landed)
        try:
            details = parse_ticker_details(fetched.content)
        except PolygonFormatError as exc:
            rejects.append(
                QuarantineRecord(SOURCE, DATASET, str(exc), landing_path=path, record_ref=ticker)
            )
            continue
        # Keyed by the ticker asked about, which is the one trades carry.
        found.append((replace(details, ticker=ticker), path))
    with runtime.warehouse() as con:
        report.loaded_rows += store_ticker_details(con, found, not_found, fetched_at=now)
        if rejects:
            load_quarantine(
                con, source=SOURCE, dataset=DATASET, partition=partition, records=rejects
            )
    report.quarantined += len(rejects)
    log.info(
        "polygon ticker details",
        asked=len(wanted),
        found=len(found),
        not_found=len(not_found),
        rejected=len(rejects),
    )
    return report
