"""PolygonClient against the replay server: the real HttpClient path, paging, faults, the key kept secret."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from pydantic import SecretStr

from stockyard.config import SourceSettings
from stockyard.replay import SAMPLE_ROOT, Fault, LoggedRequest, ReplayServer
from stockyard.sources.http import HttpClient, NotFoundError, SourceError
from stockyard.sources.polygon import (
    PolygonClient,
    PolygonFormatError,
    RepeatedCursorError,
    parse_grouped_daily,
    parse_open_close,
    parse_range_bars,
    parse_tickers_page,
)
from stockyard.sources.polygon.parse import parse_ticker_details

KEY = "pk-live-DO-NOT-LEAK-0123456789"
TICKERS = "/polygon/v3/reference/tickers"
GROUPED = "/polygon/v2/aggs/grouped/locale/us/market/stocks/*"
PAGE_2_CURSOR = (
    "YWN0aXZlPXRydWUmZGF0ZT0yMDIyLTA0LTI3JmxpbWl0PTImb3JkZXI9YXNjJnBhZ2VfbWFya2VyPUFBJTdDZjEyMmJj"
    "YmY4YWQwNzRmZmJlMTZmNjkxOWQ0ZDc3NjZlMzA3MWNmNmU1Nzg3OGE0OGU1NjQ1YzQyM2U3NzJhOSZzb3J0PXRpY2tlcg"
)

HTTP_FIXTURES = Path(__file__).parents[2] / "fixtures" / "http"


@pytest.fixture(scope="module")
def _server() -> Iterator[ReplayServer]:
    # One server for the module: stopping one takes ~0.5 s (the serve_forever poll interval).
    with ReplayServer([SAMPLE_ROOT, HTTP_FIXTURES]) as server:
        yield server


@pytest.fixture
def replay(_server: ReplayServer) -> Iterator[ReplayServer]:
    """The shared server with an empty request log and no faults left by another test.

    The server logs a request before answering it, so nothing from a finished test arrives late.
    """
    _server.clear_faults()
    _server.requests.clear()
    yield _server
    _server.clear_faults()


def _client(server: ReplayServer, max_retries: int = 0) -> PolygonClient:
    settings = SourceSettings(
        base_url=server.base_url("polygon"),
        rate_per_second=1000,
        burst=100,
        max_retries=max_retries,
        max_backoff_seconds=0.02,
    )
    return PolygonClient(HttpClient("polygon", settings, backoff_base=0.01), SecretStr(KEY))


def _logged(server: ReplayServer, expected: int) -> list[LoggedRequest]:
    """The request log once it holds `expected` entries (the server logs just after answering)."""
    deadline = time.monotonic() + 2.0
    while len(server.requests) < expected and time.monotonic() < deadline:
        time.sleep(0.005)
    return list(server.requests)


def _query(request: LoggedRequest) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(request.query).items()}


def _assert_no_key(exc: BaseException) -> None:
    texts = [str(exc), repr(exc), str(getattr(exc, "url", "")), *map(str, exc.args)]
    cause = exc.__cause__ or exc.__context__
    if cause is not None:
        texts += [str(cause), repr(cause)]
    assert not any(KEY in text for text in texts), texts


def test_an_empty_key_is_refused(replay: ReplayServer) -> None:
    settings = SourceSettings(base_url=replay.base_url("polygon"))
    with pytest.raises(ValueError, match="API key is required"):
        PolygonClient(HttpClient("polygon", settings), SecretStr(""))


def test_ticker_pages_follow_next_url_to_our_base(replay: ReplayServer) -> None:
    pages = list(_client(replay).iter_ticker_pages(active=True))
    parsed = [parse_tickers_page(page.content) for page in pages]
    assert [[t.ticker for t in p.results] for p in parsed] == [["A", "AA"], ["AAA", "AAAU"]]
    assert parsed[0].next_url is not None and parsed[1].next_url is None

    first, second = _logged(replay, 2)
    # Both requests reached the replay server (next_url names api.polygon.io: its host is dropped).
    assert first.path == second.path == TICKERS
    assert _query(first) == {"limit": "1000", "active": "true", "market": "stocks", "apiKey": KEY}
    # The cursor carries the rest of the query; the key is added back, nothing else is sent.
    assert _query(second) == {"cursor": PAGE_2_CURSOR, "apiKey": KEY}
    assert all(KEY not in page.url and "apiKey=***" in page.url for page in pages)


def test_a_repeated_cursor_stops_paging(replay: ReplayServer) -> None:
    # active=false → a page whose next_url is cursor=LOOP, and that page points at itself.
    pages: list[object] = []
    with pytest.raises(RepeatedCursorError, match="listing is incomplete"):
        pages.extend(_client(replay).iter_ticker_pages(active=False))
    assert len(pages) == 2  # both pages were yielded before paging stopped
    requests = _logged(replay, 2)
    time.sleep(0.05)  # give a third (wrong) request time to show up in the log
    assert len(replay.requests) == 2
    assert [_query(r).get("cursor") for r in requests] == [None, "LOOP"]


def test_a_429_storm_with_retry_after_then_success(replay: ReplayServer) -> None:
    replay.inject(Fault(kind="status", path=GROUPED, status=429, retry_after="30", times=4))
    client = _client(replay, max_retries=5)
    started = time.monotonic()
    fetched = client.grouped_daily(date(2005, 4, 4))
    # Retry-After: 30 is honoured but capped by max_backoff_seconds, so the test stays fast.
    assert time.monotonic() - started < 5
    assert [r.status for r in _logged(replay, 5)] == [429, 429, 429, 429, 200]
    assert client.http.stats.retries == 4
    assert [bar.ticker for bar in parse_grouped_daily(fetched.content).records] == ["GIK"]


def test_a_429_storm_that_never_ends_gives_up_without_the_key(replay: ReplayServer) -> None:
    replay.inject(Fault(kind="status", path=GROUPED, status=429, retry_after="1", times=10))
    with pytest.raises(SourceError) as caught:
        _client(replay, max_retries=2).grouped_daily(date(2005, 4, 4))
    assert caught.value.status == 429 and "gave up after 3 attempts" in str(caught.value)
    _assert_no_key(caught.value)


@pytest.mark.parametrize("status", [401, 403, 500])
def test_http_errors_never_show_the_key(replay: ReplayServer, status: int) -> None:
    replay.inject(Fault(kind="status", path="/polygon/v1/open-close/*", status=status, times=5))
    with pytest.raises(SourceError) as caught:
        _client(replay, max_retries=1).open_close("AAPL", date(2023, 1, 9))
    _assert_no_key(caught.value)


def test_not_found_and_format_errors_never_show_the_key(
    replay: ReplayServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = _client(replay)
    with pytest.raises(NotFoundError) as missing:
        client.open_close("NOPE", date(2023, 1, 9))
    _assert_no_key(missing.value)
    with pytest.raises(PolygonFormatError) as broken:
        parse_open_close(client.open_close("TRUNC", date(2023, 1, 9)).content)
    _assert_no_key(broken.value)
    # httpx logs each request URL at INFO; the client's filter redacts it.
    assert "HTTP Request: GET" in caplog.text and "apiKey=***" in caplog.text
    assert KEY not in caplog.text


def test_a_holiday_is_an_empty_day(replay: ReplayServer) -> None:
    fetched = _client(replay).grouped_daily(date(2023, 1, 2))  # New Year's Day observed
    result = parse_grouped_daily(fetched.content, expect_day=date(2023, 1, 2))
    assert result.records == [] and result.rejects == []


def test_truncated_json_is_a_format_error(replay: ReplayServer) -> None:
    # A body cut short but served whole (Content-Length matches): only the parser can notice.
    fetched = _client(replay).open_close("TRUNC", date(2023, 1, 9))
    with pytest.raises(PolygonFormatError, match="not JSON"):
        parse_open_close(fetched.content)


def test_a_dropped_download_is_retried_by_the_http_layer(replay: ReplayServer) -> None:
    # A connection cut mid-body (fewer bytes than Content-Length) never reaches the parser.
    replay.inject(Fault(kind="truncate", path="/polygon/v1/open-close/*"))
    fetched = _client(replay, max_retries=2).open_close("AAPL", date(2023, 1, 9))
    assert parse_open_close(fetched.content).close == 130.15


def test_grouped_bar_dates_are_new_york_dates(replay: ReplayServer) -> None:
    # The client-python mock is trimmed: the URL says 2005-04-04, the bar's t is
    # 1602705600000 = 2020-10-14T20:00Z = 16:00 in New York, so the bar's day is 2020-10-14.
    fetched = _client(replay).grouped_daily(date(2005, 4, 4))
    (bar,) = parse_grouped_daily(fetched.content).records
    assert (bar.ticker, bar.day, bar.open, bar.close, bar.volume, bar.transactions) == (
        "GIK",
        date(2020, 10, 14),
        9.99,
        10.02,
        895345.0,
        96,
    )
    # Asked for a day, a bar of another day is quarantined rather than trusted.
    checked = parse_grouped_daily(fetched.content, expect_day=date(2005, 4, 4))
    assert checked.records == [] and "bar is for 2020-10-14" in checked.rejects[0].reason


def test_openbb_aapl_range_recording(replay: ReplayServer) -> None:
    fetched = _client(replay).range_bars("AAPL", date(2023, 1, 1), date(2023, 1, 10))
    assert _query(_logged(replay, 1)[0]) == {
        "adjusted": "true",
        "sort": "asc",
        "limit": "50000",
        "apiKey": KEY,
    }
    result = parse_range_bars(fetched.content, "AAPL")
    assert result.rejects == []
    # Jan 2 was the New Year holiday; Jan 7-8 a weekend.
    assert [bar.day.isoformat() for bar in result.records] == [
        "2023-01-03",
        "2023-01-04",
        "2023-01-05",
        "2023-01-06",
        "2023-01-09",
        "2023-01-10",
    ]
    first, last = result.records[0], result.records[-1]
    # Numbers read from the unedited recording.
    assert (first.open, first.high, first.low, first.close) == (130.28, 130.9, 124.17, 125.07)
    assert (first.volume, first.vwap, first.transactions) == (112117471.0, 125.725, 1021065)
    assert (last.open, last.high, last.low, last.close) == (130.26, 131.2636, 128.12, 130.73)
    assert (last.volume, last.vwap, last.transactions) == (63896155.0, 129.822, 554940)
    assert all(bar.ticker == "AAPL" for bar in result.records)


def test_open_close_agrees_with_the_range_recording(replay: ReplayServer) -> None:
    # Two independent real samples of AAPL on 2023-01-09 (Polygon's README and OpenBB's cassette).
    client = _client(replay)
    day = parse_open_close(client.open_close("AAPL", date(2023, 1, 9)).content)
    bars = parse_range_bars(
        client.range_bars("AAPL", date(2023, 1, 1), date(2023, 1, 10)).content, "AAPL"
    ).records
    (same,) = [bar for bar in bars if bar.day == day.day]
    assert (day.open, day.high, day.low, day.close, day.volume) == (
        same.open,
        same.high,
        same.low,
        same.close,
        same.volume,
    )
    assert (day.pre_market, day.after_hours) == (129.6, 129.85)


def test_market_status_and_upcoming_holidays(replay: ReplayServer) -> None:
    client = _client(replay)
    assert json.loads(client.market_status().content)["market"] == "extended-hours"
    holidays = json.loads(client.upcoming_holidays().content)
    assert {
        "exchange": "NYSE",
        "name": "Memorial Day",
        "date": "2022-05-30",
        "status": "closed",
    } in (holidays)
    paths = [r.path for r in _logged(replay, 2)]
    assert paths == ["/polygon/v1/marketstatus/now", "/polygon/v1/marketstatus/upcoming"]


def test_bad_arguments_fail_before_any_request(replay: ReplayServer) -> None:
    client = _client(replay)
    with pytest.raises(ValueError, match="before it starts"):
        client.range_bars("AAPL", date(2023, 1, 10), date(2023, 1, 1))
    with pytest.raises(ValueError, match="empty ticker"):
        client.open_close(" ", date(2023, 1, 9))
    assert replay.requests == []


def test_ticker_details_come_from_the_recorded_answer_and_an_unknown_ticker_is_a_404(
    replay: ReplayServer,
) -> None:
    client = _client(replay)
    details = parse_ticker_details(client.ticker_details("AAPL").content)
    with pytest.raises(NotFoundError):
        client.ticker_details("NOSUCHTICKER")
    assert (details.ticker, details.sic_code, details.sic_description, details.cik) == (
        "AAPL",
        "3571",
        "ELECTRONIC COMPUTERS",
        "0000320193",
    )
    requests = _logged(replay, 2)
    assert [r.path for r in requests] == [f"{TICKERS}/AAPL", f"{TICKERS}/NOSUCHTICKER"]
    assert all(_query(r)["apiKey"] == KEY for r in requests)  # the key travels…
    assert KEY not in client.ticker_details("AAPL").url  # …but is never in what we keep
