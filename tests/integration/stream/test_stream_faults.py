"""Faults across processes: a processor killed mid-stream, Redis restarted mid-stream.

Both run the real CLI or runtime against a real redis-server (append-only, so a restart keeps the
streams) and check the warehouse holds every replayed bar exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest
from pydantic import SecretStr
from redis import Redis

from stockyard.config import StreamSettings
from stockyard.replay.ws_server import WebsocketReplayServer, build_timeline, load_recorded_bars
from stockyard.sources.polygon.websocket import parse_aggregate
from stockyard.stream.redis_bus import RedisBus
from stockyard.stream.runtime import StreamRuntime
from stockyard.stream.sinks import DuckDBSink
from stockyard.stream.windows import Windows
from support.servers import RedisServer

pytestmark = pytest.mark.integration
EXPECTED_BARS = 2338
STOCKYARD = [sys.executable, "-m", "stockyard.cli.app"]


def _bars_once(warehouse: Path) -> tuple[int, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        row = con.execute(
            "SELECT count(*), count(DISTINCT (ticker, window_end_ms)) FROM stream.minute_bars"
        ).fetchone()
    finally:
        con.close()
    assert row is not None
    return int(row[0]), int(row[1])


def _signals(warehouse: Path) -> dict[tuple[str, int], tuple[float | None, ...]]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "SELECT ticker, window_end_ms, rolling_vwap, ret_1m, ret_5m, ret_15m, volume_z "
            "FROM stream.minute_bars"
        ).fetchall()
    finally:
        con.close()
    return {(r[0], r[1]): _rounded(r[2:]) for r in rows}


def _rounded(values: tuple[float | None, ...]) -> tuple[float | None, ...]:
    return tuple(None if v is None else round(v, 9) for v in values)


def _uninterrupted_signals(bars_dir: Path) -> dict[tuple[str, int], tuple[float | None, ...]]:
    windows = Windows(allowed_lateness_ms=StreamSettings().allowed_lateness_seconds * 1000)
    expected = {}
    for minute in build_timeline(load_recorded_bars(bars_dir)):
        for _, message in minute.messages:
            for s in windows.add(parse_aggregate(message)):
                expected[(s.ticker, s.end_ms)] = _rounded(
                    (s.rolling_vwap, s.ret_1m, s.ret_5m, s.ret_15m, s.volume_z)
                )
    return expected


def _acknowledged(url: str, partitions: int = 4) -> int:
    client = Redis.from_url(url)
    done = 0
    try:
        for p in range(partitions):
            stream = f"stockyard:stream:events:{p}"
            if not client.exists(stream):
                continue
            for group in client.xinfo_groups(stream):
                done += int(group.get("entries-read") or 0) - int(group["pending"])
    finally:
        client.close()
    return done


def test_processor_killed_mid_stream_and_restarted_writes_every_bar_once(
    bars_dir: Path, tmp_path: Path, redis_server: RedisServer
) -> None:
    env = {**os.environ, "STOCKYARD_BUS_URL": redis_server.url, "STOCKYARD_HOME": str(tmp_path)}
    # ~3 s of replay: 390 minutes at 7,800× the market's pace.
    ingest = subprocess.Popen(
        [*STOCKYARD, "stream", "--role", "ingest", "--replay", str(bars_dir), "--speed", "7800",
         "--until-done"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    processor_cmd = [*STOCKYARD, "stream", "--role", "process", "--until-done", "--batch", "25"]
    first = subprocess.Popen(
        processor_cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while _acknowledged(redis_server.url) < 300:
        assert time.monotonic() < deadline, "the first processor never got going"
        assert first.poll() is None, "the first processor exited early"
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)  # no goodbye: whatever it had not acknowledged is pending
    first.wait(10)
    killed_at = _acknowledged(redis_server.url)
    assert killed_at < EXPECTED_BARS, "the processor finished before it could be killed"

    second = subprocess.run(processor_cmd, env=env, capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stdout + second.stderr
    out, _ = ingest.communicate(timeout=30)
    assert ingest.returncode == 0, out
    assert _bars_once(tmp_path / "realtime.duckdb") == (EXPECTED_BARS, EXPECTED_BARS)
    assert "bars written" in second.stdout
    # The restarted processor rebuilt its windows from the warehouse: every signal is what an
    # uninterrupted run computes.
    assert _signals(tmp_path / "realtime.duckdb") == _uninterrupted_signals(bars_dir)


def test_redis_restart_mid_stream_and_the_pipeline_resumes(
    bars_dir: Path, tmp_path: Path, redis_server: RedisServer
) -> None:
    async def run() -> tuple[int, int]:
        with WebsocketReplayServer(bars_dir, speed=7800) as server:
            bus = RedisBus(redis_server.url, partitions=4)
            sink = DuckDBSink(tmp_path / "w.duckdb")
            runtime = StreamRuntime(
                StreamSettings(),
                bus=bus,
                sinks=[sink],
                ws_url=server.url,
                api_key=SecretStr("replay"),
                until_done=True,
                max_batch=50,
            )
            restarter = threading.Timer(1.0, redis_server.restart, kwargs={"down_for": 0.5})
            restarter.start()
            try:
                summary = await asyncio.wait_for(runtime.run(), 60)
            finally:
                restarter.join()
                await sink.close()
                await bus.close()
            return summary.bars_written, bus.reconnects

    written, reconnects = asyncio.run(run())
    assert reconnects > 0, "Redis restarted, yet the bus never saw it go away"
    assert written >= EXPECTED_BARS
    assert _bars_once(tmp_path / "w.duckdb") == (EXPECTED_BARS, EXPECTED_BARS)
