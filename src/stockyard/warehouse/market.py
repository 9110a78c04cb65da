"""Market-data loaders: daily bars, ticker reference history and the trading calendar.

- ``load_daily_bars`` is idempotent per (source, dataset, partition) like the other raw loaders;
  a bar that cannot be a real day (high below low, a non-positive price, open or close outside
  the day's range) or a second bar for the same ticker-day is quarantined with its reason.
- ``merge_ticker_reference`` keeps history instead of replacing: a changed ticker closes its
  current row (``valid_to``) and opens a new one; a ticker missing from a *complete* fetch gets an
  inactive version; an empty, partial or older fetch never removes or blanks what we know.
- ``record_market_days`` upserts which days the market was open.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, date, datetime
from typing import Any, Final

import duckdb

from stockyard.models import QuarantineRecord
from stockyard.sources.polygon.parse import DailyBar, TickerRef
from stockyard.warehouse.bulk import Lineage, insert_rows
from stockyard.warehouse.db import transaction
from stockyard.warehouse.raw import LoadResult, log_load, quarantine_rows, replace_partition

SOURCE: Final = "polygon"
TICKERS_DATASET: Final = "tickers"
# What a reference row says about a ticker; a change in any of them is a new version.
TRACKED: Final[tuple[str, ...]] = (
    "name",
    "market",
    "type",
    "active",
    "primary_exchange",
    "cik",
    "composite_figi",
    "delisted_utc",
)


def _now() -> datetime:
    return datetime.now(UTC)


def bar_problem(bar: DailyBar) -> str | None:
    """Why a bar cannot be a real trading day, or None when it can."""
    prices = {"open": bar.open, "high": bar.high, "low": bar.low, "close": bar.close}
    bad = [name for name, value in prices.items() if not value > 0]  # catches NaN too
    if bad:
        return f"non-positive price ({', '.join(f'{n}={prices[n]}' for n in bad)})"
    if bar.high < bar.low:
        return f"high {bar.high} below low {bar.low}"
    if bar.high < max(bar.open, bar.close):
        return f"high {bar.high} below open/close {max(bar.open, bar.close)}"
    if bar.low > min(bar.open, bar.close):
        return f"low {bar.low} above open/close {min(bar.open, bar.close)}"
    if bar.volume is not None and bar.volume < 0:
        return f"negative volume {bar.volume}"
    return None


def _bar_reject(bar: DailyBar, dataset: str, reason: str) -> QuarantineRecord:
    return QuarantineRecord(
        source=SOURCE,
        dataset=dataset,
        reason=reason,
        record_ref=f"{bar.ticker} {bar.day.isoformat()}",
        payload=json.dumps(asdict(bar), default=str, sort_keys=True),
    )


def load_daily_bars(
    con: duckdb.DuckDBPyConnection,
    *,
    partition: str,
    bars: Sequence[DailyBar],
    landing_path: str | None,
    adjusted: bool,
    rejects: Sequence[QuarantineRecord] = (),
    dataset: str = "grouped_daily",
) -> LoadResult:
    """Load one partition of daily bars (a grouped-daily day, or one ticker's range) into
    ``raw.daily_bars``, replacing what an earlier load of the same partition wrote.

    Bars of other partitions for the same ticker-day stay: raw keeps every loaded version and
    ``fct_daily_bars`` takes the latest. Inside this load, the first bar of a ticker-day is kept.
    """
    lineage = Lineage(SOURCE, dataset, partition, _now())
    kept: list[tuple[Any, ...]] = []
    problems: list[QuarantineRecord] = list(rejects)
    seen: set[tuple[str, date]] = set()
    for bar in bars:
        ticker = bar.ticker.strip().upper()
        problem = bar_problem(bar)
        if problem is None and (ticker, bar.day) in seen:
            problem = "duplicate ticker-day in one load; the first bar was kept"
        if problem is not None:
            problems.append(_bar_reject(bar, dataset, problem))
            continue
        seen.add((ticker, bar.day))
        kept.append(
            (
                ticker,
                bar.day,
                bar.open,
                bar.high,
                bar.low,
                bar.close,
                bar.volume,
                bar.vwap,
                bar.transactions,
                adjusted,
            )
        )
    loaded, quarantined = replace_partition(
        con, "daily_bars", lineage, kept, problems, landing_path
    )
    return LoadResult(SOURCE, dataset, partition, loaded, quarantined)


# -- ticker reference ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TickerMergeResult:
    new: int  # tickers never seen before
    changed: int  # a tracked attribute changed: old version closed, new one opened
    unchanged: int
    closed: int  # missing from a complete fetch: an inactive version opened
    stale: int = 0  # the fetch is older than what we hold for the ticker: ignored
    duplicates: int = 0  # a ticker listed twice in one fetch: one copy kept, the rest quarantined


_REF_COLUMNS: Final = (
    "ticker",
    "name",
    "market",
    "type",
    "active",
    "primary_exchange",
    "cik",
    "composite_figi",
    "delisted_utc",
    "last_updated",
)


def _current_reference(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[TickerRef, datetime]]:
    rows = con.execute(
        f"SELECT {', '.join(_REF_COLUMNS)}, valid_from FROM raw.ticker_reference WHERE is_current"
    ).fetchall()
    return {row[0]: (TickerRef(*row[:-1]), row[-1]) for row in rows}


def _merged(known: TickerRef, fetched: TickerRef) -> TickerRef:
    """The fetched ticker with every field it left empty taken from what we know."""
    filled = {
        f.name: getattr(known, f.name)
        for f in fields(TickerRef)
        if getattr(fetched, f.name) is None and getattr(known, f.name) is not None
    }
    return replace(fetched, **filled)


def _differs(a: TickerRef, b: TickerRef) -> bool:
    return any(getattr(a, name) != getattr(b, name) for name in TRACKED)


def _unique_refs(
    refs: Sequence[TickerRef],
) -> tuple[dict[str, TickerRef], list[TickerRef]]:
    """One ref per ticker: an active listing over an inactive one, then the latest update."""
    chosen: dict[str, TickerRef] = {}
    dropped: list[TickerRef] = []
    floor = datetime.min.replace(tzinfo=UTC)
    for ref in refs:
        ticker = ref.ticker.strip().upper()
        ref = replace(ref, ticker=ticker)
        held = chosen.get(ticker)
        if held is None:
            chosen[ticker] = ref
            continue
        rank_new = (ref.active is True, ref.last_updated or floor)
        rank_held = (held.active is True, held.last_updated or floor)
        if rank_new > rank_held:
            chosen[ticker], ref = ref, held
        dropped.append(ref)
    return chosen, dropped


def _ref_row(ref: TickerRef, valid_from: datetime) -> tuple[Any, ...]:
    return (*(getattr(ref, c) for c in _REF_COLUMNS), valid_from, None, True)


def merge_ticker_reference(
    con: duckdb.DuckDBPyConnection,
    refs: Sequence[TickerRef],
    *,
    fetched_at: datetime,
    complete: bool,
    landing_path: str | None,
) -> TickerMergeResult:
    """Merge one reference fetch into ``raw.ticker_reference`` (history, never deleted).

    ``complete`` says the fetch listed every ticker (all pages read): only then does a ticker
    missing from it get an inactive version. An empty fetch changes nothing, complete or not.
    """
    fetched_at = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=UTC)
    incoming, duplicates = _unique_refs(refs)
    lineage = Lineage(SOURCE, TICKERS_DATASET, fetched_at.isoformat(), _now())
    known = _current_reference(con)
    opened: list[tuple[Any, ...]] = []
    closing: list[str] = []
    new = changed = unchanged = closed = stale = 0
    for ticker, ref in sorted(incoming.items()):
        held = known.get(ticker)
        if held is None:
            opened.append(_ref_row(ref, fetched_at))
            new += 1
            continue
        current, valid_from = held
        merged = _merged(current, ref)
        if not _differs(current, merged):
            unchanged += 1
        elif fetched_at <= valid_from:
            # An older (or same-instant) fetch cannot override what a newer one established.
            stale += 1
        else:
            closing.append(ticker)
            opened.append(_ref_row(merged, fetched_at))
            changed += 1
    if complete and incoming:
        for ticker, (current, valid_from) in sorted(known.items()):
            if ticker in incoming or current.active is False or fetched_at <= valid_from:
                continue
            closing.append(ticker)
            opened.append(_ref_row(replace(current, active=False), fetched_at))
            closed += 1
    rejects = [
        QuarantineRecord(
            source=SOURCE,
            dataset=TICKERS_DATASET,
            reason="ticker listed twice in one fetch; the active or latest-updated copy was kept",
            landing_path=landing_path,
            record_ref=ref.ticker,
            payload=json.dumps(asdict(ref), default=str, sort_keys=True),
        )
        for ref in duplicates
    ]
    quarantine = quarantine_rows(
        rejects, partition=lineage.partition, at=lineage.loaded_at, landing_path=landing_path
    )
    with transaction(con):
        if closing:
            con.execute(
                """UPDATE raw.ticker_reference SET valid_to = ?, is_current = false
                   WHERE is_current AND ticker IN (SELECT unnest(?::VARCHAR[]))""",
                [fetched_at, closing],
            )
        insert_rows(con, "ticker_reference", opened, lineage=lineage, landing_paths=landing_path)
        insert_rows(con, "quarantine", quarantine, lineage=lineage, landing_paths=landing_path)
        log_load(
            con,
            lineage,
            rows=len(opened),
            quarantined=len(quarantine),
            landing_paths=[landing_path],
        )
    return TickerMergeResult(new, changed, unchanged, closed, stale, len(duplicates))


# -- trading calendar ----------------------------------------------------------------------------
def record_market_days(con: duckdb.DuckDBPyConnection, days: Mapping[date, bool]) -> None:
    """Record whether the market was open on each day; a day recorded again is replaced."""
    if not days:
        return
    recorded_at = _now()
    ordered = sorted(days.items())
    rows = [(day, bool(is_open), recorded_at) for day, is_open in ordered]
    span = f"{ordered[0][0].isoformat()}..{ordered[-1][0].isoformat()}"
    lineage = Lineage(SOURCE, "market_days", span, recorded_at)
    with transaction(con):
        con.execute(
            "DELETE FROM raw.market_days WHERE day IN (SELECT unnest(?::DATE[]))",
            [[day for day, _ in ordered]],
        )
        insert_rows(con, "market_days", rows, lineage=lineage, landing_paths=None)
