"""Streaming throughput and latency: the stream framework vs a bare decode-and-insert loop.

The bundled real minute bars (6 tickers, 2019-02-15) are copied under 40 renamed tickers each
(AAPL → AAPL00 … AAPL39: real values, 240 tickers, ~94,000 AM messages, 240 per minute frame, as
a whole-market feed would send) and served by the websocket replay server in a separate process,
so the client side has the CPU to itself. Every scenario reads the same frames over a real
websocket at full speed:

- baseline: a bare websockets loop — recv, decode the AM events, upsert the bars into DuckDB in
  batches; no bus, no processor, no signals;
- in-process bus: `StreamRuntime` with the asyncio bus, processor (windows, joins) and DuckDB sink;
- the same without a sink: what the bus and processor alone sustain;
- Redis Streams: the full stream with the Redis bus (a redis-server started for the run);
- at ~1,000 messages/s (in-process and Redis): the bundled 6 tickers replayed at 10,000×, for the
  latency a live feed would see (at full speed latency is mostly time queued behind the sink).

Each full-speed figure is the median of three runs. Latency is publish-to-written (the bus's end-to-end: from the moment the client hands a bar to
the bus to the commit of the batch holding it). Targets: ≥ 50,000 messages/s in-process, p99
< 100 ms at 1,000 messages/s over Redis. Run: `python benchmarks/bench_stream.py`.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table
from websockets.asyncio.client import connect

from stockyard.config import StreamSettings
from stockyard.replay import SAMPLE_ROOT
from stockyard.sources.polygon.websocket import decode_frame
from stockyard.stream.bus import Bus, MemoryBus
from stockyard.stream.redis_bus import RedisBus
from stockyard.stream.runtime import StreamRuntime, StreamSummary
from stockyard.stream.sinks import DuckDBSink
from stockyard.warehouse.stream_sink import ensure_stream_schema, write_batch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.servers import RedisServer, free_port

COPIES = 40
BATCH = 2000
REPEATS = 3
SERVER = """
import sys, time
from pathlib import Path
from stockyard.replay.ws_server import WebsocketReplayServer
speed = None if sys.argv[2] == "max" else float(sys.argv[2])
server = WebsocketReplayServer(Path(sys.argv[1]), speed=speed, port=int(sys.argv[3])).start()
print(server.message_count, flush=True)
while True:
    time.sleep(3600)
"""


def widen(folder: Path) -> Path:
    """The bundled CSVs, each copied under COPIES renamed tickers."""
    for source in sorted((SAMPLE_ROOT / "minute_bars").glob("*_1min.csv")):
        ticker = source.name.removesuffix("_1min.csv")
        for i in range(COPIES):
            shutil.copyfile(source, folder / f"{ticker}{i:02d}_1min.csv")
    return folder


class ReplayProcess:
    def __init__(self, bars_dir: Path, speed: str) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(bars_dir), speed, str(self.port)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.messages = int(self.process.stdout.readline())
        self.url = f"ws://127.0.0.1:{self.port}/stocks"

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(10)


async def baseline(url: str, key: str, warehouse: Path) -> tuple[int, float]:
    """Receive, decode, upsert in batches: the loop the framework must not be much slower than."""
    con = duckdb.connect(str(warehouse))
    ensure_stream_schema(con)
    rows: list[tuple[object, ...]] = []
    count = 0
    async with connect(url, max_size=2**24) as ws:
        await ws.recv()
        await ws.send(json.dumps({"action": "auth", "params": key}))
        await ws.recv()
        await ws.send(json.dumps({"action": "subscribe", "params": "AM.*"}))
        await ws.recv()
        started = time.perf_counter()
        async for raw in ws:
            decoded = decode_frame(raw)
            for b in decoded.bars:
                rows.append(
                    (b.ticker, b.start_ms, b.end_ms, b.open, b.high, b.low, b.close, b.volume,
                     b.vwap, b.vwap, None, None, None, None)
                )  # fmt: skip
            if len(rows) >= BATCH or decoded.statuses:
                write_batch(con, rows)
                count += len(rows)
                rows = []
            if any(s.get("status") == "replay_complete" for s in decoded.statuses):
                break
        seconds = time.perf_counter() - started
    con.close()
    return count, seconds


async def framework(
    url: str, bus: Bus, warehouse: Path | None, tickers: list[str]
) -> StreamSummary:
    sink = DuckDBSink(warehouse) if warehouse is not None else None
    runtime = StreamRuntime(
        StreamSettings(tickers=tickers),
        bus=bus,
        sinks=[sink] if sink is not None else [],
        ws_url=url,
        api_key=SecretStr(f"bench-{time.time_ns()}"),  # a fresh replay position per run
        until_done=True,
        max_batch=BATCH,
        record_latency=True,
    )
    try:
        return await runtime.run()
    finally:
        if sink is not None:
            await sink.close()
        await bus.close()


def main() -> None:
    console = Console()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "wide").mkdir()
        wide_dir = widen(work / "wide")
        tickers = sorted(p.name.removesuffix("_1min.csv") for p in wide_dir.glob("*_1min.csv"))
        wide = ReplayProcess(wide_dir, "max")
        # 6 tickers a minute at 10,000× ≈ 1,000 messages a second.
        paced = ReplayProcess(SAMPLE_ROOT / "minute_bars", "10000")
        redis = RedisServer(work).start()
        try:
            rows: list[tuple[str, int, float, float | None, float | None]] = []
            baselines = sorted(
                asyncio.run(baseline(wide.url, f"baseline-{i}", work / f"baseline{i}.duckdb"))
                for i in range(REPEATS)
            )
            n, seconds = baselines[len(baselines) // 2]
            base_rate = n / seconds
            rows.append(("baseline: recv + decode + upsert", n, base_rate, None, None))
            six = ["AAPL", "AMZN", "JPM", "MSFT", "SPY", "TSLA"]
            scenarios: list[tuple[str, str, Callable[[], Bus], list[str], bool]] = [
                ("in-process bus, full stream", wide.url, MemoryBus, tickers, True),
                ("in-process bus + processor, no sink", wide.url, MemoryBus, tickers, False),
                (
                    "Redis Streams, full stream",
                    wide.url,
                    lambda: RedisBus(redis.url, partitions=4, prefix=f"b{time.time_ns()}"),
                    tickers,
                    True,
                ),
                ("in-process bus at ~1,000 msg/s", paced.url, MemoryBus, six, True),
                (
                    "Redis Streams at ~1,000 msg/s",
                    paced.url,
                    lambda: RedisBus(redis.url, partitions=4, prefix=f"b{time.time_ns()}"),
                    six,
                    True,
                ),
            ]
            for label, url, make_bus, watched, with_sink in scenarios:
                # Full-speed runs on a shared 2-core machine vary by ±15%: report the median of
                # REPEATS runs (paced runs are limited by the pace, once is enough).
                runs = []
                for _ in range(REPEATS if url == wide.url else 1):
                    warehouse = work / f"{time.time_ns()}.duckdb" if with_sink else None
                    runs.append(asyncio.run(framework(url, make_bus(), warehouse, watched)))
                runs.sort(key=lambda run: run.messages_in / run.seconds)
                summary = runs[len(runs) // 2]
                rate = summary.messages_in / summary.seconds
                rows.append(
                    (
                        label,
                        summary.messages_in,
                        rate,
                        summary.latency_ms(0.5),
                        summary.latency_ms(0.99),
                    )
                )
        finally:
            redis.stop()
            wide.close()
            paced.close()

    table = Table(title=f"Streaming {wide.messages:,} real minute bars (240 tickers) at full speed")
    for column in ("scenario", "messages", "messages/s", "× baseline", "p50 ms", "p99 ms"):
        table.add_column(column, justify="right" if column != "scenario" else "left")
    for label, count, rate, p50, p99 in rows:
        table.add_row(
            label,
            f"{count:,}",
            f"{rate:,.0f}",
            f"{rate / base_rate:.2f}",
            "" if p50 is None else f"{p50:.1f}",
            "" if p99 is None else f"{p99:.1f}",
        )
    console.print(table)
    in_process, paced_row = rows[1], rows[5]
    console.print(
        f"in-process: {in_process[2]:,.0f} msg/s (target ≥ 50,000: "
        f"{'met' if in_process[2] >= 50_000 else 'NOT met'}); Redis p99 at ~1,000 msg/s: "
        f"{paced_row[4]:.1f} ms (target < 100 ms: "
        f"{'met' if (paced_row[4] or 1e9) < 100 else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
