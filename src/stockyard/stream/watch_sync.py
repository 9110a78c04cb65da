"""One watch list for several processes: shared through Redis when the bus is Redis.

With ``--role ingest`` and ``--role process`` in different processes, the Live page's control form
changes the list in the process that serves it; the ingest process must re-subscribe too. Each
process keeps its local `WatchList` and this mirror: a local change is stored under one key (the
list as JSON, so a process that starts later reads it) and announced on a pub/sub channel; an
announcement replaces the local list. Replacing with an equal list changes nothing, so the echo of
a process's own announcement stops there.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import structlog
from redis import exceptions as redis_errors
from redis.asyncio import Redis

from stockyard.stream.watchlist import WatchList

log = structlog.get_logger("stockyard.stream.watch_sync")


class RedisWatchSync:
    def __init__(self, url: str, watchlist: WatchList, *, key: str = "stockyard:stream:watch"):
        self.url = url
        self.watchlist = watchlist
        self.key = key
        self._redis: Redis = Redis.from_url(url, socket_connect_timeout=2)
        # The version our last applied announcement produced: not announced back (no echoes, so
        # two processes never bounce an old list between them).
        self._applied_version = -1

    async def run(self) -> None:
        """Mirror the list until cancelled; a Redis outage is waited out, not fatal."""
        while True:
            try:
                await self._mirror()
            except (redis_errors.ConnectionError, redis_errors.TimeoutError, OSError) as exc:
                log.warning("watch_sync_unavailable", error=str(exc))
                await asyncio.sleep(1.0)

    async def _mirror(self) -> None:
        stored = await self._redis.get(self.key)
        if stored:
            self._apply(stored)
        else:
            await self._announce()
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(self.key)
        listener = asyncio.create_task(self._listen(pubsub))
        try:
            version = self.watchlist.version
            while not listener.done():
                changed = asyncio.create_task(self.watchlist.changed(version))
                await asyncio.wait({changed, listener}, return_when=asyncio.FIRST_COMPLETED)
                if changed.done():
                    version = changed.result()
                    if version != self._applied_version:
                        await self._announce()
                else:
                    changed.cancel()
            listener.result()  # re-raise what stopped it
        finally:
            listener.cancel()
            await asyncio.gather(listener, return_exceptions=True)
            await pubsub.aclose()

    async def _listen(self, pubsub: Any) -> None:
        async for message in pubsub.listen():
            if message.get("type") == "message":
                self._apply(message["data"])

    def _apply(self, data: bytes | str) -> None:
        try:
            value = json.loads(data)
            tickers, terms = list(value["tickers"]), list(value["terms"])
        except (ValueError, KeyError, TypeError) as exc:
            log.warning("watch_sync_malformed", error=str(exc))
            return
        if self.watchlist.replace(tickers, terms):
            self._applied_version = self.watchlist.version
            log.info("watch_sync_applied", tickers=tickers, terms=terms)

    async def _announce(self) -> None:
        value = json.dumps({"tickers": self.watchlist.tickers, "terms": self.watchlist.terms})
        await self._redis.set(self.key, value)
        await self._redis.publish(self.key, value)

    async def close(self) -> None:
        await self._redis.aclose()
