"""The whole stream in one process (in-process bus and Redis Streams), and the CLI over it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import duckdb
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from stockyard.cli.app import app
from stockyard.config import StreamSettings
from stockyard.replay.ws_server import WebsocketReplayServer
from stockyard.sources.polygon.websocket import AggregateBar, AuthenticationError
from stockyard.stream.bus import Bus, MemoryBus
from stockyard.stream.news import load_replay_news
from stockyard.stream.redis_bus import RedisBus
from stockyard.stream.runtime import StreamRuntime, StreamSummary
from stockyard.stream.sinks import DuckDBSink
from support.servers import RedisServer

pytestmark = pytest.mark.integration
EXPECTED_BARS = 2338  # rows of the six bundled CSVs (PROVENANCE.md)


def _replay(bars_dir: Path, bus: Bus, warehouse: Path) -> StreamSummary:
    async def run() -> StreamSummary:
        with WebsocketReplayServer(bars_dir) as server:
            sink = DuckDBSink(warehouse)
            runtime = StreamRuntime(
                StreamSettings(),
                bus=bus,
                sinks=[sink],
                ws_url=server.url,
                api_key=SecretStr("replay"),
                replay_news=list(load_replay_news(bars_dir)),
                until_done=True,
                record_latency=True,
            )
            try:
                return await asyncio.wait_for(runtime.run(), 60)
            finally:
                await sink.close()
                await bus.close()

    return asyncio.run(run())


def _check_warehouse(warehouse: Path) -> None:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        bars = con.execute(
            "SELECT count(*), count(DISTINCT (ticker, window_end_ms)), count(ret_15m) "
            "FROM stream.minute_bars"
        ).fetchone()
        alert = con.execute("SELECT ticker, news_id, move_pct FROM stream.alerts").fetchall()
        news = con.execute("SELECT tickers FROM stream.news").fetchall()
    finally:
        con.close()
    assert bars is not None and bars[0] == bars[1] == EXPECTED_BARS
    assert bars[2] > EXPECTED_BARS * 0.9  # the 15-minute return exists once 15 minutes have passed
    # The bundled Apple article lands two minutes before AAPL's largest 5-minute move (PROVENANCE).
    assert alert == [("AAPL", "commentisfree/2014/sep/10/addicted-apple-watch-technology", -0.5769)]
    assert news == [("AAPL",)]


def test_in_process_replay_end_to_end(bars_dir: Path, tmp_path: Path) -> None:
    summary = _replay(bars_dir, MemoryBus(), tmp_path / "w.duckdb")
    assert (summary.messages_in, summary.bars_written, summary.alerts) == (
        EXPECTED_BARS + 1,
        EXPECTED_BARS,
        1,
    )
    assert summary.late_dropped == summary.malformed == summary.duplicates == 0
    _check_warehouse(tmp_path / "w.duckdb")


def test_redis_streams_replay_end_to_end(
    bars_dir: Path, tmp_path: Path, redis_server: RedisServer
) -> None:
    bus = RedisBus(redis_server.url, partitions=4)
    summary = _replay(bars_dir, bus, tmp_path / "w.duckdb")
    assert summary.bars_written == EXPECTED_BARS and summary.alerts == 1
    _check_warehouse(tmp_path / "w.duckdb")
    p99 = summary.latency_ms(0.99)
    assert p99 is not None and p99 < 5000


def test_cli_until_done_prints_the_summary(bars_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app,
        ["stream", "--replay", str(bars_dir), "--speed", "max", "--until-done",
         "--tickers", "AAPL,MSFT", "--news-terms", "Apple", "--home", str(tmp_path)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for line in ("messages in", "bars written", "late (dropped)", "alerts"):
        assert line in result.output
    assert "│ bars written            │   780 │" in result.output
    con = duckdb.connect(str(tmp_path / "realtime.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM stream.alerts").fetchone() == (1,)
    con.close()


def test_cli_refuses_a_split_role_without_a_shared_bus(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["stream", "--role", "process", "--home", str(tmp_path)])
    assert result.exit_code != 0 and "STOCKYARD_BUS_URL" in result.output


def test_late_and_out_of_order_bars_by_rule_into_duckdb(tmp_path: Path) -> None:
    minute = 60_000

    def bar(m: int, close: float) -> AggregateBar:
        return AggregateBar(
            "AAPL", m * minute, (m + 1) * minute, close, close, close, close, 10, close
        )

    async def run() -> StreamSummary:
        bus = MemoryBus()
        sink = DuckDBSink(tmp_path / "w.duckdb")
        runtime = StreamRuntime(
            StreamSettings(allowed_lateness_seconds=120), bus=bus, sinks=[sink],
            ingest=False, until_done=True,
        )  # fmt: skip
        # Minute 3 arrives after 4 (within the lateness); minute 0 after 5 (too late); 4 twice.
        await bus.publish([bar(1, 10.0), bar(2, 10.0), bar(4, 12.0), bar(3, 11.0)])
        await bus.publish([bar(5, 12.5), bar(0, 9.0), bar(4, 12.0)])
        await bus.end_of_stream("test")
        try:
            return await asyncio.wait_for(runtime.run(), 10)
        finally:
            await sink.close()

    summary = asyncio.run(run())
    assert (summary.out_of_order, summary.late_dropped, summary.duplicates) == (1, 1, 1)
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT window_end_ms // 60000 - 1, ret_1m FROM stream.minute_bars ORDER BY 1"
    ).fetchall()
    con.close()
    # Minute 4's 1-minute return was first written without minute 3, then revised with it.
    assert rows == [
        (1, None),
        (2, 0.0),
        (3, pytest.approx(0.1)),
        (4, pytest.approx(12 / 11 - 1)),
        (5, pytest.approx(12.5 / 12 - 1)),
    ]


def test_a_failing_source_stops_the_stream_with_its_error(bars_dir: Path, tmp_path: Path) -> None:
    async def run() -> None:
        with WebsocketReplayServer(bars_dir, api_key="the-right-key") as server:
            runtime = StreamRuntime(
                StreamSettings(), bus=MemoryBus(), ws_url=server.url, api_key=SecretStr("wrong")
            )
            await asyncio.wait_for(runtime.run(), 10)  # no until_done: only the error ends it

    with pytest.raises(AuthenticationError, match="refused the API key"):
        asyncio.run(run())
