"""NYSE trading days, so a weekend or an exchange holiday never costs an API call.

The rules come from the ``holidays`` package's NYSE financial calendar, which keeps the regular
holidays (with their observed days) and the special closures (Hurricane Sandy 2012-10-29/30, the
national days of mourning 2018-12-05 and 2025-01-09, …). Two things can add to it at run time:

- Polygon's ``/v1/marketstatus/upcoming`` answer (`parse_upcoming_closures`), for a closure
  announced after the package was released;
- days the warehouse learned from answers (a grouped-daily answer without data for a weekday),
  passed in as ``known_closed``.

Early closes (the day after Thanksgiving) are trading days: they have a daily bar.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

import holidays

from stockyard.sources.polygon.parse import PolygonFormatError, load_json_value

EXCHANGE = "NYSE"


class TradingCalendar:
    """Which days the NYSE trades. Immutable once built; cheap to query."""

    def __init__(self, known_closed: Iterable[date] = (), known_open: Iterable[date] = ()) -> None:
        self._rules = holidays.financial_holidays(EXCHANGE)
        self._closed = frozenset(known_closed)
        # A day the market is known to have traded on (a grouped answer with bars) wins over a
        # rule: the rules are a forecast, the answer is what happened.
        self._open = frozenset(known_open)

    def with_closures(self, closed: Iterable[date]) -> TradingCalendar:
        return TradingCalendar(self._closed | set(closed), self._open)

    def holiday_name(self, day: date) -> str | None:
        if day in self._closed:
            return "closed (learned from the source)"
        name = self._rules.get(day)
        return str(name) if name else None

    def is_trading_day(self, day: date) -> bool:
        if day in self._open:
            return True
        if day.weekday() >= 5 or day in self._closed:
            return False
        return day not in self._rules

    def trading_days(self, start: date, end: date) -> list[date]:
        """Every trading day in [start, end], oldest first (empty when end < start)."""
        return [day for day in _each_day(start, end) if self.is_trading_day(day)]

    def weekday_holidays(self, start: date, end: date) -> list[date]:
        """Weekdays in [start, end] the exchange is closed: the days a naive fetcher wastes."""
        return [
            day
            for day in _each_day(start, end)
            if day.weekday() < 5 and not self.is_trading_day(day)
        ]


def _each_day(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def parse_upcoming_closures(data: bytes | str, exchange: str = EXCHANGE) -> dict[date, str]:
    """`/v1/marketstatus/upcoming` → {day: name} for the days ``exchange`` is fully closed.

    The answer is a JSON list (one entry per exchange and day); ``early-close`` days still trade.
    """
    body = load_json_value(data, "market holidays")
    if not isinstance(body, list):
        raise PolygonFormatError(
            f"polygon market holidays: expected a JSON list, got {type(body).__name__}"
        )
    closures: dict[date, str] = {}
    for index, item in enumerate(body):
        if not isinstance(item, dict):
            raise PolygonFormatError(f"polygon market holidays: entry {index} is not an object")
        if item.get("exchange") != exchange or item.get("status") != "closed":
            continue
        try:
            day = date.fromisoformat(str(item.get("date")))
        except ValueError:
            raise PolygonFormatError(
                f"polygon market holidays: entry {index} has no valid date ({item.get('date')!r})"
            ) from None
        closures[day] = str(item.get("name") or "holiday")
    return closures
