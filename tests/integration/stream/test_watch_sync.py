"""Two processes' watch lists kept equal through a real redis-server."""

from __future__ import annotations

import asyncio

import pytest

from stockyard.stream.watch_sync import RedisWatchSync
from stockyard.stream.watchlist import WatchList
from support.servers import RedisServer

pytestmark = pytest.mark.integration


async def _until(condition: object, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():  # type: ignore[operator]
        assert asyncio.get_running_loop().time() < deadline, "the lists never agreed"
        await asyncio.sleep(0.02)


def test_a_change_in_one_process_reaches_the_other(redis_server: RedisServer) -> None:
    async def run() -> tuple[WatchList, WatchList]:
        web = WatchList(["AAPL"], ["Apple"])  # the process serving the Live page, first up
        ingest = WatchList(["MSFT"], ["Microsoft"])  # started later: adopts the stored list
        syncs = [RedisWatchSync(redis_server.url, w) for w in (web, ingest)]
        first = asyncio.create_task(syncs[0].run())
        await asyncio.sleep(0.2)
        second = asyncio.create_task(syncs[1].run())
        await _until(lambda: ingest.tickers == ["AAPL"])
        web.update(add_tickers=["TSLA"], add_terms=["Tesla"])
        await _until(lambda: ingest.tickers == ["AAPL", "TSLA"] and "Tesla" in ingest.terms)
        ingest.update(remove_tickers=["AAPL"])
        await _until(lambda: web.tickers == ["TSLA"])
        for task in (first, second):
            task.cancel()
        await asyncio.gather(first, second, return_exceptions=True)
        for sync in syncs:
            await sync.close()
        return web, ingest

    web, ingest = asyncio.run(asyncio.wait_for(run(), 20))
    assert web.as_dict()["tickers"] == ingest.as_dict()["tickers"] == ["TSLA"]
    assert web.terms == ingest.terms == ["Apple", "Tesla"]
