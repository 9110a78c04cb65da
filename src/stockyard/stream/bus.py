"""The bus between sources and the processor: in-process by default, Redis Streams when configured.

Both carry the same events on one topic, partitioned by key (ticker for bars, search term for
news) so one key's events stay in order, like Kafka partitions. A consumer acknowledges a batch
only after its results are written; the Redis bus redelivers whatever was not acknowledged.
An `EndOfStream` marker, published on every partition when a finite source (a replay) is done,
lets a processor in another process know it has seen everything.
"""

from __future__ import annotations

import asyncio
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from stockyard.stream.events import Event, key_of


@dataclass(frozen=True, slots=True)
class EndOfStream:
    """No more events will follow on this partition (a replay has been fully published)."""

    source: str


Message = Event | EndOfStream


@dataclass(frozen=True, slots=True)
class Delivery:
    """One bus entry: the events one publish call put on one partition, or an end-of-stream
    marker alone. Entries, not events, are delivered and acknowledged, so the bus's own cost
    grows with frames (a whole market's minute is one frame), not with messages."""

    partition: int
    id: str
    messages: Sequence[Message]
    published_ns: int  # time.time_ns() at publish, for end-to-end latency


def partition_of(key: str, partitions: int) -> int:
    return zlib.crc32(key.encode()) % partitions


class Bus(Protocol):
    partitions: int

    async def publish(self, events: Sequence[Event]) -> None: ...

    async def end_of_stream(self, source: str) -> None: ...

    async def consume(self, max_batch: int, block_ms: int) -> list[Delivery]: ...

    async def ack(self, deliveries: Sequence[Delivery]) -> None: ...

    async def close(self) -> None: ...


class MemoryBus:
    """An asyncio queue of published batches; acknowledgement is bookkeeping only (a crash loses
    the process, and its queue, anyway)."""

    def __init__(self, partitions: int = 1, max_batches: int = 64) -> None:
        self.partitions = partitions
        # Bounded, so a fast replay waits for the processor instead of filling memory.
        self._queue: asyncio.Queue[Delivery] = asyncio.Queue(maxsize=max_batches)
        self.published = 0
        self.acked = 0

    async def publish(self, events: Sequence[Event]) -> None:
        if events:
            await self._queue.put(Delivery(0, "", events, time.time_ns()))
            self.published += len(events)

    async def end_of_stream(self, source: str) -> None:
        await self._queue.put(Delivery(0, "", (EndOfStream(source),), time.time_ns()))

    async def consume(self, max_batch: int, block_ms: int) -> list[Delivery]:
        """Whole entries, until they hold ``max_batch`` messages or the queue is empty."""
        queue = self._queue
        try:
            first = await asyncio.wait_for(queue.get(), block_ms / 1000)
        except TimeoutError:
            return []
        batch, count = [first], len(first.messages)
        while count < max_batch and not queue.empty():
            delivery = queue.get_nowait()
            batch.append(delivery)
            count += len(delivery.messages)
        return batch

    async def ack(self, deliveries: Sequence[Delivery]) -> None:
        self.acked += sum(len(d.messages) for d in deliveries)

    async def close(self) -> None:
        return None


def owned_partitions(partitions: int, worker: int, workers: int) -> list[int]:
    """Worker ``worker`` of ``workers`` reads these partitions (each key has one reader)."""
    if not 0 <= worker < workers:
        raise ValueError(f"worker {worker} is not in 0..{workers - 1}")
    return [p for p in range(partitions) if p % workers == worker]


__all__ = [
    "Bus",
    "Delivery",
    "EndOfStream",
    "MemoryBus",
    "Message",
    "create_bus",
    "key_of",
    "owned_partitions",
    "partition_of",
]


def create_bus(
    bus_url: str, *, partitions: int, group: str, worker: int = 0, workers: int = 1
) -> Bus:
    """The in-process bus for an empty URL, Redis Streams for ``redis://…``."""
    if not bus_url:
        return MemoryBus()
    if not bus_url.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(
            f"STOCKYARD_BUS_URL={bus_url!r} is not a Redis URL: use redis://host:port/db, "
            "or leave it empty for the in-process bus"
        )
    from stockyard.stream.redis_bus import RedisBus

    return RedisBus(
        bus_url,
        partitions=partitions,
        group=group,
        consumer=f"processor-{worker}",
        owned=owned_partitions(partitions, worker, workers),
    )
