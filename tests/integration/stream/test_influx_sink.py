"""The optional InfluxDB sink against a real influxd 1.x: points land once, rewrites overwrite."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pydantic import SecretStr

from stockyard.config import StreamSettings
from stockyard.replay.ws_server import WebsocketReplayServer
from stockyard.stream.bus import MemoryBus
from stockyard.stream.news import load_replay_news
from stockyard.stream.runtime import StreamRuntime
from stockyard.stream.sinks import InfluxSink
from support.servers import InfluxServer

pytestmark = pytest.mark.integration


def _count(influx: InfluxServer, query: str) -> int:
    series = influx.query(query, "stockyard")["results"][0].get("series")  # type: ignore[index]
    return int(series[0]["values"][0][1]) if series else 0


def test_replay_into_influx_twice_keeps_one_point_per_minute(
    bars_dir: Path, tmp_path: Path
) -> None:
    async def replay(influx_url: str) -> int:
        with WebsocketReplayServer(bars_dir) as server:
            sink = InfluxSink(influx_url, "stockyard")
            runtime = StreamRuntime(
                StreamSettings(tickers=["AAPL"]),
                bus=MemoryBus(),
                sinks=[sink],
                ws_url=server.url,
                api_key=SecretStr("replay"),
                replay_news=list(load_replay_news(bars_dir)),
                until_done=True,
            )
            await asyncio.wait_for(runtime.run(), 60)
            await sink.close()
            return sink.points_written

    with InfluxServer(tmp_path) as influx:
        written = asyncio.run(replay(influx.url))
        asyncio.run(replay(influx.url))  # a second replay rewrites the same points
        bars = _count(influx, "SELECT count(close) FROM minute_bars WHERE ticker = 'AAPL'")
        alerts = _count(influx, "SELECT count(move_pct) FROM alerts")
        news = _count(influx, "SELECT count(title) FROM news")
    assert written == 390 + 1 + 1  # bars, the news item, the alert
    assert (bars, alerts, news) == (390, 1, 1)
