"""Polygon prices and ticker reference: plan → fetch → land → parse → load.

Landing layout (source ``polygon``):

- ``grouped_daily/<day>/bars.json``: one grouped-daily answer (every US stock that day);
- ``range_bars/<TICKER>/<from>_<to>.json``: one ticker's range answer (``…_<to>.unadjusted.json``
  for an unadjusted one: both are kept, loaded with their flag, and never replace each other);
- ``tickers/<snapshot day>/active-<true|false>-page-<n>.json``: reference pages
  (`stockyard.pipeline.ingest.polygon_tickers`).

An answer that is not usable Polygon JSON is still landed (under ``…rejected.json``) so it can be
inspected, but it does not count as landed data: the planner asks for that day again next run.
An empty grouped answer for a day less than `SETTLE_DAYS` old is landed as ``bars.pending.json``
(it may only be early) and asked for again. Every other landed answer, an empty holiday answer
included, is never fetched again.
"""

from __future__ import annotations

from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import parse_qsl, urlsplit

import duckdb
import structlog

from stockyard.landing import LandedFile
from stockyard.models import QuarantineRecord
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.sources.http import Fetched, SourceError
from stockyard.sources.polygon.calendar import TradingCalendar
from stockyard.sources.polygon.client import PolygonClient
from stockyard.sources.polygon.parse import (
    NEW_YORK,
    DailyBar,
    PolygonFormatError,
    parse_grouped_daily,
    parse_range_bars,
)
from stockyard.sources.polygon.plan import FetchPlan, PlannedCall, plan_prices
from stockyard.warehouse.market import load_daily_bars, record_market_days
from stockyard.warehouse.market_reads import loaded_landings, market_days

log = structlog.get_logger("stockyard.pipeline.polygon")

SOURCE = "polygon"
GROUPED = "grouped_daily"
RANGE = "range_bars"
TICKERS = "tickers"
GROUPED_NAME = "bars.json"
REJECTED_SUFFIX = ".rejected.json"
UNADJUSTED_SUFFIX = ".unadjusted.json"
PENDING_NAME = "bars.pending.json"
FETCH_WORKERS = 4
# An empty grouped answer for a day younger than this may only be early (see `_check`).
SETTLE_DAYS = 4
MISSING_KEY = (
    "polygon: no API key, so nothing was fetched from Polygon. Set STOCKYARD_POLYGON__API_KEY "
    "(a free key allows 5 calls a minute) and run again."
)


def enabled(runtime: Runtime) -> bool:
    key = runtime.settings.polygon.api_key
    return key is not None and bool(key.get_secret_value())


def new_york_today() -> date:
    return datetime.now(NEW_YORK).date()


def client_for(runtime: Runtime) -> PolygonClient:
    key = runtime.settings.polygon.api_key
    if key is None or not key.get_secret_value():
        raise ValueError(MISSING_KEY)
    return PolygonClient(runtime.http(SOURCE), key)


# -- what is already landed ------------------------------------------------------------------------
@dataclass(frozen=True)
class Coverage:
    days: set[date]  # grouped-daily answers landed and readable
    ranges: dict[str, list[tuple[date, date]]]  # ticker → landed, readable range spans


def range_file_name(start: date, end: date, *, adjusted: bool = True) -> str:
    return f"{start.isoformat()}_{end.isoformat()}" + (".json" if adjusted else UNADJUSTED_SUFFIX)


def _span(name: str, *, adjusted_only: bool = False) -> tuple[date, date] | None:
    """The (from, to) of a readable range file's name; None for rejected (or unadjusted) ones."""
    if name.endswith(REJECTED_SUFFIX) or not name.endswith(".json"):
        return None
    if name.endswith(UNADJUSTED_SUFFIX):
        if adjusted_only:
            return None
        name = name.removesuffix(UNADJUSTED_SUFFIX) + ".json"
    first, _, last = name.removesuffix(".json").partition("_")
    try:
        return date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        return None


def _in_range(day: str, start: date, end: date) -> bool:
    return start.isoformat() <= day <= end.isoformat()


def landed_coverage(
    runtime: Runtime, start: date, end: date, tickers: Collection[str] | None = None
) -> Coverage:
    """What earlier runs landed for [start, end]; ``tickers`` limits the range partitions read."""
    zone = runtime.landing
    days = {
        date.fromisoformat(partition)
        for partition in zone.partitions(SOURCE, GROUPED)
        if _in_range(partition, start, end)
        and zone.find(SOURCE, GROUPED, partition, GROUPED_NAME) is not None
    }
    wanted = None if tickers is None else {t.upper() for t in tickers}
    ranges: dict[str, list[tuple[date, date]]] = {}
    for ticker in zone.partitions(SOURCE, RANGE):
        if wanted is not None and ticker not in wanted:
            continue
        # Only adjusted answers cover what the planner fetches (adjusted bars).
        files = zone.latest(SOURCE, RANGE, ticker)
        spans = [span for f in files if (span := _span(f.name, adjusted_only=True))]
        if spans:
            ranges[ticker] = spans
    return Coverage(days, ranges)


def calendar(runtime: Runtime) -> TradingCalendar:
    """NYSE rules plus the days earlier answers showed open or closed."""
    with runtime.warehouse() as con:
        opened, closed = market_days(con)
    return TradingCalendar(known_closed=closed, known_open=opened)


def plan(
    runtime: Runtime,
    start: date,
    end: date,
    tickers: Collection[str] | None,
    *,
    today: date | None = None,
    universe_size: int = 0,
    trading_calendar: TradingCalendar | None = None,
) -> FetchPlan:
    """The calls `fetch_bars` would make; ``trading_calendar`` saves opening the warehouse."""
    cfg = runtime.settings.polygon
    coverage = landed_coverage(runtime, start, end, tickers)
    return plan_prices(
        start,
        end,
        tickers=tickers,
        calendar=trading_calendar or calendar(runtime),
        today=today or new_york_today(),
        rate_per_second=cfg.rate_per_second,
        burst=cfg.burst,
        landed_days=coverage.days,
        landed_ranges=coverage.ranges,
        universe_size=universe_size,
    )


# -- fetch ---------------------------------------------------------------------------------------
def _request(client: PolygonClient, call: PlannedCall) -> Fetched:
    if call.kind == "grouped_daily":
        return client.grouped_daily(call.start)
    return client.range_bars(call.ticker or "", call.start, call.end)


def _landing_place(call: PlannedCall, *, readable: bool) -> tuple[str, str, str]:
    """(dataset, partition, name) of a call's answer; unreadable ones get a `.rejected` name."""
    suffix = ".json" if readable else REJECTED_SUFFIX
    if call.kind == "grouped_daily":
        return GROUPED, call.start.isoformat(), GROUPED_NAME.removesuffix(".json") + suffix
    if readable:
        return RANGE, call.ticker or "", range_file_name(call.start, call.end)
    return RANGE, call.ticker or "", f"{call.start.isoformat()}_{call.end.isoformat()}{suffix}"


def _check(call: PlannedCall, fetched: Fetched, today: date) -> bool:
    """Parse once before landing, so an unreadable answer never counts as landed data.

    Returns False for an answer that is readable but may be premature: no bars at all for a
    recent day. Grouped bars of a day can lag its close; landed as data, that empty day would
    never be asked for again, so it waits (`PENDING_NAME`) until it is `SETTLE_DAYS` old.
    """
    if call.kind != "grouped_daily":
        parse_range_bars(fetched.content, call.ticker or "")
        return True
    bars = parse_grouped_daily(fetched.content, expect_day=call.start).records
    return bool(bars) or (today - call.start).days > SETTLE_DAYS


def _answer(client: PolygonClient, call: PlannedCall) -> Fetched | SourceError:
    try:
        return _request(client, call)
    except SourceError as exc:
        return exc


def fetch_bars(
    runtime: Runtime,
    start: date,
    end: date,
    tickers: Collection[str] | None = None,
    *,
    today: date | None = None,
) -> tuple[StepReport, FetchPlan]:
    """Fetch and land what the plan asks for; one failed call never stops the others.

    A few requests are in flight at once: the shared client's token bucket still paces them to
    the configured rate, so this only helps when the source answers slower than the limit allows
    (a paid tier, the replay server). Answers are landed in plan order, on this thread.
    """
    report = StepReport()
    today = today or new_york_today()
    fetch_plan = plan(runtime, start, end, tickers, today=today)
    if not fetch_plan.calls:
        return report, fetch_plan
    client = client_for(runtime)
    with ThreadPoolExecutor(FETCH_WORKERS, thread_name_prefix="polygon") as pool:
        answers = pool.map(lambda call: _answer(client, call), fetch_plan.calls)
        for call, answer in zip(fetch_plan.calls, answers, strict=True):
            if isinstance(answer, SourceError):
                report.errors.append(f"{call.describe()}: {answer}")
                continue
            try:
                settled = _check(call, answer, today)
            except PolygonFormatError as exc:
                dataset, partition, name = _landing_place(call, readable=False)
                runtime.land(SOURCE, dataset, partition, name, answer, report)
                report.errors.append(
                    f"{call.describe()}: {exc}. Kept as {dataset}/{partition}/{name}; "
                    "the next run asks for it again."
                )
                continue
            dataset, partition, name = _landing_place(call, readable=True)
            if not settled:
                name = PENDING_NAME
                log.info(
                    "polygon: no bars yet for a recent day; asking again next run", day=partition
                )
            runtime.land(SOURCE, dataset, partition, name, answer, report)
    log.info("polygon bars fetched", calls=fetch_plan.count, errors=len(report.errors))
    return report, fetch_plan


# -- load ----------------------------------------------------------------------------------------
def _adjusted(landed: LandedFile) -> bool:
    query = dict(parse_qsl(urlsplit(landed.url).query))
    return query.get("adjusted", "true").lower() != "false"


def load_bars(runtime: Runtime, start: date, end: date) -> StepReport:
    """Load every landed grouped day in [start, end] and every landed range that overlaps it.

    A partition whose latest load read exactly the files landed now is skipped (landed files
    never change), so re-running a range costs only what is new.
    """
    report = StepReport()
    zone = runtime.landing
    learned: dict[date, bool] = {}
    days = [p for p in zone.partitions(SOURCE, GROUPED) if _in_range(p, start, end)]
    with runtime.warehouse() as con:
        loaded = loaded_landings(con, SOURCE, GROUPED)
        for day in days:
            landed = zone.find(SOURCE, GROUPED, day, GROUPED_NAME)
            if landed is None:
                continue
            path = zone.uri(landed)
            if loaded.get(day) == {path}:
                report.unchanged += 1
                continue
            try:
                parsed = parse_grouped_daily(zone.read(landed), expect_day=date.fromisoformat(day))
            except PolygonFormatError as exc:
                report.errors.append(f"grouped daily {day}: {exc} ({path})")
                continue
            learned[date.fromisoformat(day)] = bool(parsed.records)
            result = load_daily_bars(
                con,
                partition=day,
                bars=parsed.records,
                landing_path=path,
                adjusted=_adjusted(landed),
                rejects=parsed.rejects,
                dataset=GROUPED,
            )
            report.count_load(result)
        for ticker in zone.partitions(SOURCE, RANGE):
            files = [
                f
                for f in zone.latest(SOURCE, RANGE, ticker)
                if (span := _span(f.name)) and span[0] <= end and span[1] >= start
            ]
            if files:
                report.absorb(_load_ticker_ranges(runtime, con, ticker))
        record_market_days(con, learned)
    return report


def _load_ticker_ranges(
    runtime: Runtime, con: duckdb.DuckDBPyConnection, ticker: str
) -> StepReport:
    """One ticker's partition: every landed range merged, the latest fetch winning per day."""
    report = StepReport()
    zone = runtime.landing
    by_day: dict[tuple[date, bool], DailyBar] = {}
    rejects: list[QuarantineRecord] = []
    paths: list[str] = []
    adjusted_flags: set[bool] = set()
    landed = sorted(
        (f for f in zone.latest(SOURCE, RANGE, ticker) if _span(f.name)),
        key=lambda f: f.fetched_at,
    )
    for file in landed:
        path = zone.uri(file)
        try:
            parsed = parse_range_bars(zone.read(file), ticker)
        except PolygonFormatError as exc:
            report.errors.append(f"range bars {ticker}: {exc} ({path})")
            continue
        adjusted = _adjusted(file)
        adjusted_flags.add(adjusted)
        paths.append(path)
        rejects += [with_landing_path(r, path) for r in parsed.rejects]
        for bar in parsed.records:
            by_day[(bar.day, adjusted)] = bar
    if not paths:
        return report
    for adjusted in sorted(adjusted_flags, reverse=True):
        bars = [bar for (day, flag), bar in sorted(by_day.items()) if flag == adjusted]
        result = load_daily_bars(
            con,
            partition=ticker if adjusted else f"{ticker}:unadjusted",
            bars=bars,
            landing_path=paths[-1],
            adjusted=adjusted,
            rejects=rejects if adjusted == max(adjusted_flags) else (),
            dataset=RANGE,
        )
        report.count_load(result)
    return report


def with_landing_path(record: QuarantineRecord, path: str) -> QuarantineRecord:
    return QuarantineRecord(
        source=record.source,
        dataset=record.dataset,
        reason=record.reason,
        landing_path=record.landing_path or path,
        record_ref=record.record_ref,
        payload=record.payload,
    )
