"""Minute aggregates for a websocket gap: parsing, and a backfill that fails leaves the stream going."""

from __future__ import annotations

import asyncio
import json

import pytest
from pydantic import SecretStr

from stockyard.sources.polygon.parse import PolygonFormatError, parse_minute_bars
from stockyard.sources.polygon.websocket import AggregateBar, PolygonWebsocket

ROWS = [
    {"v": 100, "vw": 10.5, "o": 10, "c": 11, "h": 12, "l": 9, "t": 60_000, "n": 3},
    {"v": 5, "o": 11, "c": 11.5, "h": 11.5, "l": 11, "t": 120_000},  # no vw: the close
    {"v": 5, "o": "x", "c": 1, "h": 1, "l": 1, "t": 180_000},  # not a number: skipped
]


def test_minute_rows_become_bars_ending_a_minute_after_their_start() -> None:
    body = json.dumps({"ticker": "AAPL", "status": "OK", "resultsCount": 3, "results": ROWS})
    bars = parse_minute_bars(body, "aapl")
    assert bars == [
        AggregateBar("AAPL", 60_000, 120_000, 10.0, 12.0, 9.0, 11.0, 100.0, 10.5),
        AggregateBar("AAPL", 120_000, 180_000, 11.0, 11.5, 11.0, 11.5, 5.0, 11.5),
    ]
    assert parse_minute_bars(json.dumps({"status": "OK", "resultsCount": 0}), "AAPL") == []
    with pytest.raises(PolygonFormatError):
        parse_minute_bars('{"status": "OK", "results": [', "AAPL")


def test_a_failing_backfill_is_logged_and_the_gap_stays_counted() -> None:
    async def broken(ticker: str, start: int, end: int) -> list[AggregateBar]:
        raise PolygonFormatError("polygon minute bars: truncated")

    delivered: list[AggregateBar] = []

    async def on_bars(bars: list[AggregateBar]) -> None:
        delivered.extend(bars)

    client = PolygonWebsocket("ws://unused", SecretStr("k"), on_bars, backfill=broken)
    client._resumed_from = {"AAPL": 120_000}  # the line dropped after the minute ending 2:00
    later = {"ev": "AM", "sym": "AAPL", "s": 600_000, "e": 660_000, "o": 1, "h": 1, "l": 1,
             "c": 1, "v": 1}  # fmt: skip
    asyncio.run(client._handle(json.dumps([later])))
    assert client.stats.gaps == 1 and client.stats.backfilled == 0
    assert [b.end_ms for b in delivered] == [660_000]  # the stream goes on
