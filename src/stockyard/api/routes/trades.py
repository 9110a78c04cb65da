"""GET /api/trades (filtered, sorted, paginated) and its CSV twin /api/trades.csv."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, Response

from stockyard.api.deps import WarehouseDep
from stockyard.api.params import TradeQuery
from stockyard.api.routes.exports import export_trades_csv
from stockyard.api.schemas import TradeOut, TradePage
from stockyard.warehouse.queries import list_trades

router = APIRouter(prefix="/api", tags=["trades"])


@router.get("/trades", response_model=TradePage)
def get_trades(query: Annotated[TradeQuery, Query()], con: WarehouseDep) -> Response:
    """Disclosed trades, newest transaction first unless `sort` says otherwise."""
    result = list_trades(con, query.to_filters(), query.sort, query.page, query.page_size)
    page = TradePage(
        items=[TradeOut.model_validate(row) for row in result.items],
        page=result.page,
        page_size=result.page_size,
        total=result.total,
    )
    # Serialized here in one pass. Returned as a model, FastAPI would dump it to Python objects,
    # validate those against TradePage again and then encode them: the busiest endpoint's
    # largest Python cost. `response_model` still documents the shape in OpenAPI.
    return Response(page.model_dump_json(), media_type="application/json")


@router.get(
    "/trades.csv",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "Every matching trade"}},
)
def get_trades_csv(query: Annotated[TradeQuery, Query()], con: WarehouseDep) -> FileResponse:
    """The CSV twin of /api/trades: every matching row (same as /api/export/trades.csv)."""
    return export_trades_csv(query, con)
