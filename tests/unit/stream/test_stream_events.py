"""Wire formats: Polygon frames into bars, stream events through the Redis encoding."""

from __future__ import annotations

import json

import pytest

from stockyard.sources.polygon.websocket import AggregateBar, decode_frame, parse_aggregate
from stockyard.stream.events import NewsEvent, decode, encode, key_of
from stockyard.stream.watchlist import WatchList

# The `/stocks/AM` example from Polygon's websocket OpenAPI spec, values unchanged.
POLYGON_AM = {
    "ev": "AM", "sym": "GTE", "v": 4110, "av": 9470157, "op": 0.4372, "vw": 0.4488, "o": 0.4488,
    "c": 0.4486, "h": 0.4489, "l": 0.4486, "a": 0.4352, "z": 685, "s": 1610144640000,
    "e": 1610144700000,
}  # fmt: skip


def test_polygon_am_example_decodes() -> None:
    frame = json.dumps([{"ev": "status", "status": "connected", "message": "x"}, POLYGON_AM])
    decoded = decode_frame(frame)
    assert decoded.malformed == 0 and decoded.statuses[0]["status"] == "connected"
    assert decoded.bars == [
        AggregateBar(
            "GTE", 1610144640000, 1610144700000, 0.4488, 0.4489, 0.4486, 0.4486, 4110, 0.4488
        )
    ]


@pytest.mark.parametrize(
    "frame",
    ["{not json", json.dumps([{**POLYGON_AM, "c": "n/a"}]), json.dumps([{"ev": "AM", "sym": "X"}])],
)
def test_malformed_frames_are_counted_with_a_reason(frame: str) -> None:
    decoded = decode_frame(frame)
    assert decoded.malformed == 1 and decoded.bars == [] and decoded.errors[0]


def test_a_window_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="ends before"):
        parse_aggregate({**POLYGON_AM, "e": POLYGON_AM["s"]})


def test_events_round_trip_and_are_keyed_like_partitions() -> None:
    bar = parse_aggregate(POLYGON_AM)
    news = NewsEvent("id", 1, "Apple", "u", "business", "", "Apple")
    assert decode(encode(bar)) == bar and decode(encode(news)) == news
    assert (key_of(bar), key_of(news)) == ("GTE", "Apple")
    with pytest.raises(ValueError, match="not a stream event"):
        decode(b'["trade", 1]')


def test_watchlist_changes_and_refuses_bad_tickers() -> None:
    watch = WatchList(["aapl"], ["Apple"])
    assert watch.update(add_tickers=["msft"], remove_terms=["Apple"], add_terms=["Tesla"])
    assert watch.as_dict() == {"tickers": ["AAPL", "MSFT"], "terms": ["Tesla"], "version": 1}
    assert not watch.update(add_tickers=["AAPL"])
    with pytest.raises(ValueError, match="not a ticker symbol"):
        watch.update(add_tickers=["DROP TABLE"])
