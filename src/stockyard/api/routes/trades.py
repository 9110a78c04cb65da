"""GET /api/trades: filtered, sorted, paginated trades."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from stockyard.api.deps import WarehouseDep
from stockyard.api.params import TradeQuery
from stockyard.api.schemas import TradeOut, TradePage
from stockyard.warehouse.queries import list_trades

router = APIRouter(prefix="/api", tags=["trades"])


@router.get("/trades", response_model=TradePage)
def get_trades(query: Annotated[TradeQuery, Query()], con: WarehouseDep) -> TradePage:
    """Disclosed trades, newest transaction first unless `sort` says otherwise."""
    result = list_trades(con, query.to_filters(), query.sort, query.page, query.page_size)
    return TradePage(
        items=[TradeOut.model_validate(row) for row in result.items],
        page=result.page,
        page_size=result.page_size,
        total=result.total,
    )
