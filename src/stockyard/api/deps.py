"""Typed dependency aliases shared by the routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import duckdb
from fastapi import Depends, Request

from stockyard.config import Settings
from stockyard.warehouse.reader import SharedReader


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]


def warehouse_connection(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only cursor for one request; the connection closes once no request uses it, so no
    lock outlives the requests in flight (see warehouse/reader.py)."""
    reader: SharedReader = request.app.state.warehouse_reader
    with reader.cursor() as cursor:
        yield cursor


WarehouseDep = Annotated[duckdb.DuckDBPyConnection, Depends(warehouse_connection)]
