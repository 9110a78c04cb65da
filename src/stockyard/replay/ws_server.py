"""A local websocket server that plays recorded minute bars as Polygon ``AM`` messages.

It speaks the part of Polygon's stocks websocket protocol Stockyard uses, with the frame shapes of
Polygon's own client tests: on connect ``[{"ev":"status","status":"connected",…}]``; then
``{"action":"auth","params":KEY}`` → ``auth_success`` (or ``auth_failed`` and a close);
``{"action":"subscribe","params":"AM.AAPL,AM.MSFT"}`` → ``success`` / ``subscribed to: AM.AAPL``;
``unsubscribe`` likewise. Every server frame is a JSON array.

The recording is Alpha Vantage 1-minute CSVs (``<SYM>_1min.csv``: US/Eastern naive time marking
the END of the bar, newest first). Bars are grouped by minute and played in time order at
``speed``× the market's pace (``None`` = as fast as the client reads). Alpha Vantage gives no
per-bar VWAP or trade count, so ``vw`` is the bar's typical price (h+l+c)/3, ``a`` the session's
volume-weighted typical price and ``z`` (average trade size) is 0.

Replay-only behaviour, said out loud so nobody mistakes it for Polygon's:
- the play position is kept per API key; a client that reconnects resumes ``rewind_frames``
  minutes before where its last connection stopped, so frames lost with a dropped connection are
  sent again (the client drops the duplicates). Polygon itself does not rewind: with
  ``missed_while_away=N`` the server behaves like it and skips N minutes instead.
- when the recording is exhausted the server sends ``{"ev":"status","status":"replay_complete"}``.
- faults on demand: ``drop_after(n)`` cuts the connection after ``n`` more frames,
  ``inject_raw(text)`` sends a raw (e.g. malformed) frame before the next minute.
"""

from __future__ import annotations

import asyncio
import csv
import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed

EASTERN = ZoneInfo("America/New_York")
MINUTE_MS = 60_000


@dataclass(frozen=True, slots=True)
class RecordedBar:
    ticker: str
    end_ms: int
    open: float
    high: float
    low: float
    close: float
    volume: int


@dataclass(frozen=True, slots=True)
class Minute:
    """Every ticker's AM message for the minute ending at ``end_ms``."""

    end_ms: int
    messages: tuple[tuple[str, dict[str, Any]], ...]
    # Each message as JSON, encoded once up front: at full speed the server then only joins
    # strings, and leaves the CPU to the client it is there to exercise.
    encoded: tuple[str, ...] = ()

    def frame(self, subscribed: set[str]) -> str | None:
        """The JSON array of the messages for ``subscribed`` tickers ("*": all), or None."""
        if "*" in subscribed:
            chosen = self.encoded
        else:
            chosen = tuple(
                text
                for (ticker, _), text in zip(self.messages, self.encoded, strict=True)
                if ticker in subscribed
            )
        return f"[{','.join(chosen)}]" if chosen else None


def _end_ms(text: str) -> int:
    local = datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=EASTERN)
    return int(local.timestamp() * 1000)


def load_recorded_bars(directory: Path) -> list[RecordedBar]:
    """Every ``*_1min.csv`` in ``directory`` (Alpha Vantage intraday CSV), in time order."""
    files = sorted(directory.glob("*_1min.csv"))
    if not files:
        raise FileNotFoundError(
            f"no <TICKER>_1min.csv files in {directory}: point --replay at a folder of "
            "Alpha Vantage 1-minute CSVs (e.g. the bundled src/stockyard/data/sample/minute_bars)"
        )
    bars: list[RecordedBar] = []
    for file in files:
        ticker = file.name.removesuffix("_1min.csv").upper()
        with file.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                bars.append(
                    RecordedBar(
                        ticker=ticker,
                        end_ms=_end_ms(row["datetime"]),
                        open=float(row["open"]),
                        high=float(row["high"]),
                        low=float(row["low"]),
                        close=float(row["close"]),
                        volume=int(float(row["volume"])),
                    )
                )
    bars.sort(key=lambda b: (b.end_ms, b.ticker))
    return bars


def build_timeline(bars: Iterable[RecordedBar]) -> list[Minute]:
    """Group bars by minute into Polygon AM messages, with the session's running totals."""
    by_minute: dict[int, list[tuple[str, dict[str, Any]]]] = {}
    day_volume: dict[tuple[str, int], int] = {}
    day_value: dict[tuple[str, int], float] = {}
    day_open: dict[tuple[str, int], float] = {}
    for bar in bars:
        session = (bar.ticker, bar.end_ms // 86_400_000)
        typical = (bar.high + bar.low + bar.close) / 3
        day_open.setdefault(session, bar.open)
        day_volume[session] = day_volume.get(session, 0) + bar.volume
        day_value[session] = day_value.get(session, 0.0) + typical * bar.volume
        message = {
            "ev": "AM",
            "sym": bar.ticker,
            "v": bar.volume,
            "av": day_volume[session],
            "op": day_open[session],
            "vw": round(typical, 4),
            "o": bar.open,
            "c": bar.close,
            "h": bar.high,
            "l": bar.low,
            "a": round(day_value[session] / max(day_volume[session], 1), 4),
            "z": 0,
            "s": bar.end_ms - MINUTE_MS,
            "e": bar.end_ms,
        }
        by_minute.setdefault(bar.end_ms, []).append((bar.ticker, message))
    return [
        Minute(end, tuple(msgs), tuple(json.dumps(m, separators=(",", ":")) for _, m in msgs))
        for end, msgs in sorted(by_minute.items())
    ]


def status(status_name: str, message: str) -> dict[str, str]:
    return {"ev": "status", "status": status_name, "message": message}


@dataclass
class _Faults:
    drop_after: int | None = None
    raw: list[str] = field(default_factory=list)


class WebsocketReplayServer:
    """Serve a recorded minute-bar timeline on ``ws://127.0.0.1:<port>/stocks`` from a thread."""

    def __init__(
        self,
        bars_dir: Path,
        *,
        speed: float | None = None,
        api_key: str | None = None,
        rewind_frames: int = 5,
        missed_while_away: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.timeline = build_timeline(load_recorded_bars(bars_dir))
        self.speed = speed
        self.api_key = api_key
        self.rewind_frames = rewind_frames
        self.missed_while_away = missed_while_away
        self._host, self._port = host, port
        self._positions: dict[str, int] = {}
        self._faults = _Faults()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self.connections = 0
        self.frames_sent = 0

    @property
    def message_count(self) -> int:
        return sum(len(minute.messages) for minute in self.timeline)

    @property
    def tickers(self) -> list[str]:
        return sorted({t for minute in self.timeline for t, _ in minute.messages})

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the websocket replay server is not started")
        host, port = next(iter(self._server.sockets)).getsockname()[:2]
        return f"ws://{host}:{port}/stocks"

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> WebsocketReplayServer:
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(target=loop.run_forever, name="ws-replay", daemon=True)
        self._thread.start()
        started = asyncio.run_coroutine_threadsafe(self._serve(), loop)
        self._server = started.result(timeout=10)
        return self

    async def _serve(self) -> Server:
        return await serve(self._handle, self._host, self._port, ping_interval=20)

    def stop(self) -> None:
        loop, server = self._loop, self._server
        if loop is None or server is None:
            return

        async def close() -> None:
            server.close()
            await server.wait_closed()

        asyncio.run_coroutine_threadsafe(close(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        loop.close()
        self._server = None

    def __enter__(self) -> WebsocketReplayServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- faults ------------------------------------------------------------------------------
    def drop_after(self, frames: int) -> None:
        """Cut the current connection abruptly after ``frames`` more minutes have been sent."""
        with self._lock:
            self._faults.drop_after = frames

    def inject_raw(self, text: str) -> None:
        """Send ``text`` as-is before the next minute (to test how clients take bad frames)."""
        with self._lock:
            self._faults.raw.append(text)

    # -- protocol ----------------------------------------------------------------------------
    async def _handle(self, ws: ServerConnection) -> None:
        self.connections += 1
        await ws.send(json.dumps([status("connected", "Connected Successfully")]))
        key: str | None = None
        subscribed: set[str] = set()
        player: asyncio.Task[None] | None = None
        try:
            async for raw in ws:
                try:
                    request = json.loads(raw)
                    action, params = request["action"], str(request.get("params", ""))
                except (ValueError, KeyError, TypeError):
                    await ws.send(json.dumps([status("error", "invalid message: expected JSON")]))
                    continue
                if action == "auth":
                    if self.api_key is not None and params != self.api_key:
                        await ws.send(json.dumps([status("auth_failed", "authentication failed")]))
                        await ws.close(1008, "authentication failed")
                        return
                    key = params
                    await ws.send(json.dumps([status("auth_success", "authenticated")]))
                elif key is None:
                    await ws.send(json.dumps([status("error", "not authorized")]))
                elif action in ("subscribe", "unsubscribe"):
                    answers = self._change(subscribed, action, params)
                    await ws.send(json.dumps(answers))
                    if player is None and subscribed:
                        player = asyncio.create_task(self._play(ws, key, subscribed))
                else:
                    await ws.send(json.dumps([status("error", f"unknown action {action!r}")]))
        except ConnectionClosed:
            pass
        finally:
            if player is not None:
                player.cancel()

    @staticmethod
    def _change(subscribed: set[str], action: str, params: str) -> list[dict[str, str]]:
        answers = []
        for channel in filter(None, (c.strip() for c in params.split(","))):
            prefix, _, ticker = channel.partition(".")
            if prefix != "AM" or not ticker:
                answers.append(status("error", f"unsupported channel: {channel}"))
                continue
            if action == "subscribe":
                subscribed.add(ticker.upper())
                answers.append(status("success", f"subscribed to: {channel}"))
            else:
                subscribed.discard(ticker.upper())
                answers.append(status("success", f"unsubscribed to: {channel}"))
        return answers

    async def _play(self, ws: ServerConnection, key: str, subscribed: set[str]) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            seen = key in self._positions
            if seen and self.missed_while_away:
                # As Polygon's live feed: the minutes that went by while the client was away
                # are not sent again.
                position = self._positions[key] + self.missed_while_away
            else:
                position = max(0, self._positions.get(key, 0) - (self.rewind_frames if seen else 0))
        if position >= len(self.timeline):
            await ws.send(json.dumps([status("replay_complete", "replay finished")]))
            return
        started, first_end = loop.time(), self.timeline[position].end_ms
        try:
            while position < len(self.timeline):
                minute = self.timeline[position]
                if self.speed:
                    due = started + (minute.end_ms - first_end) / 1000 / self.speed
                    await asyncio.sleep(max(0.0, due - loop.time()))
                with self._lock:
                    raw, self._faults.raw = self._faults.raw, []
                for text in raw:
                    await ws.send(text)
                frame = minute.frame(subscribed)
                if frame is not None:
                    await ws.send(frame)
                    self.frames_sent += 1
                position += 1
                with self._lock:
                    self._positions[key] = position
                    drop = self._faults.drop_after
                    if drop is not None:
                        self._faults.drop_after = drop - 1
                if drop is not None and drop <= 1:
                    with self._lock:
                        self._faults.drop_after = None
                    # Let what was "sent" reach the socket, then cut the line without a close
                    # frame: the drop happens after frame n, not somewhere in a local buffer.
                    for _ in range(200):
                        if not ws.transport.get_write_buffer_size():
                            break
                        await asyncio.sleep(0.005)
                    ws.transport.abort()
                    return
                if not self.speed:
                    await asyncio.sleep(0)  # let control messages and other clients in
            await ws.send(
                json.dumps([status("replay_complete", f"replay finished: {position} minutes")])
            )
        except ConnectionClosed:
            return
