"""Redis Streams bus against a real redis-server: keys, groups, acks, pending recovery."""

from __future__ import annotations

import asyncio

import pytest

from stockyard.sources.polygon.websocket import AggregateBar
from stockyard.stream.bus import Delivery, EndOfStream, partition_of
from stockyard.stream.events import NewsEvent
from stockyard.stream.redis_bus import RedisBus
from support.lossy_proxy import LossyProxy
from support.servers import RedisServer

pytestmark = pytest.mark.integration


def bars(ticker: str, n: int) -> list[AggregateBar]:
    return [AggregateBar(ticker, i * 60_000, (i + 1) * 60_000, 1, 1, 1, 1, 1, 1) for i in range(n)]


def messages(deliveries: list[Delivery]) -> int:
    return sum(len(d.messages) for d in deliveries)


def test_keys_stay_in_order_on_their_partition(redis_server: RedisServer) -> None:
    async def run() -> list[Delivery]:
        bus = RedisBus(redis_server.url, partitions=4)
        await bus.publish([*bars("AAPL", 5), *bars("MSFT", 5)])
        await bus.publish([NewsEvent("n", 1, "t", "u", "s", "", "Apple")])
        await bus.end_of_stream("test")
        got: list[Delivery] = []
        while messages(got) < 11 + 4:
            batch = await bus.consume(100, block_ms=200)
            assert batch, "the bus stopped delivering before everything arrived"
            got.extend(batch)
            await bus.ack(batch)
        assert await bus.pending() == 0
        await bus.close()
        return got

    got = asyncio.run(asyncio.wait_for(run(), 20))
    by_partition: dict[int, list[object]] = {}
    for delivery in got:
        by_partition.setdefault(delivery.partition, []).extend(delivery.messages)
    aapl = [m for m in by_partition[partition_of("AAPL", 4)] if getattr(m, "ticker", "") == "AAPL"]
    assert [b.end_ms for b in aapl] == [(i + 1) * 60_000 for i in range(5)]
    markers = [d for d in got if isinstance(d.messages[0], EndOfStream)]
    assert len(markers) == 4 and all(len(d.messages) == 1 for d in markers)  # one per partition
    assert any(isinstance(m, NewsEvent) for m in by_partition[partition_of("Apple", 4)])


def test_unacknowledged_entries_come_back(redis_server: RedisServer) -> None:
    async def run() -> tuple[int, int, int, int]:
        producer = RedisBus(redis_server.url, partitions=2)
        await producer.publish(bars("AAPL", 10))
        crashed = RedisBus(redis_server.url, partitions=2, consumer="processor-0")
        taken = await crashed.consume(100, block_ms=200)  # … and dies before acknowledging
        await crashed.close()
        # The same consumer restarted re-reads its own pending entries first.
        restarted = RedisBus(redis_server.url, partitions=2, consumer="processor-0")
        again = await restarted.consume(100, block_ms=200)
        await restarted.close()
        # A consumer that never comes back: another takes its entries over once they idle.
        other = RedisBus(redis_server.url, partitions=2, consumer="processor-1", claim_idle_ms=50)
        await asyncio.sleep(0.1)
        claimed = await other.consume(100, block_ms=200)
        await other.ack(claimed)
        left = await other.pending()
        await other.close()
        await producer.close()
        return messages(taken), messages(again), messages(claimed), left

    assert asyncio.run(asyncio.wait_for(run(), 20)) == (10, 10, 10, 0)


def test_malformed_entries_are_counted_acknowledged_and_skipped(redis_server: RedisServer) -> None:
    async def run() -> tuple[int, int, int]:
        bus = RedisBus(redis_server.url, partitions=1)
        await bus.consume(1, block_ms=1)  # creates the group
        await bus._redis.xadd(bus.streams[0], {"e": b"garbage", "t": b"0"})
        await bus.publish(bars("AAPL", 2))
        got = await bus.consume(100, block_ms=200)
        await bus.ack(got)
        result = (messages(got), bus.malformed, await bus.pending())
        await bus.close()
        return result

    assert asyncio.run(asyncio.wait_for(run(), 20)) == (2, 1, 0)


def test_a_read_whose_answer_is_lost_is_taken_again_in_order(redis_server: RedisServer) -> None:
    """Redis hands out entries, the line drops before the answer arrives: those entries are
    pending for the reader, and the retried read hands out the entries after them. The reader
    must still see every entry in order (else the lost ones arrive behind the watermark)."""
    proxy = LossyProxy(redis_server.port).start()

    async def run() -> list[int]:
        producer = RedisBus(redis_server.url, partitions=1)
        reader = RedisBus(proxy.url, partitions=1)
        await reader.consume(1, block_ms=1)  # creates the group
        for minute in range(1, 4):  # three entries, one bar each
            await producer.publish([bars("AAPL", minute)[-1]])
        proxy.lose_answer_to(b"XREADGROUP")
        seen: list[int] = []
        for _ in range(10):
            got = await reader.consume(1, block_ms=50)
            seen.extend(m.end_ms // 60_000 for d in got for m in d.messages)  # type: ignore[union-attr]
            await reader.ack(got)
        await reader.close()
        await producer.close()
        return seen

    try:
        seen = asyncio.run(asyncio.wait_for(run(), 20))
    finally:
        proxy.stop()
    assert proxy.answers_lost == 1
    assert seen == [1, 2, 3]
