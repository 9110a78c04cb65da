"""The planner: the fewest calls for a range and a ticker set, checked against brute force."""

from __future__ import annotations

import itertools
import random
from datetime import date, timedelta

import pytest

from stockyard.sources.polygon.calendar import TradingCalendar, parse_upcoming_closures
from stockyard.sources.polygon.plan import (
    FetchPlan,
    PlannedCall,
    _minimum_cover,
    plan_prices,
    seconds_at_limit,
)

CALENDAR = TradingCalendar()
FREE_TIER = {"rate_per_second": 5 / 60, "burst": 5}
LATER = date(2030, 1, 1)  # "today" well after every range below


def _plan(start: date, end: date, tickers: list[str] | None, **kwargs: object) -> FetchPlan:
    options: dict[str, object] = {"calendar": CALENDAR, "today": LATER, **FREE_TIER}
    options.update(kwargs)
    return plan_prices(start, end, tickers=tickers, **options)  # type: ignore[arg-type]


# -- the calendar -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "trades"),
    [
        ("2018-12-05", False),  # national day of mourning (George H. W. Bush)
        ("2025-01-09", False),  # national day of mourning (Jimmy Carter)
        ("2012-10-29", False),  # Hurricane Sandy
        ("2023-01-02", False),  # New Year's Day observed
        ("2022-06-20", False),  # Juneteenth observed (first year)
        ("2021-06-18", True),  # Juneteenth was not yet an NYSE holiday
        ("2022-11-25", True),  # the early close after Thanksgiving still trades
        ("2022-06-18", False),  # a Saturday
    ],
)
def test_the_nyse_calendar_knows_special_closures(day: str, trades: bool) -> None:
    assert CALENDAR.is_trading_day(date.fromisoformat(day)) is trades


def test_one_year_has_252_trading_days_and_learned_days_win() -> None:
    days = CALENDAR.trading_days(date(2021, 7, 1), date(2022, 6, 30))
    assert len(days) == 252 and date(2022, 6, 20) not in days
    learned = TradingCalendar(known_closed=[date(2022, 6, 21)], known_open=[date(2022, 6, 20)])
    assert learned.is_trading_day(date(2022, 6, 20))
    assert not learned.is_trading_day(date(2022, 6, 21))


def test_upcoming_closures_from_polygon_keep_only_full_nyse_closures() -> None:
    body = (
        b'[{"date":"2022-11-24","exchange":"NYSE","name":"Thanksgiving","status":"closed"},'
        b'{"date":"2022-11-24","exchange":"NASDAQ","name":"Thanksgiving","status":"closed"},'
        b'{"date":"2022-11-25","exchange":"NYSE","name":"Thanksgiving","status":"early-close",'
        b'"open":"2022-11-25T14:30:00.000Z","close":"2022-11-25T18:00:00.000Z"}]'
    )
    assert parse_upcoming_closures(body) == {date(2022, 11, 24): "Thanksgiving"}


# -- the plan ------------------------------------------------------------------------------------
def test_the_whole_market_costs_one_grouped_call_per_trading_day() -> None:
    plan = _plan(date(2021, 7, 1), date(2022, 6, 30), None, universe_size=5000)
    assert plan.count == plan.grouped_calls == 252 and plan.range_calls == 0
    assert plan.naive_calls == 252 * 5000
    assert all(call.start.weekday() < 5 for call in plan.calls)
    assert date(2021, 7, 5) not in {call.start for call in plan.calls}  # Independence Day observed


def test_many_tickers_over_a_year_take_grouped_days() -> None:
    tickers = [f"T{i}" for i in range(400)]
    plan = _plan(date(2021, 7, 1), date(2022, 6, 30), tickers)
    assert (plan.grouped_calls, plan.range_calls) == (252, 0)
    assert plan.summary() == {
        "calls": 252,
        "naive_calls": 400 * 252,
        "seconds_at_limit": round((252 - 5) / (5 / 60), 1),
    }


def test_few_tickers_over_a_long_range_take_one_range_call_each() -> None:
    plan = _plan(date(2020, 1, 1), date(2023, 6, 30), ["aapl", "MSFT", " msft "])
    assert plan.calls == (
        PlannedCall("range_bars", date(2020, 1, 2), date(2023, 6, 30), "AAPL"),
        PlannedCall("range_bars", date(2020, 1, 2), date(2023, 6, 30), "MSFT"),
    )
    assert plan.tickers == 2 and plan.naive_calls == 2 * plan.trading_days


def test_a_tie_prefers_grouped_days() -> None:
    # 3 trading days (Mon-Wed), 3 tickers: either way costs 3; grouped days serve every ticker.
    plan = _plan(date(2022, 6, 13), date(2022, 6, 15), ["A", "B", "C"])
    assert (plan.grouped_calls, plan.range_calls) == (3, 0)


def test_landed_days_and_ranges_cost_nothing() -> None:
    start, end = date(2022, 6, 1), date(2022, 6, 30)
    days = CALENDAR.trading_days(start, end)
    everything = _plan(start, end, ["AAPL"], landed_days=days)
    assert everything.count == 0 and everything.already_landed_days == len(days)
    # Grouped days landed for all but the last two days; AAPL also has a range to the 28th.
    ranges = {"AAPL": [(date(2022, 6, 1), date(2022, 6, 28))]}
    plan = _plan(start, end, ["AAPL", "MSFT"], landed_days=days[:-2], landed_ranges=ranges)
    # Missing: AAPL 29-30, MSFT 29-30 → 2 grouped days or 2 range calls; the tie takes days.
    assert [call.describe() for call in plan.calls] == [
        "grouped daily 2022-06-29",
        "grouped daily 2022-06-30",
    ]
    # With only AAPL missing two days, one range call is cheaper than two grouped days.
    only_aapl = _plan(
        start,
        end,
        ["AAPL", "MSFT"],
        landed_days=days[:-2],
        landed_ranges={"MSFT": [(date(2022, 6, 1), date(2022, 6, 30))]},
    )
    assert only_aapl.calls == (
        PlannedCall("range_bars", date(2022, 6, 29), date(2022, 6, 30), "AAPL"),
    )


def test_today_and_later_are_never_planned() -> None:
    plan = _plan(date(2022, 6, 27), date(2022, 7, 8), None, today=date(2022, 6, 30))
    assert [call.start for call in plan.calls] == [
        date(2022, 6, 27),
        date(2022, 6, 28),
        date(2022, 6, 29),
    ]
    assert any("no bars yet" in note for note in plan.notes)


def test_weekends_and_holidays_only_cost_nothing() -> None:
    plan = _plan(date(2022, 12, 24), date(2022, 12, 26), ["AAPL"])  # Sat, Sun, Christmas observed
    assert plan.count == 0 and plan.naive_calls == 0 and plan.seconds_at_limit == 0


def test_bad_ranges_are_refused() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        _plan(date(2022, 6, 30), date(2022, 6, 1), None)
    with pytest.raises(ValueError, match="rate_per_second"):
        seconds_at_limit(10, 0, 5)


def test_seconds_at_limit_counts_the_burst_as_free() -> None:
    assert seconds_at_limit(5, 5 / 60, 5) == 0
    assert seconds_at_limit(17, 5 / 60, 5) == pytest.approx(144.0)


def test_the_cover_is_minimal_against_brute_force() -> None:
    rng = random.Random(7)
    base = date(2022, 1, 3)
    for _ in range(150):
        days = [base + timedelta(days=i) for i in range(rng.randint(1, 6))]
        missing = {
            f"T{i}": {d for d in days if rng.random() < 0.5} for i in range(rng.randint(1, 6))
        }
        missing = {t: s for t, s in missing.items() if s}
        cover_days, cover_tickers = _minimum_cover(missing)
        assert all(d in cover_days or t in cover_tickers for t, s in missing.items() for d in s)
        best = min(
            k + sum(1 for s in missing.values() if not s <= set(chosen))
            for k in range(len(days) + 1)
            for chosen in itertools.combinations(days, k)
        )
        assert len(cover_days) + len(cover_tickers) == best
