"""Treasury Fiscal Data: fetch a record_date window per dataset, land every page, load it whole.

Incremental by record_date: a run asks for [newest loaded record_date − LOOKBACK_DAYS, today]
(from HISTORY_START on a fresh warehouse), so the Treasury's corrections of recent statements
replace what we had. A window loads only once all its pages arrived and agree: a date split across
a page boundary must never be replaced by half of its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from stockyard.landing import LandedFile
from stockyard.models import QuarantineRecord
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.sources.http import SourceError
from stockyard.sources.treasury import (
    DATASETS,
    TreasuryClient,
    TreasuryDataset,
    TreasuryFormatError,
    TreasuryRow,
    Window,
    parse_envelope,
)
from stockyard.sources.treasury.client import PAGE_SIZE
from stockyard.warehouse.raw import load_quarantine
from stockyard.warehouse.treasury import latest_record_date, load_treasury_rows

SOURCE = "treasury"
# The macro marts start in 2020 (the overlap of trades, prices and Treasury data we follow).
HISTORY_START = date(2020, 1, 1)
# Days before the watermark fetched again: DTS corrections land within days of a statement.
LOOKBACK_DAYS = 7


@dataclass(frozen=True, slots=True)
class DatasetRun:
    dataset: TreasuryDataset
    window: Window
    report: StepReport
    watermark: date | None  # newest record_date loaded after the run


def next_window(rt: Runtime, ds: TreasuryDataset, today: date) -> Window:
    with rt.warehouse() as con:
        watermark = latest_record_date(con, ds.raw_table)
    if watermark is None:
        return Window(HISTORY_START, max(today, HISTORY_START))
    start = max(HISTORY_START, watermark - timedelta(days=LOOKBACK_DAYS))
    return Window(start, max(today, start))


def fetch_window(
    rt: Runtime, ds: TreasuryDataset, window: Window, page_size: int = PAGE_SIZE
) -> tuple[StepReport, list[LandedFile] | None]:
    """Land every page of the window; None (and the error in the report) if any page failed."""
    report = StepReport()
    client = TreasuryClient(rt.http(SOURCE), page_size=page_size)
    pages: list[LandedFile] = []
    try:
        for page in client.iter_pages(ds, window):
            name = f"page-{page.number:04d}.json"
            pages.append(rt.land(SOURCE, ds.name, window.key, name, page.fetched, report))
    except SourceError as exc:
        report.errors.append(f"{exc}; nothing of {window.key} was loaded, run again")
        return report, None
    return report, pages


def load_window(
    rt: Runtime, ds: TreasuryDataset, window: Window, pages: list[LandedFile]
) -> StepReport:
    """Parse the landed pages and load the window's rows in one transaction."""
    report = StepReport()
    rows: list[tuple[TreasuryRow, str]] = []
    rejects: list[QuarantineRecord] = []
    for landed in pages:
        path = rt.landing.uri(landed)
        try:
            envelope = parse_envelope(rt.landing.read(landed))
            ds.check_types(envelope.data_types)
        except TreasuryFormatError as exc:
            # One unreadable page makes the window incomplete: keep what is loaded, say why.
            with rt.warehouse() as con:
                result = load_quarantine(
                    con,
                    source=SOURCE,
                    dataset=f"{ds.name}_pages",
                    partition=window.key,
                    records=[QuarantineRecord(SOURCE, ds.name, str(exc), path, landed.name)],
                )
            report.count_load(result)
            report.errors.append(f"{exc}; {window.key} not loaded")
            return report
        rows += [(row, path) for row in envelope.rows]
        rejects += [
            QuarantineRecord(
                SOURCE, ds.name, r.reason, path, f"{landed.name} row {r.index}", r.payload
            )
            for r in envelope.rejects
        ]
    with rt.warehouse() as con:
        result = load_treasury_rows(
            con,
            table=ds.raw_table,
            dataset=ds.name,
            partition=window.key,
            rows=rows,
            rejects=rejects,
        )
    report.count_load(result)
    return report


def run_dataset(
    rt: Runtime,
    ds: TreasuryDataset,
    *,
    today: date,
    window: Window | None = None,
    page_size: int = PAGE_SIZE,
) -> DatasetRun:
    """Fetch and load one dataset's next window (or the window given)."""
    window = window or next_window(rt, ds, today)
    report, pages = fetch_window(rt, ds, window, page_size)
    if pages is not None:
        report.absorb(load_window(rt, ds, window, pages))
    with rt.warehouse() as con:
        watermark = latest_record_date(con, ds.raw_table)
    return DatasetRun(ds, window, report, watermark)


__all__ = ["DATASETS", "HISTORY_START", "LOOKBACK_DAYS", "DatasetRun", "run_dataset"]
