"""The bus over Redis Streams: partitions, a consumer group, acknowledgements, pending recovery.

Layout: one stream per partition, ``<prefix>:events:<p>``; a key (ticker or search term) always
hashes to the same partition. One entry carries the events a publish call had for that partition
(a frame's worth), so Redis work grows with frames, not with messages. Processors share one consumer group; each reads only the partitions
it owns (worker i of n owns p ≡ i mod n), so a ticker's windows live in exactly one process.

Exactly-once into the sink comes from three parts together: a batch is acknowledged (XACK) only
after its results are written; a restarted consumer first re-reads its own pending entries (those
delivered but never acknowledged); and the sink upserts on (ticker, window end), so an entry
processed twice writes the same row. Entries a consumer left pending for longer than
``claim_idle_ms`` are taken over with XAUTOCLAIM, so a consumer that never comes back loses nothing.
When Redis is unreachable (restarted), calls retry with backoff until it answers.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import structlog
from prometheus_client import Counter
from redis import exceptions as redis_errors
from redis.asyncio import Redis

from stockyard.stream.bus import Delivery, EndOfStream, Message, partition_of
from stockyard.stream.events import Event, decode_many, encode_many, key_of

log = structlog.get_logger("stockyard.stream.redis_bus")
T = TypeVar("T")

BUS_EVENTS = Counter(
    "stockyard_stream_bus_events_total", "Bus entries by outcome", ["bus", "outcome"]
)
_UNAVAILABLE = (
    redis_errors.ConnectionError,
    redis_errors.TimeoutError,
    redis_errors.BusyLoadingError,
    OSError,
)


class RedisBus:
    def __init__(
        self,
        url: str,
        *,
        partitions: int = 4,
        group: str = "stockyard-processor",
        consumer: str = "processor-0",
        owned: Sequence[int] | None = None,
        prefix: str = "stockyard:stream",
        claim_idle_ms: int = 30_000,
        maxlen: int = 2_000_000,
        unavailable_for_seconds: float = 120.0,
    ) -> None:
        self.url = url
        self.partitions = partitions
        self.group, self.consumer = group, consumer
        self.streams = [f"{prefix}:events:{p}" for p in range(partitions)]
        self.owned = [self.streams[p] for p in (owned if owned is not None else range(partitions))]
        self.claim_idle_ms = claim_idle_ms
        self.maxlen = maxlen
        self.unavailable_for_seconds = unavailable_for_seconds
        self.malformed = 0
        self.reconnects = 0
        self._redis: Redis = Redis.from_url(url, socket_connect_timeout=2)
        self._groups_ready = False
        self._own_pending_done = False
        # Where the scan of this consumer's own pending entries has got to, per stream.
        self._pending_from: dict[str, str] = {}
        self._next_claim = 0.0

    # -- resilience --------------------------------------------------------------------------
    async def _call(self, operation: Callable[[], Awaitable[T]]) -> T:
        """Run ``operation``, waiting out a Redis that is restarting (and its lost groups)."""
        deadline = time.monotonic() + self.unavailable_for_seconds
        delay = 0.05
        while True:
            try:
                return await operation()
            except _UNAVAILABLE as exc:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"Redis at {self.url} has not answered for {self.unavailable_for_seconds:.0f}s "
                        f"({exc}); start it or fix STOCKYARD_BUS_URL"
                    ) from exc
                self.reconnects += 1
                # A read Redis answered but the line lost leaves entries pending for this consumer
                # that ">" never hands out again: re-read our own pending entries first.
                self._own_pending_done = False
                self._pending_from = {}
                log.warning("bus_unavailable", bus="redis", error=str(exc), retry_in=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 2.0)
            except redis_errors.ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                # Redis came back without our group (no persistence): create it and go on.
                self._groups_ready = False
                await self._ensure_groups()

    async def _ensure_groups(self) -> None:
        if self._groups_ready:
            return
        for stream in self.streams:
            try:
                await self._redis.xgroup_create(stream, self.group, id="0", mkstream=True)
            except redis_errors.ResponseError as exc:
                if "BUSYGROUP" not in str(exc):
                    raise
        self._groups_ready = True

    # -- producing ---------------------------------------------------------------------------
    async def publish(self, events: Sequence[Event]) -> None:
        """One entry per partition per call: a frame of 240 bars is 4 round trips, not 240."""
        if not events:
            return
        by_partition: dict[int, list[Event]] = {}
        for event in events:
            by_partition.setdefault(partition_of(key_of(event), self.partitions), []).append(event)
        stamp = str(time.time_ns())

        async def send() -> None:
            pipe = self._redis.pipeline(transaction=False)
            for partition, batch in by_partition.items():
                fields = {"e": encode_many(batch), "t": stamp}
                pipe.xadd(self.streams[partition], fields, maxlen=self.maxlen, approximate=True)  # type: ignore[arg-type]
            await pipe.execute()

        await self._call(send)

    async def end_of_stream(self, source: str) -> None:
        async def send() -> None:
            pipe = self._redis.pipeline(transaction=False)
            for stream in self.streams:
                pipe.xadd(stream, {"eos": source, "t": str(time.time_ns())})
            await pipe.execute()

        await self._call(send)

    # -- consuming ---------------------------------------------------------------------------
    async def consume(self, max_batch: int, block_ms: int) -> list[Delivery]:
        await self._call(self._ensure_groups)
        if not self._own_pending_done:
            # Entries this consumer was given before a crash and never acknowledged come first,
            # in id order; the scan moves on past what it has handed out.
            start = {s: self._pending_from.get(s, "0") for s in self.owned}
            own = await self._read(start, max_batch, None)
            if own:
                for delivery in own:
                    self._pending_from[self.streams[delivery.partition]] = delivery.id
                return own
            self._own_pending_done = True
            self._pending_from = {}
        if time.monotonic() >= self._next_claim:
            self._next_claim = time.monotonic() + self.claim_idle_ms / 1000
            claimed = await self._claim(max_batch)
            if claimed:
                return claimed
        reconnects = self.reconnects
        fresh = await self._read({s: ">" for s in self.owned}, max_batch, block_ms)
        if self.reconnects != reconnects:
            # The line dropped during this read: Redis may have handed out entries whose answer
            # was lost, and the retried read handed out the ones after them. Both are pending
            # for this consumer now; taking only the second would process them out of order
            # (and the first could then fall behind the watermark). Re-read the pending in order.
            return []
        return fresh

    async def _read(
        self, streams: dict[Any, Any], count: int, block_ms: int | None
    ) -> list[Delivery]:
        async def read() -> Any:
            return await self._redis.xreadgroup(
                self.group, self.consumer, streams, count=count, block=block_ms
            )

        response = await self._call(read)
        deliveries: list[Delivery] = []
        for stream, entries in response or []:
            name = stream.decode() if isinstance(stream, bytes) else stream
            await self._collect(name, entries, deliveries)
        return deliveries

    async def _claim(self, count: int) -> list[Delivery]:
        deliveries: list[Delivery] = []
        for stream in self.owned:

            async def claim(stream: str = stream) -> Any:
                return await self._redis.xautoclaim(
                    stream, self.group, self.consumer, self.claim_idle_ms, "0-0", count=count
                )

            response = await self._call(claim)
            await self._collect(stream, response[1] if response else [], deliveries)
        if deliveries:
            log.info("bus_claimed_pending", bus="redis", entries=len(deliveries))
        return deliveries

    async def _collect(self, stream: str, entries: Any, into: list[Delivery]) -> None:
        partition = self.streams.index(stream)
        unusable: list[Any] = []
        for entry_id, fields in entries:
            messages = self._messages(fields)
            if not messages:
                unusable.append(entry_id)
                continue
            stamp = int(fields.get(b"t", b"0"))
            entry = entry_id.decode()
            into.append(Delivery(partition, entry, messages, stamp))
        if unusable:
            # Counted and logged in _messages; acknowledged so they are not redelivered forever.
            await self._call(lambda: self._redis.xack(stream, self.group, *unusable))

    def _messages(self, fields: dict[bytes, bytes] | None) -> list[Message]:
        if not fields:
            return []  # trimmed away while pending
        if b"eos" in fields:
            return [EndOfStream(fields[b"eos"].decode())]
        try:
            return list(decode_many(fields[b"e"]))
        except (KeyError, ValueError) as exc:
            self.malformed += 1
            BUS_EVENTS.labels("redis", "malformed").inc()
            log.warning("bus_entry_malformed", bus="redis", error=str(exc))
            return []

    async def ack(self, deliveries: Sequence[Delivery]) -> None:
        by_stream: dict[str, set[str]] = {}
        for delivery in deliveries:
            by_stream.setdefault(self.streams[delivery.partition], set()).add(delivery.id)

        async def send() -> None:
            pipe = self._redis.pipeline(transaction=False)
            for stream, ids in by_stream.items():
                pipe.xack(stream, self.group, *ids)
            await pipe.execute()

        if by_stream:
            await self._call(send)

    async def pending(self) -> int:
        """Entries delivered to the group but not yet acknowledged, over the owned partitions."""
        total = 0
        for stream in self.owned:

            async def pending_of(stream: str = stream) -> Any:
                return await self._redis.xpending(stream, self.group)

            info = await self._call(pending_of)
            total += int(info["pending"])
        return total

    async def reset(self) -> None:
        """Delete the streams (tests and benchmarks start clean)."""
        await self._call(lambda: self._redis.delete(*self.streams))
        self._groups_ready = False

    async def close(self) -> None:
        await self._redis.aclose()
