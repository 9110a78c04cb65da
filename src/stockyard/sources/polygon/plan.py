"""Plan the fewest Polygon calls that cover a date range for a set of tickers.

Three ways to get a (ticker, day) bar, and what each costs:

- already landed: nothing. A landed grouped-daily answer covers every ticker of its day; a landed
  range answer covers its ticker on the trading days of its range.
- grouped daily: 1 call per trading day, every US stock of that day.
- range bars: 1 call per ticker for any span of days (Polygon returns up to 50,000 bars).

Weekends and exchange holidays (`TradingCalendar`) cost nothing in any case, and so do days that
have not finished yet (today and later in New York: their bars do not exist yet).

Choosing the cheapest mix is a minimum vertex cover in the bipartite graph whose edges are the
missing (day, ticker) pairs: pick a set of days (grouped calls) and a set of tickers (range calls)
so that every missing pair touches one of them. By König's theorem its size equals the maximum
matching, found with Hopcroft–Karp; the cover is read off the alternating-path search. Days are
the graph's left side, so on a tie the cover prefers grouped days (they serve every ticker, and
later requests for other tickers reuse them). With no ticker set ("all tickers") only grouped
calls can cover the market, so every missing trading day gets one.

``naive_calls`` is what the seed would spend on the same request: one ``/v1/open-close`` call per
ticker per trading day in [start, end] (weekends and holidays excluded, already-landed data
ignored, since the seed kept no record). With no ticker set the caller passes ``universe_size``
(the number of tickers in the market, e.g. from the ticker reference) to price the same request.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from stockyard.sources.polygon.calendar import TradingCalendar

CallKind = Literal["grouped_daily", "range_bars"]


@dataclass(frozen=True, slots=True, order=True)
class PlannedCall:
    kind: CallKind
    start: date
    end: date  # == start for a grouped-daily call
    ticker: str | None = None  # None for a grouped-daily call

    def describe(self) -> str:
        if self.kind == "grouped_daily":
            return f"grouped daily {self.start.isoformat()}"
        return f"range bars {self.ticker} {self.start.isoformat()}..{self.end.isoformat()}"


@dataclass(frozen=True, slots=True)
class FetchPlan:
    start: date
    end: date
    calls: tuple[PlannedCall, ...]
    naive_calls: int
    trading_days: int  # in [start, end], finished ones only
    tickers: int | None  # None: the whole market
    already_landed_days: int  # trading days every requested ticker already has
    rate_per_second: float
    burst: int
    notes: tuple[str, ...] = field(default=())

    @property
    def count(self) -> int:
        return len(self.calls)

    @property
    def grouped_calls(self) -> int:
        return sum(1 for call in self.calls if call.kind == "grouped_daily")

    @property
    def range_calls(self) -> int:
        return sum(1 for call in self.calls if call.kind == "range_bars")

    @property
    def seconds_at_limit(self) -> float:
        return seconds_at_limit(self.count, self.rate_per_second, self.burst)

    @property
    def naive_seconds_at_limit(self) -> float:
        return seconds_at_limit(self.naive_calls, self.rate_per_second, self.burst)

    def summary(self) -> dict[str, int | float]:
        """The dry-run's JSON: exactly calls, naive_calls and seconds_at_limit."""
        return {
            "calls": self.count,
            "naive_calls": self.naive_calls,
            "seconds_at_limit": round(self.seconds_at_limit, 1),
        }


def seconds_at_limit(calls: int, rate_per_second: float, burst: int) -> float:
    """Wall time of ``calls`` through a token bucket that starts full: the burst goes at once."""
    if rate_per_second <= 0:
        raise ValueError("rate_per_second must be > 0")
    return max(0, calls - max(burst, 0)) / rate_per_second


def plan_prices(
    start: date,
    end: date,
    *,
    tickers: Collection[str] | None,
    calendar: TradingCalendar,
    today: date,
    rate_per_second: float,
    burst: int,
    landed_days: Collection[date] = (),
    landed_ranges: Mapping[str, Iterable[tuple[date, date]]] | None = None,
    universe_size: int = 0,
) -> FetchPlan:
    """The cheapest calls covering [start, end] for ``tickers`` (None: every US stock).

    ``landed_days`` are days with a landed grouped-daily answer; ``landed_ranges`` maps a ticker to
    the (from, to) spans of its landed range answers. ``today`` (New York) and later are skipped.
    """
    if end < start:
        raise ValueError(f"the range ends ({end}) before it starts ({start})")
    notes: list[str] = []
    last_finished = min(end, date.fromordinal(today.toordinal() - 1))
    if last_finished < end:
        notes.append(f"days from {max(start, today).isoformat()} on have no bars yet: skipped")
    days = calendar.trading_days(start, last_finished)
    wanted = None if tickers is None else sorted({t.strip().upper() for t in tickers if t.strip()})
    naive = len(days) * (universe_size if wanted is None else len(wanted))
    landed = set(landed_days)
    open_days = [day for day in days if day not in landed]
    if wanted is None:
        calls = [PlannedCall("grouped_daily", day, day) for day in open_days]
        notes.append("no ticker set: grouped daily (the whole market) for every missing day")
        return FetchPlan(
            start,
            end,
            tuple(calls),
            naive,
            len(days),
            None,
            len(days) - len(open_days),
            rate_per_second,
            burst,
            tuple(notes),
        )
    missing = _missing_pairs(open_days, wanted, landed_ranges or {})
    cover_days, cover_tickers = _minimum_cover(missing)
    calls = [PlannedCall("grouped_daily", day, day) for day in sorted(cover_days)]
    for ticker in sorted(cover_tickers):
        needed = [day for day in missing[ticker] if day not in cover_days]
        calls.append(PlannedCall("range_bars", min(needed), max(needed), ticker))
    fully_landed = sum(1 for day in days if not any(day in lacking for lacking in missing.values()))
    return FetchPlan(
        start,
        end,
        tuple(calls),
        naive,
        len(days),
        len(wanted),
        fully_landed,
        rate_per_second,
        burst,
        tuple(notes),
    )


def _missing_pairs(
    open_days: list[date],
    tickers: list[str],
    landed_ranges: Mapping[str, Iterable[tuple[date, date]]],
) -> dict[str, set[date]]:
    """ticker → the open days it still lacks (tickers lacking nothing are left out)."""
    missing: dict[str, set[date]] = {}
    for ticker in tickers:
        spans = list(landed_ranges.get(ticker, ()))
        lacking = {day for day in open_days if not any(a <= day <= b for a, b in spans)}
        if lacking:
            missing[ticker] = lacking
    return missing


def _minimum_cover(missing: Mapping[str, set[date]]) -> tuple[set[date], set[str]]:
    """Minimum vertex cover (days, tickers) of the missing-pairs graph (König / Hopcroft–Karp)."""
    adjacency: dict[date, list[str]] = {}
    for ticker, days in missing.items():
        for day in days:
            adjacency.setdefault(day, []).append(ticker)
    match_day, match_ticker = _hopcroft_karp(adjacency)
    # Alternating search from unmatched days: Z = reachable days and tickers.
    reached_days = {day for day in adjacency if day not in match_day}
    reached_tickers: set[str] = set()
    queue = deque(reached_days)
    while queue:
        day = queue.popleft()
        for ticker in adjacency[day]:
            if ticker in reached_tickers or match_day.get(day) == ticker:
                continue
            reached_tickers.add(ticker)
            partner = match_ticker.get(ticker)
            if partner is not None and partner not in reached_days:
                reached_days.add(partner)
                queue.append(partner)
    cover_days = {day for day in adjacency if day not in reached_days}
    return cover_days, reached_tickers


def _hopcroft_karp(adjacency: Mapping[date, list[str]]) -> tuple[dict[date, str], dict[str, date]]:
    match_day: dict[date, str] = {}
    match_ticker: dict[str, date] = {}
    # A greedy start leaves few augmenting paths on the dense graphs a backfill produces.
    for day, tickers in adjacency.items():
        for ticker in tickers:
            if ticker not in match_ticker:
                match_day[day], match_ticker[ticker] = ticker, day
                break
    infinity = len(adjacency) + 1
    while True:
        distance: dict[date, int] = {}
        queue: deque[date] = deque()
        for day in adjacency:
            if day not in match_day:
                distance[day] = 0
                queue.append(day)
        found = False
        while queue:
            day = queue.popleft()
            for ticker in adjacency[day]:
                partner = match_ticker.get(ticker)
                if partner is None:
                    found = True
                elif partner not in distance:
                    distance[partner] = distance[day] + 1
                    queue.append(partner)
        if not found:
            return match_day, match_ticker
        for day in list(adjacency):
            if day not in match_day:
                _augment(day, adjacency, distance, match_day, match_ticker, infinity)


def _augment(
    root: date,
    adjacency: Mapping[date, list[str]],
    distance: dict[date, int],
    match_day: dict[date, str],
    match_ticker: dict[str, date],
    infinity: int,
) -> bool:
    """Iterative DFS along the BFS layers; flips one augmenting path if there is one."""
    stack: list[tuple[date, int]] = [(root, 0)]
    path: list[tuple[date, str]] = []
    while stack:
        day, index = stack[-1]
        tickers = adjacency[day]
        if index >= len(tickers):
            distance[day] = infinity  # a dead end: never try it again this phase
            stack.pop()
            if path:
                path.pop()
            continue
        stack[-1] = (day, index + 1)
        ticker = tickers[index]
        partner = match_ticker.get(ticker)
        if partner is None:
            path.append((day, ticker))
            for d, t in path:
                match_day[d], match_ticker[t] = t, d
            return True
        if distance.get(partner, infinity) == distance[day] + 1:
            path.append((day, ticker))
            stack.append((partner, 0))
    return False
