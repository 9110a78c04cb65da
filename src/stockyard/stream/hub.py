"""The live hub: fans processed batches out to the Live page's server-sent-event streams.

It keeps a short history (recent closes per ticker, the latest news and alerts) so a page that
opens mid-stream starts with something to draw. A slow browser gets a bounded queue; when it fills,
the oldest update is dropped for that browser only — the stream never waits for a page.
"""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import asdict
from typing import Any

from stockyard.stream.events import Alert, BarSignal, NewsEvent
from stockyard.stream.processor import Output

HISTORY_POINTS = 120


def bar_json(signal: BarSignal) -> dict[str, Any]:
    return {
        "ticker": signal.ticker,
        "t": signal.end_ms,
        "close": signal.close,
        "volume": signal.volume,
        "rolling_vwap": round(signal.rolling_vwap, 4),
        "ret_1m": signal.ret_1m,
        "ret_5m": signal.ret_5m,
        "ret_15m": signal.ret_15m,
        "volume_z": signal.volume_z,
    }


def news_json(item: NewsEvent, tickers: list[str]) -> dict[str, Any]:
    return {**asdict(item), "tickers": tickers}


def alert_json(alert: Alert) -> dict[str, Any]:
    return asdict(alert)


class LiveHub:
    def __init__(self, queue_size: int = 1000) -> None:
        self.queue_size = queue_size
        self.bars: dict[str, deque[dict[str, Any]]] = {}
        self.news: deque[dict[str, Any]] = deque(maxlen=50)
        self.alerts: deque[dict[str, Any]] = deque(maxlen=50)
        self.counters: dict[str, int] = {}
        self._subscribers: set[asyncio.Queue[tuple[str, dict[str, Any]]]] = set()

    def publish(self, out: Output, counters: dict[str, int] | None = None) -> None:
        updates: list[tuple[str, dict[str, Any]]] = []
        for signal in out.signals:
            point = bar_json(signal)
            history = self.bars.setdefault(signal.ticker, deque(maxlen=HISTORY_POINTS))
            if history and history[-1]["t"] >= point["t"]:
                continue  # a recomputed older minute: the sparkline keeps its shape
            history.append(point)
            updates.append(("bar", point))
        for item, tickers in out.news:
            entry = news_json(item, tickers)
            self.news.appendleft(entry)
            updates.append(("news", entry))
        for alert in out.alerts:
            entry = alert_json(alert)
            self.alerts.appendleft(entry)
            updates.append(("alert", entry))
        if counters is not None:
            self.counters = counters
            updates.append(("counters", counters))
        for queue in list(self._subscribers):
            for update in updates:
                if queue.full():
                    queue.get_nowait()
                queue.put_nowait(update)

    def snapshot(self) -> dict[str, Any]:
        return {
            "bars": {ticker: list(points) for ticker, points in sorted(self.bars.items())},
            "news": list(self.news),
            "alerts": list(self.alerts),
            "counters": self.counters,
        }

    def subscribe(self) -> asyncio.Queue[tuple[str, dict[str, Any]]]:
        queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(self.queue_size)
        self._subscribers.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[tuple[str, dict[str, Any]]]) -> None:
        self._subscribers.discard(queue)
