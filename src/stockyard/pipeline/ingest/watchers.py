"""Community aggregates (House and Senate stock watchers): history, reconciled in dbt, never double-counted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.sources.http import Fetched, HttpClient, SourceError
from stockyard.sources.watchers.client import HouseWatcherClient, SenateWatcherClient
from stockyard.sources.watchers.house import parse_house_watcher
from stockyard.sources.watchers.records import WatcherParse
from stockyard.sources.watchers.senate import parse_senate_watcher
from stockyard.warehouse.raw import load_documents


@dataclass(frozen=True)
class Aggregate:
    source: str
    dataset: str
    name: str
    fetch: Callable[[HttpClient], Fetched]
    parse: Callable[[bytes], WatcherParse]


HOUSE = Aggregate(
    "house_watcher",
    "all_transactions",
    "all_transactions.json",
    lambda http: HouseWatcherClient(http).all_transactions(),
    parse_house_watcher,
)
SENATE = Aggregate(
    "senate_watcher",
    "all_daily_summaries",
    "all_daily_summaries.json",
    lambda http: SenateWatcherClient(http).all_daily_summaries(),
    parse_senate_watcher,
)


def fetch_aggregate(runtime: Runtime, agg: Aggregate, partition: str) -> StepReport:
    report = StepReport()
    try:
        fetched = agg.fetch(runtime.http(agg.source))
    except SourceError as exc:
        report.errors.append(str(exc))
        return report
    runtime.land(agg.source, agg.dataset, partition, agg.name, fetched, report)
    return report


def load_aggregate(runtime: Runtime, agg: Aggregate) -> StepReport:
    """Load the newest landed snapshot; the partition in the warehouse is always "snapshot"."""
    report = StepReport()
    partitions = runtime.landing.partitions(agg.source, agg.dataset)
    if not partitions:
        report.errors.append(f"{agg.source}: nothing landed yet; fetch first")
        return report
    landed = runtime.landing.find(agg.source, agg.dataset, partitions[-1], agg.name)
    if landed is None:
        report.errors.append(f"{agg.source}: {agg.name} missing from {partitions[-1]}")
        return report
    path = runtime.landing.uri(landed)
    try:
        parsed = agg.parse(runtime.landing.read(landed))
    except ValueError as exc:
        report.errors.append(f"{agg.source}: unreadable snapshot {path}: {exc}")
        return report
    rejects = [r.__class__(**{**r.as_dict(), "landing_path": path}) for r in parsed.rejects]
    with runtime.warehouse() as con:
        result = load_documents(
            con,
            source=agg.source,
            dataset=agg.dataset,
            partition="snapshot",
            documents=[(doc, path) for doc in parsed.documents],
            rejects=rejects,
        )
    report.count_load(result)
    return report
