"""One read-only warehouse connection shared by the requests in flight, closed soon after.

Opening DuckDB costs tens of milliseconds (an instance, its threads, the catalog); a cursor on an
open connection costs well under one. Requests that overlap share one connection, each through
its own cursor, and the connection stays open ``linger`` seconds after the last one finishes so
a busy API does not pay an open per request. Then it closes: a quiet API holds no lock, and the
pipeline (another process) can take the write lock, as with a connection per request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from stockyard.warehouse.queries import open_readonly


class SharedReader:
    def __init__(self, warehouse_path: Callable[[], Path], linger: float = 0.0) -> None:
        self._path = warehouse_path
        self._linger = linger
        self._lock = threading.Lock()
        self._connection: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._closer: threading.Timer | None = None

    def open(self) -> None:
        """Open the shared connection now if it is closed (raises like :meth:`cursor`)."""
        with self._lock:
            if self._connection is None:
                self._connection = open_readonly(self._path())
                if self._users == 0 and self._closer is None:
                    # Opened ahead of a cursor: closed again if none comes (the cursor cancels this).
                    self._closer = threading.Timer(max(self._linger, 1.0), self._close_if_idle)
                    self._closer.daemon = True
                    self._closer.start()

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor for one request; raises WarehouseNotReady / WarehouseBusy like open_readonly."""
        with self._lock:
            if self._closer is not None:
                self._closer.cancel()
                self._closer = None
            if self._connection is None:
                # Opening under the lock: concurrent first requests wait for one open, not N.
                self._connection = open_readonly(self._path())
            self._users += 1
            connection = self._connection
        try:
            cursor = connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()
        finally:
            self._release()

    def _release(self) -> None:
        with self._lock:
            self._users -= 1
            if self._users or self._connection is None:
                return
            self._schedule_close_locked()

    def _schedule_close_locked(self) -> None:
        if self._linger <= 0:
            self._close_locked()
            return
        self._closer = threading.Timer(self._linger, self._close_if_idle)
        self._closer.daemon = True
        self._closer.start()

    def _close_if_idle(self) -> None:
        with self._lock:
            if self._users == 0:
                self._close_locked()

    def _close_locked(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._closer = None

    def close(self) -> None:
        """Close now (at shutdown); a request still running keeps its cursor until it ends."""
        with self._lock:
            if self._closer is not None:
                self._closer.cancel()
            if self._users == 0:
                self._close_locked()

    @property
    def is_open(self) -> bool:
        return self._connection is not None
