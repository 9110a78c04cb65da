"""Polygon's minute aggregates rendered from the bundled 1-minute CSVs (``<root>/minute_bars``).

``/v2/aggs/ticker/{t}/range/1/minute/{from_ms}/{to_ms}`` answers the minutes of one ticker whose
start lies in the range, oldest first, in Polygon's aggregates shape (``t`` = the minute's start).
``vw`` is the same typical price the websocket replay sends in its ``AM`` events, so a minute
fetched here equals the one the websocket would have delivered. This is what a stream asks for to
fill the minutes a dropped line missed.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

from stockyard.replay.render import Rendered, RenderedRoute
from stockyard.replay.ws_server import build_timeline, load_recorded_bars

MINUTE_RANGE = re.compile(
    r"/v2/aggs/ticker/(?P<ticker>[^/]+)/range/1/minute/(?P<start>\d+)/(?P<end>\d+)"
)


def minute_routes(folder: Path) -> list[RenderedRoute]:
    """The minute range route over ``folder`` (``<SYM>_1min.csv``); none without such files."""
    if not any(folder.glob("*_1min.csv")):
        return []
    lock = threading.Lock()
    by_ticker: dict[str, list[dict[str, Any]]] = {}

    def minutes() -> dict[str, list[dict[str, Any]]]:
        with lock:
            if not by_ticker:
                for minute in build_timeline(load_recorded_bars(folder)):
                    for ticker, message in minute.messages:
                        by_ticker.setdefault(ticker, []).append(message)
            return by_ticker

    def render(match: re.Match[str], fields: dict[str, str]) -> Rendered | None:
        ticker, start, end = match["ticker"].upper(), int(match["start"]), int(match["end"])
        rows = [
            {"v": m["v"], "vw": m["vw"], "o": m["o"], "c": m["c"], "h": m["h"], "l": m["l"],
             "t": m["s"], "n": 0}
            for m in minutes().get(ticker, [])
            if start <= m["s"] <= end
        ]  # fmt: skip
        body: dict[str, Any] = {
            "ticker": ticker,
            "queryCount": len(rows),
            "resultsCount": len(rows),
            "adjusted": True,
            "status": "OK",
            "request_id": f"minutes-{ticker}-{start}-{end}",
        }
        if rows:
            body["results"] = rows
        return Rendered(json.dumps(body, separators=(",", ":")).encode())

    return [RenderedRoute("polygon", MINUTE_RANGE, render)]
