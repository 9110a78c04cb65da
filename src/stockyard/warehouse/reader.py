"""Read-only connections to the served snapshot, shared by the requests in flight.

Opening DuckDB costs tens of milliseconds (an instance, its threads, the catalog); a cursor on an
open connection costs well under one. Requests that overlap share one connection, each through
its own cursor, and the connection stays open ``linger`` seconds after the last one finishes so
a busy API does not pay an open per request.

What to open is asked anew for every request (``path()``: the current serving snapshot, see
serving.py). When a publish switches the pointer, the next request opens the new snapshot while
requests already running finish on the one they started with; that connection closes when the
last of them ends. A quiet API holds nothing open.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from stockyard.warehouse.queries import open_readonly


@dataclass(slots=True)
class _Open:
    connection: duckdb.DuckDBPyConnection
    users: int = 0


class SharedReader:
    def __init__(self, path: Callable[[], Path], linger: float = 0.0) -> None:
        self._path = path
        self._linger = linger
        self._lock = threading.Lock()
        self._open: dict[Path, _Open] = {}
        self._current: Path | None = None
        self._closer: threading.Timer | None = None

    def open(self) -> None:
        """Open a connection to what is served now, if none is open (raises like :meth:`cursor`)."""
        path = self._path()
        with self._lock:
            if path not in self._open:
                self._open_locked(path)
                if self._closer is None and not self._in_use_locked():
                    # Opened ahead of a cursor: closed again if none comes (the cursor cancels this).
                    self._closer = threading.Timer(max(self._linger, 1.0), self._close_if_idle)
                    self._closer.daemon = True
                    self._closer.start()

    def needs_open(self) -> bool:
        """True when the next cursor would have to open a connection (a thread's job)."""
        path = self._path()
        with self._lock:
            return path not in self._open

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one request; raises WarehouseNotReady / WarehouseBusy like open_readonly."""
        path = self._path()
        with self._lock:
            if self._closer is not None:
                self._closer.cancel()
                self._closer = None
            entry = self._open.get(path) or self._open_locked(path)
            entry.users += 1
        try:
            cursor = entry.connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
        finally:
            self._release(path)

    def _open_locked(self, path: Path) -> _Open:
        # Under the lock: concurrent first requests wait for one open, not N.
        entry = _Open(open_readonly(path))
        self._open[path] = entry
        self._current = path
        for old in [p for p, e in self._open.items() if p != path and e.users == 0]:
            self._open.pop(old).connection.close()
        return entry

    def _release(self, path: Path) -> None:
        with self._lock:
            entry = self._open[path]
            entry.users -= 1
            if entry.users == 0 and path != self._current:
                # A request that outlived a switch of snapshot: its connection is no longer served.
                self._open.pop(path).connection.close()
            if self._in_use_locked():
                return
            self._schedule_close_locked()

    def _in_use_locked(self) -> bool:
        return any(e.users for e in self._open.values())

    def _schedule_close_locked(self) -> None:
        if self._linger <= 0:
            self._close_locked()
            return
        self._closer = threading.Timer(self._linger, self._close_if_idle)
        self._closer.daemon = True
        self._closer.start()

    def _close_if_idle(self) -> None:
        with self._lock:
            if not self._in_use_locked():
                self._close_locked()

    def _close_locked(self) -> None:
        for entry in self._open.values():
            entry.connection.close()
        self._open.clear()
        self._current = None
        self._closer = None

    def close(self) -> None:
        """Close now (at shutdown); a request still running keeps its cursor until it ends."""
        with self._lock:
            if self._closer is not None:
                self._closer.cancel()
            if not self._in_use_locked():
                self._close_locked()

    @property
    def is_open(self) -> bool:
        return bool(self._open)
