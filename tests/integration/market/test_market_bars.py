"""Daily bars end to end: plan → fetch over HTTP (replay) → land → parse → load into DuckDB."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date

import duckdb
import pytest

from stockyard.pipeline.ingest import polygon
from stockyard.pipeline.runtime import Runtime, StepReport
from stockyard.replay import SAMPLE_ROOT, Fault, ReplayServer
from stockyard.sources.http import Fetched
from stockyard.sources.polygon import PolygonClient
from support.market import HTTP_FIXTURES, MARKET_SCENARIOS

pytestmark = pytest.mark.integration
GROUPED = "/polygon/v2/aggs/grouped/locale/us/market/stocks/*"
MakeRuntime = Callable[..., Runtime]


@pytest.fixture(scope="module")
def _server() -> Iterator[ReplayServer]:
    # The bundled bars, the recorded fixtures, and one grouped day whose body is cut short.
    with ReplayServer([SAMPLE_ROOT, HTTP_FIXTURES, MARKET_SCENARIOS / "truncated_day"]) as server:
        yield server


@pytest.fixture
def replay(_server: ReplayServer) -> Iterator[ReplayServer]:
    _server.clear_faults()
    _server.requests.clear()
    yield _server
    _server.clear_faults()


def _grouped_days(replay: ReplayServer) -> list[str]:
    return [r.path.rsplit("/", 1)[1] for r in replay.requests if "/grouped/" in r.path]


def _bars(rt: Runtime, sql: str = "") -> list[tuple[object, ...]]:
    con = duckdb.connect(str(rt.settings.resolved_warehouse_path), read_only=True)
    try:
        return con.execute(
            f"SELECT ticker, bar_date, close, adjusted, _dataset FROM raw.daily_bars {sql}"
        ).fetchall()
    finally:
        con.close()


def test_five_weeks_cost_one_call_per_trading_day_and_a_rerun_adds_nothing(
    replay: ReplayServer, runtime_for: MakeRuntime
) -> None:
    rt = runtime_for(replay)
    start, end = date(2022, 6, 6), date(2022, 7, 8)
    report, plan = polygon.fetch_bars(rt, start, end)
    # 25 weekdays less Juneteenth (observed 06-20) and Independence Day: 23 calls, no others.
    assert plan.count == plan.grouped_calls == 23 and report.errors == []
    days = _grouped_days(replay)
    assert len(days) == 23 and "2022-06-20" not in days and "2022-07-04" not in days
    assert report.landed == 23

    loaded = polygon.load_bars(rt, start, end)
    rows = _bars(rt)
    assert loaded.loaded_documents == len(rows) > 23 * 490
    assert len({(t, d) for t, d, *_ in rows}) == len(rows)  # one bar per ticker-day
    assert ("AAPL", date(2022, 6, 17), 131.56, True, "grouped_daily") in rows

    # Again: the plan is empty, the server hears nothing, the reload replaces, never duplicates.
    replay.requests.clear()
    again, replan = polygon.fetch_bars(rt, start, end)
    assert replan.count == 0 and replay.requests == [] and again.fetched == 0
    assert polygon.load_bars(rt, start, end).unchanged == 23  # nothing new landed: no reload
    assert sorted(_bars(rt)) == sorted(rows)

    # A day answered again with other bytes (a new landed version) is reloaded in place.
    (first,) = rt.landing.latest("polygon", "grouped_daily", "2022-06-17")
    answer = Fetched(first.url, rt.landing.read(first) + b"\n", "application/json", 200)
    rt.land("polygon", "grouped_daily", "2022-06-17", "bars.json", answer, StepReport())
    reloaded = polygon.load_bars(rt, start, end)
    day_bars = sum(1 for _, day, *_ in rows if day == date(2022, 6, 17))
    assert (reloaded.unchanged, reloaded.loaded_documents) == (22, day_bars)
    assert sorted(_bars(rt)) == sorted(rows)  # same bars, none twice


def test_a_429_storm_with_retry_after_is_waited_out(
    replay: ReplayServer, runtime_for: MakeRuntime
) -> None:
    rt = runtime_for(replay, max_retries=4)
    replay.inject(Fault(kind="status", path=GROUPED, status=429, retry_after="30", times=4))
    report, plan = polygon.fetch_bars(rt, date(2022, 3, 1), date(2022, 3, 3))
    assert plan.count == 3 and report.errors == [] and report.landed == 3
    assert sorted(r.status for r in replay.requests) == [200, 200, 200, 429, 429, 429, 429]
    assert rt.http("polygon").stats.retries == 4


def test_a_day_that_never_answers_fails_alone_and_is_fetched_next_run(
    replay: ReplayServer, runtime_for: MakeRuntime
) -> None:
    rt = runtime_for(replay, max_retries=2)
    stuck = "/polygon/v2/aggs/grouped/locale/us/market/stocks/2022-03-02"
    replay.inject(Fault(kind="status", path=stuck, status=429, retry_after="1", times=50))
    report, _ = polygon.fetch_bars(rt, date(2022, 3, 1), date(2022, 3, 3))
    assert report.landed == 2 and len(report.errors) == 1
    (error,) = report.errors
    assert error.startswith("grouped daily 2022-03-02") and "gave up after 3 attempts" in error
    assert "lower polygon.rate_per_second" in error and "pk-market-test-key" not in error

    replay.clear_faults()
    replay.requests.clear()
    _, replan = polygon.fetch_bars(rt, date(2022, 3, 1), date(2022, 3, 3))
    assert [c.describe() for c in replan.calls] == ["grouped daily 2022-03-02"]
    assert _grouped_days(replay) == ["2022-03-02"]


def test_a_truncated_answer_is_kept_aside_and_asked_for_again(
    replay: ReplayServer, runtime_for: MakeRuntime
) -> None:
    rt = runtime_for(replay)
    report, _ = polygon.fetch_bars(rt, date(2022, 6, 1), date(2022, 6, 3))
    (error,) = report.errors
    assert "grouped daily 2022-06-02" in error and "not JSON" in error
    assert "the next run asks for it again" in error
    # Landed for inspection under a name that does not count as data.
    names = [f.name for f in rt.landing.latest("polygon", "grouped_daily", "2022-06-02")]
    assert names == ["bars.rejected.json"]
    polygon.load_bars(rt, date(2022, 6, 1), date(2022, 6, 3))
    assert {d for _, d, *_ in _bars(rt)} == {date(2022, 6, 1), date(2022, 6, 3)}
    _, replan = polygon.fetch_bars(rt, date(2022, 6, 1), date(2022, 6, 3))
    assert [c.describe() for c in replan.calls] == ["grouped daily 2022-06-02"]


def test_holidays_cost_no_call_and_a_day_without_data_is_learned(
    replay: ReplayServer, runtime_for: MakeRuntime
) -> None:
    rt = runtime_for(replay)
    _, plan = polygon.fetch_bars(rt, date(2022, 12, 23), date(2023, 1, 3))
    assert sorted(_grouped_days(replay)) == [
        "2022-12-23",
        "2022-12-27",
        "2022-12-28",
        "2022-12-29",
        "2022-12-30",
        "2023-01-03",
    ]  # Christmas and New Year's Day observed (12-26, 01-02) cost nothing
    # The bundled bars end on 2023-06-29, so 06-30 answers like a holiday: no results.
    replay.requests.clear()
    report, plan = polygon.fetch_bars(rt, date(2023, 6, 29), date(2023, 6, 30))
    assert plan.count == 2 and report.errors == []
    polygon.load_bars(rt, date(2023, 6, 29), date(2023, 6, 30))
    calendar = polygon.calendar(rt)
    assert calendar.is_trading_day(date(2023, 6, 29))
    assert not calendar.is_trading_day(date(2023, 6, 30))  # learned from the empty answer
    _, replan = polygon.fetch_bars(rt, date(2023, 6, 26), date(2023, 6, 30))
    assert [c.start.isoformat() for c in replan.calls] == ["2023-06-26", "2023-06-27", "2023-06-28"]


def test_an_empty_answer_for_a_recent_day_is_asked_for_again(
    replay: ReplayServer, runtime_for: MakeRuntime
) -> None:
    """Seen from 2023-07-03, 06-30's empty answer may only be early: it is not landed as data."""
    rt = runtime_for(replay)
    report, plan = polygon.fetch_bars(
        rt, date(2023, 6, 29), date(2023, 6, 30), today=date(2023, 7, 3)
    )
    assert plan.count == 2 and report.errors == []
    names = [f.name for f in rt.landing.latest("polygon", "grouped_daily", "2023-06-30")]
    assert names == ["bars.pending.json"]
    polygon.load_bars(rt, date(2023, 6, 29), date(2023, 6, 30))
    assert polygon.calendar(rt).is_trading_day(date(2023, 6, 30))  # nothing learned from it
    _, replan = polygon.fetch_bars(rt, date(2023, 6, 29), date(2023, 6, 30), today=date(2023, 7, 3))
    assert [c.describe() for c in replan.calls] == ["grouped daily 2023-06-30"]


def test_a_split_adjusted_and_unadjusted_bars_are_both_kept(
    replay: ReplayServer, runtime_for: MakeRuntime
) -> None:
    """AAPL split 4:1 effective 2020-08-31: adjusted bars run on, unadjusted ones step down."""
    rt = runtime_for(replay)
    start, end = date(2020, 8, 24), date(2020, 9, 4)
    _, plan = polygon.fetch_bars(rt, start, end, ["AAPL"])
    assert [c.describe() for c in plan.calls] == ["range bars AAPL 2020-08-24..2020-09-04"]
    # The raw prices (Alpha Vantage's unadjusted series in Polygon's shape), landed beside them.
    key = rt.settings.polygon.api_key
    assert key is not None
    raw = PolygonClient(rt.http("polygon"), key).range_bars("AAPL", start, end, adjusted=False)
    name = polygon.range_file_name(start, end, adjusted=False)
    rt.land("polygon", "range_bars", "AAPL", name, raw, StepReport())

    polygon.load_bars(rt, start, end)
    rows = _bars(rt, "WHERE ticker = 'AAPL' ORDER BY bar_date")
    adjusted = {d: c for _, d, c, flag, _ in rows if flag}
    unadjusted = {d: c for _, d, c, flag, _ in rows if not flag}
    assert len(adjusted) == len(unadjusted) == 10
    assert unadjusted[date(2020, 8, 28)] == 499.23 and adjusted[date(2020, 8, 28)] == 124.8075
    assert unadjusted[date(2020, 8, 28)] / adjusted[date(2020, 8, 28)] == pytest.approx(4.0, 1e-3)
    assert unadjusted[date(2020, 8, 31)] == adjusted[date(2020, 8, 31)] == 129.04
    closes = [adjusted[d] for d in sorted(adjusted)]
    assert min(b / a for a, b in itertools.pairwise(closes)) > 0.9  # no split cliff
    assert unadjusted[date(2020, 8, 31)] / unadjusted[date(2020, 8, 28)] < 0.3
    # The unadjusted answer is not "landed adjusted data": the plan still sees AAPL covered
    # by its adjusted range only, and a re-run fetches nothing.
    _, replan = polygon.fetch_bars(rt, start, end, ["AAPL"])
    assert replan.count == 0
