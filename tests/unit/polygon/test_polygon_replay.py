"""The replay server renders Polygon answers from the bundled bars in Polygon's recorded shapes."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest

from stockyard.replay import SAMPLE_ROOT, ReplayServer
from stockyard.replay.render import Rendered, RenderedRoute
from stockyard.sources.polygon import parse_grouped_daily, parse_open_close, parse_range_bars

HTTP_FIXTURES = Path(__file__).parents[2] / "fixtures" / "http"
RECORDED = HTTP_FIXTURES / "polygon"
GROUPED = "/polygon/v2/aggs/grouped/locale/us/market/stocks/"


@pytest.fixture(scope="module")
def server() -> Iterator[ReplayServer]:
    with ReplayServer([SAMPLE_ROOT, HTTP_FIXTURES]) as replay:
        yield replay


def _get(server: ReplayServer, path: str) -> httpx.Response:
    return httpx.get(server.url + path, timeout=10)


def test_grouped_daily_has_the_recorded_shape_and_real_prices(server: ReplayServer) -> None:
    response = _get(server, GROUPED + "2020-08-31?adjusted=true")
    body = response.json()
    recorded = json.loads(
        (RECORDED / "v2/aggs/grouped/locale/us/market/stocks/2005-04-04").read_text()
    )
    # Same top-level keys in the same order as Polygon's recording, and the same bar keys
    # (vw and n are absent: the bundled Yahoo prices have none, and Polygon omits them at times).
    assert list(body) == list(recorded)
    assert set(body["results"][0]) == set(recorded["results"][0]) - {"vw", "n"}
    assert body["resultsCount"] == body["queryCount"] == body["count"] == len(body["results"])
    bars = {
        bar.ticker: bar for bar in parse_grouped_daily(response.content, date(2020, 8, 31)).records
    }
    assert len(bars) > 490
    # AAPL's first day after its 4:1 split, split-adjusted as Polygon's default answer is.
    aapl = bars["AAPL"]
    assert (aapl.open, aapl.high, aapl.low, aapl.close, aapl.volume) == (
        127.58,
        131.0,
        126.0,
        129.04,
        225702700.0,
    )


def test_a_weekday_holiday_answers_like_polygon_does(server: ReplayServer) -> None:
    rendered = _get(server, GROUPED + "2022-07-04?adjusted=true").json()
    recorded = json.loads(
        (RECORDED / "v2/aggs/grouped/locale/us/market/stocks/2023-01-02").read_text()
    )
    assert rendered.keys() == recorded.keys()
    assert (rendered["resultsCount"], rendered["queryCount"], rendered["status"]) == (0, 0, "OK")
    assert parse_grouped_daily(json.dumps(rendered)).records == []


def test_range_bars_follow_the_openbb_recording(server: ReplayServer) -> None:
    response = _get(server, "/polygon/v2/aggs/ticker/MSFT/range/1/day/2021-12-30/2022-01-04")
    recorded = json.loads(
        (RECORDED / "v2/aggs/ticker/AAPL/range/1/day/2023-01-01/2023-01-10").read_text()
    )
    body = response.json()
    assert list(body) == list(recorded)
    bars = parse_range_bars(response.content, "MSFT").records
    assert [bar.day.isoformat() for bar in bars] == [
        "2021-12-30",
        "2021-12-31",
        "2022-01-03",
        "2022-01-04",
    ]
    # Midnight in New York, like the recording's t values.
    assert body["results"][0]["t"] % 86_400_000 in (4 * 3_600_000, 5 * 3_600_000)
    unknown = _get(server, "/polygon/v2/aggs/ticker/NOPE/range/1/day/2022-01-01/2022-01-31")
    assert unknown.status_code == 200 and unknown.json()["resultsCount"] == 0


def test_open_close_answers_or_404s_not_found(server: ReplayServer) -> None:
    day = parse_open_close(_get(server, "/polygon/v1/open-close/MSFT/2022-01-04").content)
    assert (day.ticker, day.day, day.close) == ("MSFT", date(2022, 1, 4), 329.01)
    missing = _get(server, "/polygon/v1/open-close/MSFT/2022-01-01")
    assert missing.status_code == 404
    assert (
        missing.json()["status"] == "NOT_FOUND" and missing.json()["message"] == "Data not found."
    )


def test_recorded_files_shadow_rendered_answers_and_unadjusted_is_not_invented(
    server: ReplayServer,
) -> None:
    # The recorded AAPL 2023-01-09 open-close (with pre-market) wins over the rendered one.
    assert _get(server, "/polygon/v1/open-close/AAPL/2023-01-09").json()["preMarket"] == 129.6
    # Only adjusted prices are bundled: an unadjusted request is not answered with them.
    unadjusted = _get(server, GROUPED + "2022-01-04?adjusted=false")
    assert unadjusted.status_code == 404 and unadjusted.json()["error"] == "no recorded response"


def test_an_impossible_date_is_a_bad_request(server: ReplayServer) -> None:
    answer = _get(server, GROUPED + "2022-02-30")
    assert answer.status_code == 400 and answer.json()["status"] == "ERROR"


def test_a_rendered_route_is_a_generic_hook(tmp_path: Path) -> None:
    calls: list[str] = []

    def echo(match: re.Match[str], fields: dict[str, str]) -> Rendered | None:
        calls.append(match["name"])
        return Rendered(json.dumps({"hello": match["name"], **fields}).encode())

    route = RenderedRoute(
        "demo", re.compile(r"/hello/(?P<name>\w+)"), echo, close=lambda: calls.append("closed")
    )
    with ReplayServer(tmp_path, rendered=[route]) as replay:
        assert _get(replay, "/demo/hello/world?x=1").json() == {"hello": "world", "x": "1"}
        assert _get(replay, "/demo/bye/world").status_code == 404
        assert replay.count("/demo/*") == 2
    assert calls == ["world", "closed"]
