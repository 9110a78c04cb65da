"""Filtered trades written to a file by DuckDB itself (CSV or Parquet), for download.

DuckDB's COPY streams the result to disk without building it in Python, so an export of a
million rows costs about what the query costs. Parameters stay bound, as everywhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import duckdb

from stockyard.warehouse.queries import TradeFilters, trade_select

ExportFormat = Literal["csv", "parquet"]

_COPY_OPTIONS: dict[ExportFormat, str] = {
    "csv": "(FORMAT csv, HEADER true)",
    "parquet": "(FORMAT parquet, COMPRESSION zstd)",
}


def export_trades(
    con: duckdb.DuckDBPyConnection,
    filters: TradeFilters,
    sort: str,
    fmt: ExportFormat,
    destination: Path,
) -> None:
    """Write the trades matching ``filters`` to ``destination`` (a path we chose, not the user)."""
    select, params = trade_select(con, filters, sort)
    # The destination is a server-side temp path; quote it as a SQL string literal.
    target = str(destination).replace("'", "''")
    con.execute(f"COPY ({select}) TO '{target}' {_COPY_OPTIONS[fmt]}", params)
