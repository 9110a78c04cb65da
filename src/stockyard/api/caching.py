"""ETag / Last-Modified for everything derived from the published marts, with 304 answers.

The marts change only when the pipeline publishes, so the publish (the serving snapshot answering,
or before any snapshot the newest published run in raw.audit_runs) versions every page and JSON
body built from them. It is re-read only when the served file (or its WAL) changes on disk, so a
request costs one ``stat`` here, and a
matching ``If-None-Match`` / ``If-Modified-Since`` is answered 304 before any query runs.

For the same reason a 200 body can be reused until the next publish: small answers are kept in
memory (``X-Cache: hit`` / ``miss`` says which), so the overview and other aggregates over a
million trades are computed once per publish, not once per visitor.
"""

from __future__ import annotations

import os
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import duckdb
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stockyard import __version__
from stockyard.warehouse.db import connect
from stockyard.warehouse.ops_reads import last_publish, served_snapshot

# Paths whose responses depend only on the published marts (and the code version). The pipeline
# page is left out on purpose: it shows load freshness, which changes without a publish.
CACHEABLE_PREFIXES = (
    "/trades",
    "/members",
    "/states",
    "/committees",
    "/tickers",
    "/filings",
    "/api/trades",
    "/api/members",
    "/api/states",
    "/api/committees",
    "/api/tickers",
    "/api/filings",
    "/api/overview",
    "/api/export",
    "/feeds",
)
CACHE_CONTROL = "no-cache"  # a client may keep a copy but must revalidate (cheaply) each time


def is_cacheable(path: str) -> bool:
    if path == "/":
        return True
    return any(
        path == prefix or path.startswith((f"{prefix}/", f"{prefix}."))
        for prefix in CACHEABLE_PREFIXES
    )


def _file_key(path: Path) -> tuple[str, float, int, float] | None:
    try:
        main = os.stat(path)
    except FileNotFoundError:
        return None
    try:
        wal = os.stat(f"{path}.wal").st_mtime
    except FileNotFoundError:
        wal = 0.0
    return (str(path), main.st_mtime, main.st_size, wal)


class PublishStamp:
    """The marts' publish time, re-read only when the warehouse file changed."""

    def __init__(self, warehouse_path: Callable[[], Path]) -> None:
        self._path = warehouse_path
        self._lock = threading.Lock()
        self._key: tuple[str, float, int, float] | None = None
        self._value: datetime | None = None
        # The file's (path, mtime, size, WAL mtime) at the last check: part of the response-cache key,
        # so even a write that bypasses publish (a test, a manual fix) is never served stale.
        self.file_key: tuple[str, float, int, float] | None = None

    def current(self) -> datetime | None:
        path = self._path()
        key = _file_key(path)
        self.file_key = key
        if key is None:
            return None
        with self._lock:
            if key == self._key:
                return self._value
        try:
            con = connect(path, read_only=True)
        except (FileNotFoundError, duckdb.Error):
            return None  # busy or unreadable: serve uncached rather than guess
        try:
            # A serving snapshot knows its publish; the warehouse itself has only the audit runs.
            served = served_snapshot(con)
            value = served.published_at if served else last_publish(con)
        finally:
            con.close()
        with self._lock:
            self._key, self._value = key, value
        return value


def etag_for(published: datetime, file_key: object = None) -> str:
    """Weak ETag from the code version, the publish time and which file answers (two snapshots
    published within a microsecond, or a hand-edited warehouse, still differ)."""
    version = zlib.crc32(repr(file_key).encode()) if file_key is not None else 0
    return f'W/"{__version__}-{int(published.timestamp() * 1_000_000):x}-{version:08x}"'


def _not_modified(headers: Headers, etag: str, published: datetime) -> bool:
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2); weak comparison.
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    if_modified_since = headers.get("if-modified-since")
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            return False
        # HTTP dates have whole seconds.
        return published.replace(microsecond=0) <= since
    return False


class ResponseCache:
    """Bodies of 200 answers for the current publish, least recently used dropped first.

    Keyed by (ETag, path, query string): a publish changes the ETag, which empties the cache, so
    an entry can never outlive the data it was built from. Only small bodies are kept.
    """

    def __init__(self, max_bytes: int = 32 * 2**20, max_entry_bytes: int = 2**20) -> None:
        self.max_bytes = max_bytes
        self.max_entry_bytes = max_entry_bytes
        self._entries: OrderedDict[CacheKey, CachedResponse] = OrderedDict()
        self._size = 0
        self._etag: str | None = None
        self._lock = threading.Lock()

    def get(self, key: CacheKey) -> CachedResponse | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: CacheKey, response: CachedResponse) -> None:
        size = len(response[1])
        if size > self.max_entry_bytes:
            return
        with self._lock:
            if key[0] != self._etag:  # a new publish: everything cached so far is stale
                self._entries.clear()
                self._size = 0
                self._etag = key[0]
            previous = self._entries.pop(key, None)
            if previous is not None:
                self._size -= len(previous[1])
            self._entries[key] = response
            self._size += size
            while self._size > self.max_bytes and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped[1])


CacheKey = tuple[str, str, bytes]  # (etag and file version, path, query string)
CachedResponse = tuple[list[tuple[bytes, bytes]], bytes]  # (headers, body) of a 200


class ConditionalGetMiddleware:
    def __init__(self, app: ASGIApp, warehouse_path: Callable[[], Path]) -> None:
        self.app = app
        self.stamp = PublishStamp(warehouse_path)
        self.cache = ResponseCache()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not is_cacheable(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        published = await run_in_threadpool(self.stamp.current)
        if published is None:
            await self.app(scope, receive, send)
            return
        etag = etag_for(published, self.stamp.file_key)
        validators = {
            "etag": etag,
            "last-modified": format_datetime(published, usegmt=True),
            "cache-control": CACHE_CONTROL,
        }
        if _not_modified(Headers(scope=scope), etag, published):
            await send(
                {
                    "type": "http.response.start",
                    "status": 304,
                    "headers": [(k.encode(), v.encode()) for k, v in validators.items()],
                }
            )
            await send({"type": "http.response.body", "body": b""})
            return

        key: CacheKey = (
            f"{etag}|{self.stamp.file_key}",
            scope["path"],
            scope.get("query_string", b""),
        )
        cached = self.cache.get(key) if scope["method"] == "GET" else None
        if cached is not None:
            headers, body = cached
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        stored_headers: list[tuple[bytes, bytes]] | None = None
        chunks: list[bytes] | None = [] if scope["method"] == "GET" else None

        async def send_with_validators(message: Message) -> None:
            nonlocal stored_headers, chunks
            if message["type"] == "http.response.start":
                if message["status"] == 200:
                    response_headers = MutableHeaders(scope=message)
                    for name, value in validators.items():
                        response_headers[name] = value
                    stored_headers = [*message["headers"], (b"x-cache", b"hit")]
                    response_headers["x-cache"] = "miss"
                else:
                    chunks = None  # only 200s are kept
            elif message["type"] == "http.response.body" and chunks is not None:
                chunks.append(message.get("body", b""))
                if sum(map(len, chunks)) > self.cache.max_entry_bytes:
                    chunks = None
                elif not message.get("more_body", False) and stored_headers is not None:
                    self.cache.put(key, (stored_headers, b"".join(chunks)))
            await send(message)

        await self.app(scope, receive, send_with_validators)
