"""Polygon parsers: real recorded bodies from the fixture tree, and small variations of them."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from stockyard.sources.polygon import (
    PolygonFormatError,
    new_york_day,
    parse_grouped_daily,
    parse_open_close,
    parse_range_bars,
    parse_tickers_page,
)
from stockyard.sources.polygon.parse import parse_ticker_details

POLYGON = Path(__file__).parents[2] / "fixtures" / "http" / "polygon"
RANGE = POLYGON / "v2/aggs/ticker/AAPL/range/1/day/2023-01-01/2023-01-10"
OPEN_CLOSE = POLYGON / "v1/open-close/AAPL/2023-01-09"
TICKERS = POLYGON / "v3/reference/tickers"


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_bytes())
    return data


def _dump(body: Any) -> bytes:
    return json.dumps(body).encode()


@contextmanager
def _local_zone(name: str) -> Iterator[None]:
    """Run with the process's local time zone set to `name` (what a naive conversion would use)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


# -- dates ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles", "Asia/Tokyo"])
def test_bar_days_are_new_york_days_whatever_the_local_zone(zone: str) -> None:
    midnight_est = 1673240400000  # 2023-01-09T05:00Z = 00:00 EST
    midnight_edt = 1688356800000  # 2023-07-03T04:00Z = 00:00 EDT
    late_evening = 1673233200000  # 2023-01-09T03:00Z = 22:00 EST on the 8th
    assert datetime.fromtimestamp(late_evening / 1000, tz=UTC).date() == date(2023, 1, 9)
    rows = [
        {"T": "EST", "t": midnight_est, "o": 1, "h": 1, "l": 1, "c": 1, "v": 1},
        {"T": "EDT", "t": midnight_edt, "o": 1, "h": 1, "l": 1, "c": 1, "v": 1},
        {"T": "EVE", "t": late_evening, "o": 1, "h": 1, "l": 1, "c": 1, "v": 1},
    ]
    with _local_zone(zone):
        bars = parse_grouped_daily(_dump({"status": "OK", "results": rows})).records
    assert [(b.ticker, b.day) for b in bars] == [
        ("EST", date(2023, 1, 9)),
        ("EDT", date(2023, 7, 3)),
        ("EVE", date(2023, 1, 8)),  # UTC would say the 9th
    ]
    assert new_york_day(midnight_est) == date(2023, 1, 9)


# -- aggregates -----------------------------------------------------------------------------------
def test_bad_rows_are_quarantined_beside_good_ones() -> None:
    body = _load(RANGE)
    del body["results"][1]["c"]
    body["results"][3]["o"] = None
    body["results"][4]["h"] = "133.41"
    result = parse_range_bars(_dump(body), "AAPL")
    assert [bar.day.isoformat() for bar in result.records] == [
        "2023-01-03",
        "2023-01-05",
        "2023-01-10",
    ]
    assert [(r.record_ref, r.reason) for r in result.rejects] == [
        ("results[1]", "field 'c' missing or not a number (None)"),
        ("results[3]", "field 'o' missing or not a number (None)"),
        ("results[4]", "field 'h' missing or not a number ('133.41')"),
    ]
    reject = result.rejects[0]
    assert (reject.source, reject.dataset) == ("polygon", "range_bars")
    assert json.loads(reject.payload or "")["t"] == 1672808400000


def test_a_grouped_row_without_a_ticker_is_quarantined() -> None:
    rows = [{"t": 1673240400000, "o": 1, "h": 2, "l": 0.5, "c": 1.5, "v": 10}]
    result = parse_grouped_daily(_dump({"status": "OK", "resultsCount": 1, "results": rows}))
    assert result.records == [] and "'T'" in result.rejects[0].reason


def test_optional_vwap_and_transactions() -> None:
    rows = [{"T": "X", "t": 1673240400000, "o": 1, "h": 2, "l": 0.5, "c": 1.5, "v": 10.5}]
    (bar,) = parse_grouped_daily(_dump({"status": "OK", "results": rows})).records
    assert (bar.volume, bar.vwap, bar.transactions) == (10.5, None, None)


@pytest.mark.parametrize(
    "body",
    [
        {"queryCount": 0, "resultsCount": 0, "adjusted": True, "status": "OK"},
        {"ticker": "AAPL", "queryCount": 0, "resultsCount": 0, "status": "OK", "results": []},
        {"ticker": "AAPL", "status": "DELAYED", "resultsCount": 0},
    ],
)
def test_no_data_is_an_empty_result(body: dict[str, Any]) -> None:
    result = parse_range_bars(_dump(body), "AAPL")
    assert result.records == [] and result.rejects == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (RANGE.read_bytes()[:300], "not JSON"),
        (b"", "not JSON"),
        (b"<html><body>502 Bad Gateway</body></html>", "not JSON"),
        (b"[]", "expected a JSON object"),
        (
            b'{"status": "ERROR", "request_id": "x", "error": "Unknown API Key"}',
            "status 'ERROR' Unknown API Key",
        ),
        (b'{"status": "NOT_AUTHORIZED", "message": "upgrade"}', "NOT_AUTHORIZED"),
        (b'{"status": "OK", "resultsCount": 3}', "resultsCount 3 but no results"),
        (b'{"status": "OK", "results": {"o": 1}}', "not a list"),
    ],
)
def test_unusable_bodies_raise(data: bytes, message: str) -> None:
    with pytest.raises(PolygonFormatError, match=message):
        parse_grouped_daily(data)


def test_an_error_body_never_echoes_a_key() -> None:
    data = b'{"status": "ERROR", "error": "bad request https://x/y?apiKey=pk-SECRET&a=1"}'
    with pytest.raises(PolygonFormatError) as caught:
        parse_grouped_daily(data)
    assert "pk-SECRET" not in str(caught.value)


def test_a_range_for_another_ticker_is_refused() -> None:
    with pytest.raises(PolygonFormatError, match="asked for 'MSFT'"):
        parse_range_bars(RANGE.read_bytes(), "MSFT")


# -- open-close -----------------------------------------------------------------------------------
def test_open_close_sample() -> None:
    day = parse_open_close(OPEN_CLOSE.read_bytes())
    assert (day.ticker, day.day, day.open, day.high, day.low, day.close) == (
        "AAPL",
        date(2023, 1, 9),
        130.465,
        133.41,
        129.89,
        130.15,
    )
    assert (day.volume, day.pre_market, day.after_hours) == (70790813.0, 129.6, 129.85)


def test_open_close_without_a_close_raises() -> None:
    body = _load(OPEN_CLOSE)
    del body["close"]
    with pytest.raises(PolygonFormatError, match="'close'"):
        parse_open_close(_dump(body))


# -- tickers --------------------------------------------------------------------------------------
def test_tickers_pages() -> None:
    first = parse_tickers_page((TICKERS / "page-1.json").read_bytes())
    assert first.next_url is not None and "cursor=" in first.next_url
    a = first.results[0]
    assert (a.ticker, a.name, a.market, a.type, a.active, a.primary_exchange) == (
        "A",
        "Agilent Technologies Inc.",
        "stocks",
        "CS",
        True,
        "XNYS",
    )
    assert (a.cik, a.composite_figi, a.delisted_utc) == ("0001090872", "BBG000C2V3D6", None)
    assert a.last_updated == datetime(2022, 4, 27, tzinfo=UTC)
    last = parse_tickers_page((TICKERS / "page-2.json").read_bytes())
    assert last.next_url is None
    assert [(t.ticker, t.cik) for t in last.results] == [("AAA", None), ("AAAU", "0001708646")]


def test_vendor_tickers_sample_and_a_delisted_row() -> None:
    page = parse_tickers_page((TICKERS / "active-limit-1.json").read_bytes())
    assert [t.ticker for t in page.results] == ["A"] and page.next_url is not None
    loop = parse_tickers_page((TICKERS / "loop.json").read_bytes())
    assert loop.results[0].active is False
    assert loop.results[0].delisted_utc == datetime(2020, 1, 2, tzinfo=UTC)


def test_a_ticker_row_without_ticker_or_with_a_bad_date_is_quarantined() -> None:
    body = _load(TICKERS / "page-1.json")
    del body["results"][0]["ticker"]
    body["results"][1]["last_updated_utc"] = "yesterday"
    page = parse_tickers_page(_dump(body))
    assert page.results == []
    assert [r.record_ref for r in page.rejects] == ["results[0]", "results[1]"]
    assert "last_updated_utc" in page.rejects[1].reason


# -- ticker details -------------------------------------------------------------------------------
DETAILS = Path(__file__).parents[3] / "src/stockyard/data/sample/polygon/ticker_details/AAPL.json"


def _details_with(**changes: Any) -> bytes:
    body = json.loads(DETAILS.read_bytes())
    body["results"].update(changes)
    body["results"] = {k: v for k, v in body["results"].items() if v is not None}
    return json.dumps(body).encode()


def test_ticker_details_without_an_industry_code_have_none() -> None:
    details = parse_ticker_details(_details_with(sic_code=None, sic_description=None))
    assert (details.ticker, details.sic_code, details.sic_description) == ("AAPL", None, None)


def test_a_short_sic_code_is_padded_and_a_malformed_one_refused() -> None:
    assert parse_ticker_details(_details_with(sic_code="100")).sic_code == "0100"
    with pytest.raises(PolygonFormatError, match="not a SIC code"):
        parse_ticker_details(_details_with(sic_code="35A1"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (DETAILS.read_bytes()[:200], "not JSON"),
        (b'{"status": "OK", "request_id": "x"}', "no results object"),
        (_details_with(ticker=""), "'ticker' missing"),
        (b'{"status": "NOT_FOUND", "message": "Ticker not found."}', "NOT_FOUND"),
    ],
)
def test_unusable_ticker_details_raise(data: bytes, message: str) -> None:
    with pytest.raises(PolygonFormatError, match=message):
        parse_ticker_details(data)
