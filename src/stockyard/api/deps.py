"""Typed dependency aliases shared by the routes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import duckdb
from fastapi import Depends, Request

from stockyard.config import Settings
from stockyard.warehouse.queries import open_readonly


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]


def warehouse_connection(settings: SettingsDep) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for one request, closed afterwards so no lock outlives it."""
    con = open_readonly(settings.resolved_warehouse_path)
    try:
        yield con
    finally:
        con.close()


WarehouseDep = Annotated[duckdb.DuckDBPyConnection, Depends(warehouse_connection)]
