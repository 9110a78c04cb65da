"""Wiring: sources → bus → processor → sinks, in one process or split across several.

``ingest`` runs the Polygon websocket client and the news source (Guardian polling, or recorded
articles released on a replay's clock) and publishes to the bus;
``process`` consumes the bus, runs the processor, writes the sinks, then acknowledges. One process
does both by default; with Redis, ``stockyard stream --role ingest`` and ``--role process``
(one per worker) can run on different machines. With ``until_done`` a finite source (a replay)
ends the run: the ingest side publishes an end-of-stream marker on every partition once the
replay is complete, and a processor stops when it has processed the markers of all its partitions.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from prometheus_client import Counter
from pydantic import SecretStr

from stockyard.config import StreamSettings
from stockyard.sources.guardian import GuardianClient
from stockyard.sources.polygon.websocket import AggregateBar, Backfill, PolygonWebsocket
from stockyard.stream.bus import Bus, Delivery, EndOfStream, partition_of
from stockyard.stream.events import Event, NewsEvent
from stockyard.stream.hub import LiveHub
from stockyard.stream.news import GuardianPoller, ReplayNews
from stockyard.stream.processor import Output, Processor
from stockyard.stream.sinks import DuckDBSink, Sink
from stockyard.stream.watchlist import WatchList

log = structlog.get_logger("stockyard.stream.runtime")
PROCESSED = Counter(
    "stockyard_stream_processed_total",
    "Events through the stream processor, by outcome (bars_in, late_dropped, out_of_order, …)",
    ["outcome"],
)


@dataclass
class StreamSummary:
    messages_in: int = 0
    bars_written: int = 0
    news_written: int = 0
    alerts: int = 0
    late_dropped: int = 0
    out_of_order: int = 0
    duplicates: int = 0
    malformed: int = 0
    reconnects: int = 0
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    def latency_ms(self, quantile: float) -> float | None:
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "messages_in": self.messages_in,
            "bars_written": self.bars_written,
            "news_written": self.news_written,
            "alerts": self.alerts,
            "late_dropped": self.late_dropped,
            "out_of_order": self.out_of_order,
            "duplicates": self.duplicates,
            "malformed": self.malformed,
            "reconnects": self.reconnects,
            "seconds": round(self.seconds, 2),
            "latency_p50_ms": self.latency_ms(0.50),
            "latency_p99_ms": self.latency_ms(0.99),
        }


@dataclass
class _Waiting:
    """Processed batches not yet written: their merged output and the deliveries to acknowledge."""

    out: Output = field(default_factory=Output)
    deliveries: list[Delivery] = field(default_factory=list)
    events: int = 0

    def add(self, out: Output, deliveries: list[Delivery], events: int) -> None:
        self.out.extend(out)
        self.deliveries.extend(deliveries)
        self.events += events

    def take(self) -> _Waiting:
        taken = _Waiting(self.out, self.deliveries, self.events)
        self.out, self.deliveries, self.events = Output(), [], 0
        return taken


@contextlib.contextmanager
def _collector_tuned_for_streaming() -> Iterator[None]:
    """Python's cycle collector, tuned for a stream: objects alive at start (modules, settings,
    clients) are frozen out of its scans, and it runs after 50,000 new objects instead of 700.
    A stream makes tens of thousands of short-lived, cycle-free tuples a second; with the
    defaults the collector took a third of the processor's time. Restored when the run ends."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, thresholds[1], thresholds[2])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


class StreamRuntime:
    def __init__(
        self,
        settings: StreamSettings,
        *,
        bus: Bus,
        sinks: Sequence[Sink] = (),
        watchlist: WatchList | None = None,
        hub: LiveHub | None = None,
        ws_url: str | None = None,
        api_key: SecretStr | None = None,
        replay_news: list[NewsEvent] | None = None,
        guardian: GuardianClient | None = None,
        backfill: Backfill | None = None,
        ingest: bool = True,
        process: bool = True,
        owned_partitions: Sequence[int] | None = None,
        until_done: bool = False,
        max_batch: int = 2000,
        record_latency: bool = False,
    ) -> None:
        self.settings = settings
        self.bus = bus
        self.sinks = list(sinks)
        self.watchlist = watchlist or WatchList(settings.tickers, settings.news_terms)
        self.hub = hub
        self.ws_url = ws_url or settings.polygon_ws_url
        self.backfill = backfill  # fills minutes a dropped line missed (Polygon REST)
        self.api_key = api_key or SecretStr("")
        self.ingest, self.process = ingest, process
        self.owned = set(
            owned_partitions if owned_partitions is not None else range(bus.partitions)
        )
        self.until_done = until_done
        self.max_batch = max_batch
        self.record_latency = record_latency
        self.processor = Processor(settings)
        self.summary = StreamSummary()
        self.client: PolygonWebsocket | None = None
        self._news = (
            ReplayNews(list(replay_news), self.watchlist, bus.publish) if replay_news else None
        )
        self._poller = (
            GuardianPoller(
                guardian,
                self.watchlist,
                bus.publish,
                poll_seconds=settings.news_poll_seconds,
                # The first poll looks back one join window, so a fresh start has news to join.
                started_at=datetime.now(UTC) - timedelta(minutes=settings.news_join_minutes),
            )
            if guardian is not None and not replay_news
            else None
        )
        self._bar_clock = 0
        self._exported: dict[str, int] = {}
        self._stopping = asyncio.Event()

    async def stop(self) -> None:
        self._stopping.set()
        if self.client is not None:
            await self.client.stop()

    async def run(self) -> StreamSummary:
        """Run until stopped; with ``until_done``, until the replay is processed (or, ingest only,
        published). A part that fails stops the others and its error is raised."""
        started = time.perf_counter()
        with _collector_tuned_for_streaming():
            return await self._run(started)

    async def _run(self, started: float) -> StreamSummary:
        tasks = []
        if self.ingest:
            tasks.append(asyncio.create_task(self._ingest(), name="stream-ingest"))
        if self.process:
            tasks.append(asyncio.create_task(self._process(), name="stream-process"))
        finishing = tasks[-1] if self.until_done else None
        stopped = asyncio.create_task(self._stopping.wait())
        watching: set[asyncio.Task[Any]] = {*tasks, stopped}
        try:
            while watching:
                done, watching = await asyncio.wait(watching, return_when=asyncio.FIRST_COMPLETED)
                failed = any(t.exception() is not None for t in done if not t.cancelled())
                if failed or stopped in done or finishing in done:
                    break
        finally:
            stopped.cancel()
            await self.stop()
            for task in tasks:
                if not task.done():
                    task.cancel()
            results = await asyncio.gather(*tasks, return_exceptions=True)
            self.summary.seconds = time.perf_counter() - started
            self._fill_summary()
        for result in results:
            if isinstance(result, BaseException) and not isinstance(result, asyncio.CancelledError):
                raise result
        return self.summary

    # -- ingest ------------------------------------------------------------------------------
    async def _on_bars(self, bars: list[AggregateBar]) -> None:
        await self.bus.publish(bars)
        if self._news is not None:
            self._bar_clock = max(self._bar_clock, max(b.end_ms for b in bars))
            await self._news.advance(self._bar_clock)

    async def _ingest(self) -> None:
        client = PolygonWebsocket(
            self.ws_url,
            self.api_key,
            self._on_bars,
            tickers=self.watchlist.tickers,
            stop_when_replay_completes=self.until_done,
            backfill=self.backfill,
        )
        self.client = client
        helpers = [asyncio.create_task(self._follow_watchlist(client))]
        if self._poller is not None:
            helpers.append(asyncio.create_task(self._poller.run(), name="stream-news"))
        try:
            await client.run()
        finally:
            for helper in helpers:
                helper.cancel()
        if client.completed.is_set():
            if self._news is not None:
                await self._news.finish()
            await self.bus.end_of_stream("polygon")
            log.info("stream_ingest_complete", bars=client.stats.bars)

    async def _follow_watchlist(self, client: PolygonWebsocket) -> None:
        version = self.watchlist.version
        while True:
            version = await self.watchlist.changed(version)
            await client.set_tickers(self.watchlist.tickers)
            self.processor.join.watch(self.watchlist.tickers)
            log.info("stream_watchlist_changed", **self.watchlist.as_dict())

    # -- process -----------------------------------------------------------------------------
    def _warm_windows(self) -> None:
        """After a restart, rebuild the windows of this worker's tickers from what was written."""
        windows = self.processor.windows
        for sink in self.sinks:
            if isinstance(sink, DuckDBSink):
                bars = sink.recent_bars(windows.horizon_ms + windows.allowed_lateness_ms)
                mine = [
                    b for b in bars if partition_of(b.ticker, self.bus.partitions) in self.owned
                ]
                windows.warm(mine)
                if mine:
                    log.info("stream_windows_warmed", bars=len(mine))
                return

    async def _process(self) -> None:
        self._warm_windows()
        ended: set[int] = set()
        # One write runs at a time (in a thread) while the loop goes on consuming and processing.
        # What is processed meanwhile waits and goes out together in the next write (group
        # commit): a slow feed writes each batch as it comes, a fast one fewer, larger
        # transactions. Acknowledgements follow their writes, in order.
        writing: asyncio.Task[None] | None = None
        waiting = _Waiting()
        try:
            while not self._stopping.is_set():
                deliveries = await self.bus.consume(self.max_batch, block_ms=100)
                if deliveries:
                    events: list[Event] = []
                    for delivery in deliveries:
                        if isinstance(delivery.messages[0], EndOfStream):
                            ended.add(delivery.partition)  # a marker travels alone
                        else:
                            events.extend(delivery.messages)  # type: ignore[arg-type]
                    waiting.add(self.processor.process(events), deliveries, len(events))
                idle = writing is None or writing.done()
                if waiting.deliveries and (idle or waiting.events >= 8 * self.max_batch):
                    if writing is not None:
                        await writing  # (raises what the last write raised)
                    writing = asyncio.create_task(self._write(waiting.take()))
                if self.until_done and ended >= self.owned:
                    break
            if writing is not None:
                await writing
                writing = None
            if waiting.deliveries:
                await self._write(waiting.take())
            if self.until_done and ended >= self.owned:
                log.info("stream_process_complete", **self.processor.counters())
        finally:
            if writing is not None:
                await writing

    async def _write(self, batch: _Waiting) -> None:
        out, deliveries = batch.out, batch.deliveries
        for sink in self.sinks:
            await sink.write(out)
        # Acknowledge only what is written: a crash before this line means redelivery, not loss.
        await self.bus.ack(deliveries)
        self.summary.messages_in += batch.events
        self.summary.bars_written += len(out.signals)
        self.summary.news_written += len(out.news)
        self.summary.alerts += len(out.alerts)
        if self.record_latency:
            now = time.time_ns()
            for d in deliveries:
                if d.published_ns:
                    self.summary.latencies_ms.extend(
                        [(now - d.published_ns) / 1e6] * len(d.messages)
                    )
        counters = self.processor.counters()
        for name, value in counters.items():
            if value > self._exported.get(name, 0):
                PROCESSED.labels(name).inc(value - self._exported.get(name, 0))
        self._exported = counters
        if self.hub is not None:
            self.hub.publish(out, counters)

    def _fill_summary(self) -> None:
        counters = self.processor.counters()
        self.summary.late_dropped = counters["late_dropped"]
        self.summary.out_of_order = counters["out_of_order"]
        self.summary.duplicates = counters["duplicates"]
        malformed = getattr(self.bus, "malformed", 0)
        reconnects = getattr(self.bus, "reconnects", 0)
        if self.client is not None:
            self.summary.duplicates += self.client.stats.duplicates
            malformed += self.client.stats.malformed
            reconnects += self.client.stats.reconnects
        self.summary.malformed = malformed
        self.summary.reconnects = reconnects
