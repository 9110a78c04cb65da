"""Filtered trades as a file: GET /api/export/trades.csv and /api/export/trades.parquet.

The same filters as /api/trades; every matching row (no pagination). DuckDB writes the file to a
temporary directory that is removed once the response has been sent.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from stockyard.api.deps import WarehouseDep
from stockyard.api.params import TradeQuery
from stockyard.warehouse.exports import ExportFormat, export_trades

router = APIRouter(prefix="/api", tags=["trades"])

MEDIA_TYPES: dict[ExportFormat, str] = {
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}


def _export(query: TradeQuery, con: WarehouseDep, fmt: ExportFormat) -> FileResponse:
    folder = Path(tempfile.mkdtemp(prefix="stockyard-export-"))
    target = folder / f"trades.{fmt}"
    try:
        export_trades(con, query.to_filters(), query.sort, fmt, target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(
        target,
        media_type=MEDIA_TYPES[fmt],
        filename=target.name,
        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
    )


@router.get(
    "/export/trades.csv",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "Every matching trade"}},
)
def export_trades_csv(query: Annotated[TradeQuery, Query()], con: WarehouseDep) -> FileResponse:
    """Every trade matching the filters (page and page_size are ignored), as CSV."""
    return _export(query, con, "csv")


@router.get(
    "/export/trades.parquet",
    response_class=FileResponse,
    responses={
        200: {
            "content": {"application/vnd.apache.parquet": {}},
            "description": "Every matching trade",
        }
    },
)
def export_trades_parquet(query: Annotated[TradeQuery, Query()], con: WarehouseDep) -> FileResponse:
    """Every trade matching the filters (page and page_size are ignored), as Parquet."""
    return _export(query, con, "parquet")
