"""What flows through the stream: bars and news in, signals and alerts out, and their wire form.

The in-process bus passes these objects as they are; the Redis bus stores them as compact JSON
(`encode` / `decode`), tagged with their kind so one decoder reads every topic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any, NamedTuple

import orjson
from msgspec.structs import astuple

from stockyard.sources.polygon.websocket import AggregateBar


@dataclass(frozen=True, slots=True)
class NewsEvent:
    """An article as the stream sees it: event time is its publication time (epoch ms, UTC)."""

    id: str
    published_ms: int
    title: str
    url: str
    section: str
    trail_text: str
    term: str  # the watched search term that found it (the bus key)


class BarSignal(NamedTuple):
    """One ticker's minute with the signals computed over the windows that end with it.

    A named tuple, like the bar it comes from: one is built per bar, and the tuple is already the
    sink's row (fields in `stream.minute_bars` column order)."""

    ticker: str
    start_ms: int
    end_ms: int
    open: float
    high: float
    low: float
    close: float
    volume: float
    vwap: float
    rolling_vwap: float
    ret_1m: float | None
    ret_5m: float | None
    ret_15m: float | None
    volume_z: float | None


@dataclass(frozen=True, slots=True)
class Alert:
    """A price move beyond the threshold within the join window of news about the same ticker."""

    ticker: str
    window_end_ms: int
    news_id: str
    move_pct: float
    close: float
    news_title: str
    news_url: str
    published_ms: int


Event = AggregateBar | NewsEvent
_KINDS: dict[str, type[Any]] = {"bar": AggregateBar, "news": NewsEvent}
# Field values in order; `dataclasses.astuple` deep-copies each field and costs 10× as much.
_NEWS_FIELDS = attrgetter(*(f.name for f in fields(NewsEvent)))


def _row(event: Event) -> list[Any]:
    if isinstance(event, AggregateBar):
        return ["bar", *astuple(event)]
    return ["news", *_NEWS_FIELDS(event)]


def _event(row: Any) -> Event:
    kind, *values = row
    event: Event = _KINDS[kind](*values)
    return event


def encode(event: Event) -> bytes:
    return orjson.dumps(_row(event))


def decode(data: bytes | str) -> Event:
    """The event in ``data``; raises ``ValueError`` when it is not one we wrote."""
    try:
        return _event(orjson.loads(data))
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"not a stream event: {str(data)[:80]!r} ({exc})") from exc


def encode_many(events: Sequence[Event]) -> bytes:
    """Several events in one bus entry (one Redis round trip per partition, not per event)."""
    return orjson.dumps([_row(e) for e in events])


def decode_many(data: bytes | str) -> list[Event]:
    try:
        rows = orjson.loads(data)
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise TypeError("expected a list of events")
        return [_event(row) for row in rows]
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"not a batch of stream events: {str(data)[:80]!r} ({exc})") from exc


def key_of(event: Event) -> str:
    """The partition key: ticker for bars, search term for news (like the seed's Kafka keys)."""
    return event.ticker if isinstance(event, AggregateBar) else event.term
