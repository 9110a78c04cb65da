"""The real Polygon websocket client against the local replay server, faults included."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest
from pydantic import SecretStr
from websockets.asyncio.client import connect

from stockyard.config import SourceSettings
from stockyard.replay.sample import SAMPLE_ROOT
from stockyard.replay.server import ReplayServer
from stockyard.replay.ws_server import WebsocketReplayServer
from stockyard.sources.http import HttpClient
from stockyard.sources.polygon.backfill import minute_backfill
from stockyard.sources.polygon.client import PolygonClient
from stockyard.sources.polygon.websocket import (
    AggregateBar,
    AuthenticationError,
    PolygonWebsocket,
)

pytestmark = pytest.mark.integration
KEY = "test-key"


async def _collect(
    server: WebsocketReplayServer, tickers: list[str], *, timeout: float = 30
) -> tuple[list[AggregateBar], PolygonWebsocket]:
    got: list[AggregateBar] = []

    async def on_bars(bars: list[AggregateBar]) -> None:
        got.extend(bars)

    client = PolygonWebsocket(
        server.url, SecretStr(KEY), on_bars, tickers=tickers, stop_when_replay_completes=True,
        backoff_initial=0.05,
    )  # fmt: skip
    await asyncio.wait_for(client.run(), timeout)
    return got, client


def _expected(server: WebsocketReplayServer, tickers: set[str]) -> list[tuple[str, int]]:
    return sorted(
        (t, m["e"]) for minute in server.timeline for t, m in minute.messages if t in tickers
    )


def test_server_speaks_polygons_protocol(bars_dir: Path) -> None:
    async def session() -> list[object]:
        with WebsocketReplayServer(bars_dir, api_key=KEY) as server:
            async with connect(server.url) as ws:
                frames = [json.loads(await ws.recv())]
                await ws.send(json.dumps({"action": "subscribe", "params": "AM.AAPL"}))
                frames.append(json.loads(await ws.recv()))
                await ws.send(json.dumps({"action": "auth", "params": KEY}))
                frames.append(json.loads(await ws.recv()))
                await ws.send(json.dumps({"action": "subscribe", "params": "AM.AAPL,T.AAPL"}))
                frames.append(json.loads(await ws.recv()))
                frames.append(json.loads(await ws.recv()))
                await ws.send(json.dumps({"action": "unsubscribe", "params": "AM.AAPL"}))
                while (frame := json.loads(await ws.recv()))[0]["ev"] == "AM":
                    pass
                frames.append(frame)
            async with connect(server.url) as ws:
                await ws.recv()
                await ws.send(json.dumps({"action": "auth", "params": "wrong"}))
                frames.append(json.loads(await ws.recv()))
        return frames

    connected, unauthorised, auth, subscribed, first_bars, unsubscribed, refused = asyncio.run(
        session()
    )
    assert connected == [
        {"ev": "status", "status": "connected", "message": "Connected Successfully"}
    ]
    assert unauthorised[0]["message"] == "not authorized"
    assert auth == [{"ev": "status", "status": "auth_success", "message": "authenticated"}]
    assert subscribed == [
        {"ev": "status", "status": "success", "message": "subscribed to: AM.AAPL"},
        {"ev": "status", "status": "error", "message": "unsupported channel: T.AAPL"},
    ]
    assert first_bars[0]["ev"] == "AM" and first_bars[0]["sym"] == "AAPL"
    assert set(first_bars[0]) >= {"v", "av", "op", "vw", "o", "c", "h", "l", "a", "z", "s", "e"}
    assert unsubscribed == [
        {"ev": "status", "status": "success", "message": "unsubscribed to: AM.AAPL"}
    ]
    assert refused[0]["status"] == "auth_failed"


def test_full_replay_arrives_once_in_order(bars_dir: Path) -> None:
    with WebsocketReplayServer(bars_dir, api_key=KEY) as server:
        got, client = asyncio.run(_collect(server, ["AAPL", "MSFT"]))
        expected = _expected(server, {"AAPL", "MSFT"})
    assert sorted((b.ticker, b.end_ms) for b in got) == expected
    assert len(expected) == 780
    assert client.stats.duplicates == 0 and client.stats.reconnects == 0


def test_dropped_line_reconnects_resubscribes_without_gap_or_duplicate(bars_dir: Path) -> None:
    with WebsocketReplayServer(bars_dir, api_key=KEY) as server:
        server.drop_after(40)
        got, client = asyncio.run(_collect(server, ["AAPL", "TSLA"]))
        expected = _expected(server, {"AAPL", "TSLA"})
        connections = server.connections
    keys = [(b.ticker, b.end_ms) for b in got]
    assert sorted(keys) == expected  # nothing missing …
    assert len(keys) == len(set(keys))  # … nothing twice
    assert connections == 2 and client.stats.reconnects == 1
    assert client.stats.duplicates > 0  # the server resent the minutes around the drop
    assert client.stats.gaps == 0


def test_malformed_frame_is_counted_logged_and_skipped(
    bars_dir: Path, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    with WebsocketReplayServer(bars_dir, api_key=KEY) as server:
        server.inject_raw("{this is not json")
        server.inject_raw(json.dumps([{"ev": "AM", "sym": "AAPL", "s": "soon"}]))
        with caplog.at_level(logging.WARNING):
            got, client = asyncio.run(_collect(server, ["AAPL"]))
        expected = _expected(server, {"AAPL"})
    assert client.stats.malformed == 2
    assert sorted((b.ticker, b.end_ms) for b in got) == expected
    # structlog writes to stdout until the CLI configures logging, then through `logging`.
    logged = caplog.text + capsys.readouterr().out
    assert logged.count("stream_message_malformed") == 2
    assert KEY not in logged  # the API key never reaches a log


def test_tickers_change_while_connected(bars_dir: Path) -> None:
    async def run() -> dict[str, set[str]]:
        with WebsocketReplayServer(bars_dir, api_key=KEY, speed=3000) as server:
            seen: dict[str, set[str]] = {"before": set(), "switching": set(), "after": set()}
            phase = "before"

            async def on_bars(bars: list[AggregateBar]) -> None:
                seen[phase].update(b.ticker for b in bars)

            client = PolygonWebsocket(server.url, SecretStr(KEY), on_bars, tickers=["AAPL"])
            task = asyncio.create_task(client.run())
            while not seen["before"]:
                await asyncio.sleep(0.01)
            phase = "switching"  # frames already in flight may still carry AAPL
            await client.set_tickers(["SPY"])
            await asyncio.sleep(0.1)
            phase = "after"
            await asyncio.sleep(0.3)
            await client.stop()
            await asyncio.wait_for(task, 5)
        return seen

    seen = asyncio.run(asyncio.wait_for(run(), 30))
    assert seen["before"] == {"AAPL"} and seen["after"] == {"SPY"}


def test_a_refused_key_stops_with_what_to_do(bars_dir: Path) -> None:
    async def run() -> None:
        with WebsocketReplayServer(bars_dir, api_key=KEY) as server:

            async def on_bars(bars: list[AggregateBar]) -> None:
                return None

            client = PolygonWebsocket(server.url, SecretStr("wrong"), on_bars, tickers=["AAPL"])
            await asyncio.wait_for(client.run(), 10)

    with pytest.raises(AuthenticationError, match="STOCKYARD_POLYGON__API_KEY"):
        asyncio.run(run())


def test_minutes_missed_while_away_are_fetched_over_rest_and_delivered_in_order(
    bars_dir: Path,
) -> None:
    """Like Polygon's live feed, the server does not resend: 5 minutes go by while the client
    reconnects. The client notices the gap per ticker and fills it from the REST minute
    aggregates (the real client and parser, against the replay HTTP server)."""
    with (
        ReplayServer([SAMPLE_ROOT]) as rest,
        WebsocketReplayServer(bars_dir, api_key=KEY, missed_while_away=5) as server,
    ):
        settings = SourceSettings(base_url=rest.base_url("polygon"), rate_per_second=50, burst=50)
        http = HttpClient("polygon", settings)
        backfill = minute_backfill(PolygonClient(http, SecretStr(KEY)))
        got: list[AggregateBar] = []

        async def on_bars(bars: list[AggregateBar]) -> None:
            got.extend(bars)

        client = PolygonWebsocket(
            server.url, SecretStr(KEY), on_bars, tickers=["AAPL", "TSLA"],
            stop_when_replay_completes=True, backoff_initial=0.05, backfill=backfill,
        )  # fmt: skip
        server.drop_after(40)
        asyncio.run(asyncio.wait_for(client.run(), 30))
        expected = _expected(server, {"AAPL", "TSLA"})
        http.close()
    keys = [(b.ticker, b.end_ms) for b in got]
    assert client.stats.gaps == 2 and client.stats.backfilled == 10  # 5 minutes × 2 tickers
    assert sorted(keys) == expected and len(keys) == len(set(keys))  # nothing missing or twice
    for ticker in ("AAPL", "TSLA"):  # each ticker in time order, the filled minutes included
        ends = [end for t, end in keys if t == ticker]
        assert ends == sorted(ends)
    # A filled minute is the bar the websocket would have sent.
    sent = {(t, m["e"]): m for minute in server.timeline for t, m in minute.messages}
    for bar in got:
        message = sent[(bar.ticker, bar.end_ms)]
        assert (bar.open, bar.close, bar.volume, bar.vwap) == (
            message["o"],
            message["c"],
            message["v"],
            message["vw"],
        )
