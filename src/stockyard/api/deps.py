"""Typed dependency aliases shared by the routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import duckdb
from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from stockyard.config import Settings
from stockyard.warehouse.reader import SharedReader
from stockyard.warehouse.review_store import ReviewStore


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]


async def warehouse_connection(request: Request) -> AsyncIterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor on the served snapshot for one request (see warehouse/reader.py).

    Async on purpose: a cursor on an open connection costs microseconds, so taking and
    releasing it on the event loop spares each request two trips through the thread pool.
    Only opening the connection (tens of ms) goes to a thread."""
    reader: SharedReader = request.app.state.warehouse_reader
    if reader.needs_open():
        await run_in_threadpool(reader.open)
    with reader.cursor() as cursor:
        yield cursor


WarehouseDep = Annotated[duckdb.DuckDBPyConnection, Depends(warehouse_connection)]


def review_store(settings: SettingsDep) -> ReviewStore:
    return ReviewStore(settings.resolved_review_db_path)


ReviewStoreDep = Annotated[ReviewStore, Depends(review_store)]
