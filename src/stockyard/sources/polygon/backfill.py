"""Filling a websocket gap from Polygon's REST minute aggregates (the client is blocking: a thread)."""

from __future__ import annotations

import asyncio

from stockyard.sources.polygon.client import PolygonClient
from stockyard.sources.polygon.parse import parse_minute_bars
from stockyard.sources.polygon.websocket import AggregateBar, Backfill


def minute_backfill(client: PolygonClient) -> Backfill:
    """A `PolygonWebsocket` backfill: the minute bars of one ticker between two minute starts."""

    async def backfill(ticker: str, from_start_ms: int, to_start_ms: int) -> list[AggregateBar]:
        fetched = await asyncio.to_thread(client.minute_bars, ticker, from_start_ms, to_start_ms)
        return parse_minute_bars(fetched.content, ticker)

    return backfill
